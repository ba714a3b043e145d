import type { Config } from '../../../src/config/types.js';
import type { GitLabSim } from '../../support/gitlab-sim/server.js';
import type { DumpNote, DumpProject, SimDump } from '../../support/gitlab-sim/types.js';
import { freshSync } from '../../support/oracle/fresh-sync.js';
import { BOT, gitlabView } from '../../support/oracle/gitlab-view.js';
import { diffViews, formatDifferences } from '../../support/oracle/view-diff.js';
import { BRANCH, HANDBOOK, RECRUITING, type Day } from './day.js';
import { HELP_COMMANDS, HELP_FIRST_LINE, MERGE_REQUESTS, recheckReply } from './day-expectations.js';

/**
 * The final GitLab state of a scripted day, checked by an oracle that is not the product:
 * - OKR issues, the handbook's labels, stage labels and the board must be what a fresh `sync` of the
 *   final tree builds in a second, clean simulator (test/support/oracle): the same open issues (title,
 *   labels, due date, bot block, notes by marker), each linking a commit where its page is what the
 *   branch holds, and nothing else; every OKR issue written by the bot, not confidential, one per page;
 * - merge requests, recruiting issues and command replies against literal expectations
 *   (day-expectations.ts and the day's script): review labels, one checklist per merge request at its
 *   last commit naming its pages and reviewers, one stage per recruiting issue, one reply per command;
 * - no violation (quick action, mass mention, auto-created label) anywhere.
 * `finalStateProblems` returns one line per problem; an empty list is the exact final state.
 */

export interface FinalStateInput {
  sim: GitLabSim;
  dump: SimDump;
  day: Day;
  config: Config;
}

const CHECKLIST_MARKER = '<!-- handbook-bot:review-checklist -->';
const replyMarker = (noteId: number) => `<!-- handbook-bot:command-reply ${noteId} -->`;
const KIT_MARKER = '<!-- handbook-bot:interview-kit -->';
const isKit = (note: DumpNote) => note.body.startsWith(KIT_MARKER);
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const show = (value: unknown) => JSON.stringify(value);

function project(dump: SimDump, path: string): DumpProject {
  const found = dump.projects.find((candidate) => candidate.path === path);
  if (found === undefined) throw new Error(`no project ${path} in the dump`);
  return found;
}

const botNotes = (notes: readonly DumpNote[]) => notes.filter((note) => note.author === BOT && !note.system);

async function againstFreshSync(input: FinalStateInput): Promise<string[]> {
  const handbook = input.sim.state.requireProject(HANDBOOK.id);
  const head = handbook.repo.branches.get(BRANCH);
  const finalTree = (head === undefined ? undefined : handbook.repo.commits.get(head)?.files) ?? new Map<string, string>();
  const fresh = await freshSync({ handbook: HANDBOOK, recruiting: RECRUITING, branch: BRANCH, tree: finalTree, config: input.config });
  const fileAt = (commit: string, path: string) => handbook.repo.commits.get(commit)?.files.get(path);
  const actual = gitlabView(input.dump, { handbookPath: HANDBOOK.path, recruitingPath: RECRUITING.path, finalTree, fileAt });
  const expected = gitlabView(fresh.dump, { handbookPath: HANDBOOK.path, recruitingPath: RECRUITING.path });
  const differences = diffViews(actual, expected);
  const problems = differences.length === 0 ? [] : formatDifferences(differences).split('\n');
  const open = [...actual.okrIssues.values()].flat().length;
  if (open !== input.day.truth.pages.size)
    problems.push(`okr: ${open} open OKR issues, expected one per page (${input.day.truth.pages.size})`);
  for (const issue of project(input.dump, HANDBOOK.path).issues) {
    if (issue.author !== BOT) problems.push(`okr: #${issue.iid} ${issue.title} was written by ${issue.author}, expected ${BOT}`);
    if (issue.confidential) problems.push(`okr: #${issue.iid} ${issue.title} is confidential`);
    if (issue.state !== 'opened')
      problems.push(`okr: #${issue.iid} ${issue.title} is ${issue.state}, expected opened (no page leaves during the day)`);
  }
  return problems;
}

