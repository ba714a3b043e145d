import type { Config } from '../../../src/config/types.js';
import { helpText, recheckQueuedReply } from '../../../src/actions/commands/reply.js';
import { stageLabel, stageOrder } from '../../../src/actions/hiring/family.js';
import { inStageOrder } from '../../../src/jobfamily/stages.js';
import { desiredHiringFor } from '../../../src/actions/hiring/stages-plan.js';
import { pageUrlAt } from '../../../src/actions/okr/link.js';
import { planOkrIssue, updateDescription } from '../../../src/actions/okr/issue-plan.js';
import { withMarker } from '../../../src/actions/shared/notes.js';
import { pageReview, planChecklistNote } from '../../../src/actions/review/checklist.js';
import { parseOptionsFromConfig } from '../../../src/config/parse-options.js';
import { parsePage } from '../../../src/jobfamily/parse.js';
import type { DumpNote, DumpProject, SimDump, Violation } from '../../support/gitlab-sim/types.js';
import { HANDBOOK, RECRUITING, type Day } from './day.js';
import { familyOf } from './handbook-pages.js';

/**
 * The final GitLab state as one comparable view, built twice: from the simulator's dump (what the bot
 * left) and from the script's truth through the bot's own pure planners (what the design says it must
 * be). Equal views mean: one OKR issue per page at its last commit, one checklist note per merge request
 * at its last commit, stage labels and board once and in order, one correct stage per recruiting issue,
 * one reply per command, and nothing else written.
 */

export interface NoteView {
  /** First line (the marker) of each note the bot wrote, oldest first. */
  markers: string[];
}

export interface StateView {
  handbook: {
    labels: string[];
    okrIssues: Array<{ title: string; labels: string[]; description: string | null; due_date: string | null; state: string; confidential: boolean; author: string; botNotes: string[] }>;
    mergeRequests: Array<{ iid: number; labels: string[]; checklists: string[]; replies: string[] }>;
  };
  recruiting: {
    stageLabels: Array<{ name: string; color: string; description: string | null }>;
    boards: Array<{ name: string; lists: string[] }>;
    /** `kits`: the heading of each interview kit note (one, for the stage the issue ends on). */
    issues: Array<{ iid: number; labels: string[]; kits: string[]; botNotes: string[] }>;
  };
  violations: Violation[];
}

const BOT = 'handbook-bot';
const CHECKLIST_MARKER = '<!-- handbook-bot:review-checklist -->';
const REPLY = 'handbook-bot:command-reply';
const KIT_MARKER = '<!-- handbook-bot:interview-kit -->';
const isKit = (note: DumpNote) => note.body.startsWith(KIT_MARKER);

function project(dump: SimDump, path: string): DumpProject {
  const found = dump.projects.find((candidate) => candidate.path === path);
  if (found === undefined) throw new Error(`no project ${path} in the dump`);
  return found;
}

const botNotes = (notes: readonly DumpNote[]) => notes.filter((note) => note.author === BOT && !note.system);
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A stage command's reply depends on timing (the issue may or may not have had its first stage yet,
 * or a retry may find it moved already), so only its marker line is compared; help and recheck
 * replies are fixed and compared whole.
 */
function replyView(body: string): string {
  return body.includes(`${REPLY} `) && /^(Moved this issue|This issue is already)/m.test(body) ? (body.split('\n')[0] ?? '') : body;
}

export function actualView(dump: SimDump): StateView {
  const handbook = project(dump, HANDBOOK.path);
  const recruiting = project(dump, RECRUITING.path);
  return {
    handbook: {
      labels: handbook.labels.map((label) => label.name).sort(byName),
      okrIssues: handbook.issues
        .map((issue) => ({
          title: issue.title,
          labels: issue.labels,
          description: issue.description,
          due_date: issue.due_date,
          state: issue.state,
          confidential: issue.confidential,
          author: issue.author,
          botNotes: botNotes(issue.notes).map((note) => note.body),
        }))
        .sort((a, b) => byName(a.title, b.title)),
      mergeRequests: handbook.merge_requests.map((mr) => ({
        iid: mr.iid,
        labels: mr.labels,
        checklists: botNotes(mr.notes).filter((note) => note.body.startsWith(CHECKLIST_MARKER)).map((note) => note.body),
        replies: botNotes(mr.notes).filter((note) => note.body.includes(REPLY)).map((note) => replyView(note.body)),
      })),
    },
    recruiting: {
      stageLabels: recruiting.labels
        .filter((label) => label.name.startsWith('hiring-stage::'))
        .map((label) => ({ name: label.name, color: label.color, description: label.description }))
        .sort((a, b) => byName(a.name, b.name)),
      boards: recruiting.boards.map((board) => ({ name: board.name, lists: board.lists })),
      issues: recruiting.issues.map((issue) => ({
        iid: issue.iid,
        labels: issue.labels,
        kits: botNotes(issue.notes)
          .filter(isKit)
          .map((note) => note.body.split('\n')[1] ?? ''),
        botNotes: botNotes(issue.notes)
          .filter((note) => !isKit(note))
          .map((note) => replyView(note.body)),
      })),
    },
    violations: dump.violations,
  };
}