function mergeRequests(input: FinalStateInput): string[] {
  const problems: string[] = [];
  const handbook = project(input.dump, HANDBOOK.path);
  input.day.truth.mergeRequests.forEach((truth, index) => {
    const mr = handbook.merge_requests.find((candidate) => candidate.iid === truth.iid);
    const want = MERGE_REQUESTS[index];
    const subject = `merge request !${truth.iid}`;
    if (mr === undefined || want === undefined) {
      problems.push(`${subject}: ${mr === undefined ? 'missing' : 'no literal expectation in day-expectations.ts'}`);
      return;
    }
    const labels = [...mr.labels].sort(byName);
    if (show(labels) !== show(want.labels)) problems.push(`${subject}: labels ${show(labels)}, expected ${show(want.labels)}`);
    const notes = botNotes(mr.notes);
    const checklists = notes.filter((note) => note.body.startsWith(CHECKLIST_MARKER));
    if (checklists.length !== 1) problems.push(`${subject}: ${checklists.length} checklist notes, expected 1`);
    const body = checklists[0]?.body ?? '';
    const headings = body.split('\n').filter((line) => line.startsWith('#### '));
    if (show(headings) !== show(want.headings))
      problems.push(`${subject}: checklist pages ${show(headings)}, expected ${show(want.headings)}`);
    const mentions = [...new Set(body.match(/@[a-z][a-z0-9-]*/gu) ?? [])].sort(byName);
    if (show(mentions) !== show(want.mentions))
      problems.push(`${subject}: checklist mentions ${show(mentions)}, expected ${show(want.mentions)}`);
    if (!body.includes(`For commit ${truth.headSha.slice(0, 7)}`))
      problems.push(`${subject}: the checklist is not for the last commit ${truth.headSha.slice(0, 7)}`);

    const commands = input.day.truth.commands.filter((command) => command.kind === 'merge_requests' && command.iid === truth.iid);
    const replies = notes.filter((note) => note.body.includes('handbook-bot:command-reply'));
    if (replies.length !== commands.length) problems.push(`${subject}: ${replies.length} command replies, expected ${commands.length}`);
    for (const command of commands) {
      const reply = replies.find((note) => note.body.startsWith(replyMarker(command.noteId)))?.body;
      if (reply === undefined) {
        problems.push(`${subject}: no reply to note ${command.noteId} (${command.text})`);
      } else if (command.text.endsWith('recheck')) {
        if (reply !== `${replyMarker(command.noteId)}\n${recheckReply(truth.headSha)}`)
          problems.push(`${subject}: recheck reply ${show(reply)}`);
      } else if (reply.split('\n')[1] !== HELP_FIRST_LINE || !HELP_COMMANDS.every((text) => reply.includes(text))) {
        problems.push(`${subject}: help reply ${show(reply)}`);
      }
    }
  });
  return problems;
}

function recruitingIssues(input: FinalStateInput): string[] {
  const problems: string[] = [];
  const recruiting = project(input.dump, RECRUITING.path);
  for (const truth of input.day.truth.issues) {
    const issue = recruiting.issues.find((candidate) => candidate.iid === truth.iid);
    const subject = `recruiting #${truth.iid} (${truth.title})`;
    if (issue === undefined) {
      problems.push(`${subject}: missing`);
      continue;
    }
    const want = [`hiring-stage::${truth.stage}`, `job-family::${truth.slug}`].sort(byName);
    const labels = [...issue.labels].sort(byName);
    if (show(labels) !== show(want)) problems.push(`${subject}: labels ${show(labels)}, expected ${show(want)}`);
    const commands = input.day.truth.commands.filter((command) => command.kind === 'issues' && command.iid === truth.iid);
    // One interview kit, for the stage the issue ends on; the other bot notes are command replies.
    const kits = botNotes(issue.notes)
      .filter(isKit)
      .map((note) => note.body.split('\n')[1] ?? '');
    const wantKits = truth.stage === '' ? [] : [`### Interview kit: ${truth.stage}`];
    if (show(kits) !== show(wantKits)) problems.push(`${subject}: interview kits ${show(kits)}, expected ${show(wantKits)}`);
    const notes = botNotes(issue.notes).filter((note) => !isKit(note));
    const expectedMarkers = commands.map((command) => replyMarker(command.noteId));
    const markers = notes.map((note) => note.body.split('\n')[0] ?? '');
    if (show(markers) !== show(expectedMarkers)) problems.push(`${subject}: bot notes ${show(markers)}, expected ${show(expectedMarkers)}`);
    for (const note of notes) {
      // Timing decides whether the first stage was applied before the command: both answers are right.
      const answer = note.body.split('\n')[1] ?? '';
      const moved = `Moved this issue to the hiring stage **${truth.stage}**`;
      const already = `This issue is already on the hiring stage **${truth.stage}**.`;
      if (!answer.startsWith(moved) && answer !== already) problems.push(`${subject}: stage reply ${show(answer)}`);
    }
  }
  return problems;
}

export async function finalStateProblems(input: FinalStateInput): Promise<string[]> {
  return [...(await againstFreshSync(input)), ...mergeRequests(input), ...recruitingIssues(input)];
}