export function expectedView(day: Day, config: Config, now: Date = new Date()): StateView {
  const parseOptions = parseOptionsFromConfig(config);
  const pages = [...day.truth.pages.values()];

  const okrIssues = pages
    .map((page) => {
      const plan = planOkrIssue(parsePage(page.source, page.path, parseOptions), {
        now,
        fiscalYearStartMonth: config.okr.fiscalYearStartMonth,
        labels: config.okr.labels,
        pageUrl: pageUrlAt(config, HANDBOOK.id, page.commit, page.path),
        commit: page.commit,
        committedAt: new Date(page.committedAt).toISOString(),
        slug: page.slug,
      });
      return {
        title: plan.title,
        labels: [...plan.labels].sort(byName),
        description: updateDescription(null, plan.block),
        due_date: plan.dueDate,
        state: 'opened',
        confidential: false,
        author: BOT,
        botNotes: [],
      };
    })
    .sort((a, b) => byName(a.title, b.title));

  const mergeRequests = day.truth.mergeRequests.map((mr) => {
    const reviews = mr.pages.map((page) =>
      pageReview(
        page.oldSource === null ? null : parsePage(page.oldSource, page.path, parseOptions),
        page.newSource === null ? null : parsePage(page.newSource, page.path, parseOptions),
        page.path,
      ),
    );
    const plan = planChecklistNote({
      pages: reviews,
      failures: [],
      rules: config.review.rules,
      headSha: mr.headSha,
      commandWord: config.bot.commandWord,
      existing: [],
      mrLabels: [],
      base: { kind: 'merge-base', sha: mr.baseSha, targetBranch: mr.targetBranch },
      // The simulator has none of the configured reviewers: the note names them as unknown.
      userIds: new Map(),
    });
    const labels = plan.operations.flatMap((op) => (op.kind === 'add-labels' ? op.labels : []));
    const replies = day.truth.commands
      .filter((command) => command.kind === 'merge_requests' && command.iid === mr.iid)
      .map((command) => withMarker('command-reply', String(command.noteId), command.text.endsWith('recheck') ? recheckQueuedReply(mr.headSha) : helpText(config)));
    return { iid: mr.iid, labels: [...labels].sort(byName), checklists: [plan.body], replies };
  });
  const reviewLabels = new Set(mergeRequests.flatMap((mr) => mr.labels));

  const families = pages.map((page) => familyOf(page, config));
  const hiring = desiredHiringFor(families, config);
  const stages = inStageOrder(families.flatMap((family) => family.roles.flatMap((role) => role.stages)), stageOrder(config));

  return {
    handbook: {
      labels: [...config.okr.labels, ...pages.map((page) => `job-family::${page.slug}`), ...reviewLabels].sort(byName),
      okrIssues,
      mergeRequests,
    },
    recruiting: {
      stageLabels: hiring.labels.map((label) => ({ name: label.name, color: label.color, description: label.description })).sort((a, b) => byName(a.name, b.name)),
      boards: [{ name: config.recruiting.board, lists: stages.map(stageLabel) }],
      issues: day.truth.issues.map((issue) => ({
        iid: issue.iid,
        labels: [`hiring-stage::${issue.stage}`, `job-family::${issue.slug}`].sort(byName),
        kits: issue.stage === '' ? [] : [`### Interview kit: ${issue.stage}`],
        botNotes: day.truth.commands
          .filter((command) => command.kind === 'issues' && command.iid === issue.iid)
          .map((command) => `<!-- ${REPLY} ${command.noteId} -->`),
      })),
    },
    violations: [],
  };
}
