import type { GitLabSim } from '../../support/gitlab-sim/server.js';
import type { TestProject } from '../../support/fixtures.js';
import { RECRUITING_PAGES, type RecruitingPage } from './day-expectations.js';
import { corpusHandbookPages, historyPages, type HandbookPage, type HistoryPage } from './handbook-pages.js';
import { issuePayload, mergeRequestPayload, notePayload, pushPayload, type Person, type PushCommit } from './payloads.js';
import { createPrng } from './prng.js';

/**
 * A scripted day of handbook activity, played on the simulator (commits, branches, merge requests,
 * recruiting issues, comments) and turned into the webhooks GitLab would send. It also records the
 * truth the final state is checked against: what each page, merge request and recruiting issue must
 * end up as, whatever order the events arrive in. Which pages recruit, their roles and each role's
 * hiring stages are literal (day-expectations.ts), never derived by the bot's own parser or planners.
 */

export const HANDBOOK: TestProject = { id: 101, path: 'acme/handbook' };
export const RECRUITING: TestProject = { id: 102, path: 'acme/recruiting' };
export const BRANCH = 'main';
export const HUMAN = 'alice';
export const DAY_START = Date.parse('2026-11-02T08:00:00.000Z');

export interface DaySize {
  /** Corpus pages added to the handbook (the merge requests' history pages come on top). */
  pages: number;
  /** Pages per push, for additions and modifications alike. */
  pagesPerPush: number;
  /** Page modifications in ordinary pushes. */
  modifications: number;
  /** Pushes of 25 commits (20 listed in the payload), each commit modifying one page. */
  bigPushes: number;
  /** Merge requests (at most one per history pair); the first one gets a second push (update). */
  mergeRequests: number;
  recruitingIssues: number;
  /** `stage`, `recheck` and `help` comments. */
  commands: boolean;
}

/** The form `npm test` runs: 6 pages, 2 merge requests, 3 recruiting issues. */
export const SHORT_DAY: DaySize = {
  pages: 4,
  pagesPerPush: 2,
  modifications: 2,
  bigPushes: 1,
  mergeRequests: 2,
  recruitingIssues: 3,
  commands: true,
};

export type DayEventKind = 'push' | 'merge-request' | 'issue' | 'note';

export interface DayEvent {
  id: string;
  kind: DayEventKind;
  /** X-Gitlab-Event. */
  event: string;
  body: Record<string, unknown>;
  /** Page changes this event carries (pushes). */
  pageChanges: number;
  /** What the bot's writes for this event contain (for the benchmark's delivery-to-write latency). */
  correlate: { commit?: string; path?: string; text?: string };
}

export interface PageTruth {
  path: string;
  slug: string;
  /** Content at `commit`, the head of the last push that touched the page. */
  source: string;
  commit: string;
  committedAt: string;
}

export interface MergeRequestTruth {
  iid: number;
  headSha: string;
  /** Where the branch left the target branch: the merge base the checklist compares with. */
  baseSha: string;
  targetBranch: string;
  /** Changed pages: the version on the target branch (null: new) and at the head. */
  pages: Array<{ path: string; oldSource: string | null; newSource: string | null }>;
}

export interface IssueTruth {
  iid: number;
  slug: string;
  title: string;
  confidential: boolean;
  /** The one hiring stage the issue must end with. */
  stage: string;
}

export interface CommandTruth {
  noteId: number;
  project: TestProject;
  kind: 'issues' | 'merge_requests';
  iid: number;
  text: string;
}

export interface DayTruth {
  pages: Map<string, PageTruth>;
  mergeRequests: MergeRequestTruth[];
  issues: IssueTruth[];
  commands: CommandTruth[];
  /** Page changes (additions and modifications) across every push. */
  pageChanges: number;
}

export interface Day {
  events: DayEvent[];
  truth: DayTruth;
}

interface Pick {
  recruiting: Array<HandbookPage & RecruitingPage>;
  modifiable: HandbookPage[];
  history: HistoryPage[];
}

/** Pages for the day: the recruiting pages from the literal table (one with an offer step first), then corpus pages. */
function pickPages(size: DaySize): Pick {
  const all = corpusHandbookPages();
  if (all.length < size.pages) throw new Error(`the corpus has ${all.length} usable pages, ${size.pages} asked for`);
  const recruitingCount = Math.min(Math.max(1, Math.ceil(size.recruitingIssues / 2)), Math.floor(size.pages / 2), RECRUITING_PAGES.length);
  const recruiting = RECRUITING_PAGES.slice(0, recruitingCount).map((table) => {
    const page = all.find((candidate) => candidate.path === table.path);
    if (page === undefined) throw new Error(`recruiting page ${table.path} is not in the corpus (test/fixtures/corpus/MANIFEST.tsv)`);
    return { ...page, ...table };
  });
  const taken = new Set(recruiting.map((page) => page.path));
  const modifiable = all.filter((page) => !taken.has(page.path)).slice(0, size.pages - recruiting.length);
  return { recruiting, modifiable, history: historyPages().slice(0, size.mergeRequests) };
}

/** An edit that changes the page without touching its sections: a line after the front matter. */
export function revise(source: string, revision: string): string {
  const line = `Revision note: ${revision}.\n\n`;
  const match = /^---\r?\n[\s\S]*?\r?\n---[ \t]*\r?\n/.exec(source);
  if (match === null) return `${line}${source}`;
  return `${match[0]}\n${line}${source.slice(match[0].length)}`;
}

export function buildDay(sim: GitLabSim, size: DaySize): Day {
  const { state } = sim;
  const alice = state.userByName(HUMAN);
  if (alice === undefined) throw new Error(`the simulator has no user ${HUMAN}`);
  const human: Person = { id: alice.id, username: alice.username };
  const picked = pickPages(size);
  const random = createPrng(size.pages * 31 + size.modifications);
  const events: DayEvent[] = [];
  const truth: DayTruth = { pages: new Map(), mergeRequests: [], issues: [], commands: [], pageChanges: 0 };
  const content = new Map<string, string>();
  let clock = 0;
  const nextDate = () => new Date(DAY_START + (clock += 1) * 60_000).toISOString();
  const head = () => {
    const sha = state.requireProject(HANDBOOK.id).repo.branches.get(BRANCH);
    if (sha === undefined) throw new Error('no main branch');
    return sha;
  };

  /** One push: commits made in order, then the Push Hook listing the last 20 of them. */
  const push = (commits: Array<{ message: string; files: Record<string, string>; added: string[]; modified: string[] }>) => {
    const before = head();
    const made: PushCommit[] = commits.map((commit) => {
      const timestamp = nextDate();
      const id = state.commit(HANDBOOK.id, { branch: BRANCH, message: commit.message, date: timestamp, files: commit.files });
      for (const [path, text] of Object.entries(commit.files)) content.set(path, text);
      return { id, message: commit.message, timestamp, added: commit.added, modified: commit.modified, removed: [] };
    });
    const last = made.at(-1);
    if (last === undefined) return;
    const touched = new Set(commits.flatMap((commit) => [...commit.added, ...commit.modified]));
    for (const path of touched) {
      const known =
        picked.history.find((page) => page.path === path) ??
        [...picked.recruiting, ...picked.modifiable].find((page) => page.path === path);
      truth.pages.set(path, {
        path,
        slug: known?.slug ?? path,
        source: content.get(path) ?? '',
        commit: last.id,
        committedAt: last.timestamp,
      });
    }
    const changes = commits.reduce((sum, commit) => sum + commit.added.length + commit.modified.length, 0);
    truth.pageChanges += changes;
    events.push({
      id: `push-${events.length}`,
      kind: 'push',
      event: 'Push Hook',
      body: pushPayload({
        project: HANDBOOK,
        branch: BRANCH,
        before,
        after: last.id,
        author: human,
        commits: made.slice(-20),
        totalCommits: made.length,
      }),
      pageChanges: changes,
      correlate: { commit: last.id },
    });
  };

  // Morning: the pages arrive, a few per push (history pages first: merge requests change them later).
  const additions: Array<{ path: string; source: string }> = [
    ...picked.history.map((page) => ({ path: page.path, source: page.before })),
    ...picked.recruiting,
    ...picked.modifiable,
  ];
  for (let at = 0; at < additions.length; at += size.pagesPerPush) {
    const batch = additions.slice(at, at + size.pagesPerPush);
    // Two commits when the batch allows, so a payload lists several.
    const half = Math.ceil(batch.length / 2);
    const groups = batch.length > 1 ? [batch.slice(0, half), batch.slice(half)] : [batch];
    push(
      groups.map((group, index) => ({
        message: `Add ${group.map((page) => page.path.split('/').at(-2) ?? page.path).join(', ')} (${index + 1})`,
        files: Object.fromEntries(group.map((page) => [page.path, page.source])),
        added: group.map((page) => page.path),
        modified: [],
      })),
    );
  }

  // Edits through the day: ordinary pushes touching several pages, then 25-commit pushes.
  const editable = picked.modifiable.map((page) => page.path);
  let revision = 0;
  const edit = (path: string) => {
    revision += 1;
    return { [path]: revise(content.get(path) ?? '', `edit ${revision} of the day`) };
  };
  let cursor = 0;
  const nextEditable = () => editable[cursor++ % editable.length] ?? '';
  for (let done = 0; done < size.modifications && editable.length > 0;) {
    const paths = [...new Set(Array.from({ length: Math.min(size.pagesPerPush, size.modifications - done) }, nextEditable))];
    done += paths.length;
    push([
      {
        message: `Edit ${paths.length} pages`,
        files: Object.assign({}, ...paths.map(edit)) as Record<string, string>,
        added: [],
        modified: paths,
      },
    ]);
  }
  for (let big = 0; big < size.bigPushes && editable.length > 0; big += 1) {
    push(
      Array.from({ length: 25 }, (_, index) => {
        const path = nextEditable();
        return { message: `Wording pass ${big + 1}.${index + 1}`, files: edit(path), added: [], modified: [path] };
      }),
    );
  }

  // Merge requests: each changes a history page to its real later version; the first also gets a
  // second push (update), the second also edits a page everyone is editing on main.
  picked.history.forEach((page, index) => {
    const branch = `mr-${index + 1}`;
    const baseSha = head();
    state.createBranch(HANDBOOK.id, branch, baseSha);
    const files: Record<string, string> = { [page.path]: page.after };
    const extra = index === 1 ? editable[0] : undefined;
    if (extra !== undefined) files[extra] = revise(content.get(extra) ?? '', 'proposed in a merge request');
    const first = state.commit(HANDBOOK.id, { branch, message: `Update ${page.slug}`, date: nextDate(), files });
    const mr = state.addMergeRequest(HANDBOOK.id, {
      sourceBranch: branch,
      targetBranch: BRANCH,
      title: `Update ${page.slug}`,
      author: HUMAN,
    });
    const open = { project: HANDBOOK, iid: mr.iid, sourceBranch: branch, targetBranch: BRANCH, title: mr.title, author: human };
    events.push({
      id: `mr-${mr.iid}-open`,
      kind: 'merge-request',
      event: 'Merge Request Hook',
      body: mergeRequestPayload({ ...open, action: 'open', headSha: first }),
      pageChanges: 0,
      correlate: { path: `/merge_requests/${mr.iid}/notes` },
    });
    let headSha = first;
    const newSource = new Map(Object.entries(files));
    if (index === 0) {
      const updated = revise(page.after, 'review comments addressed');
      headSha = state.commit(HANDBOOK.id, {
        branch,
        message: 'Address review comments',
        date: nextDate(),
        files: { [page.path]: updated },
      });
      newSource.set(page.path, updated);
      events.push({
        id: `mr-${mr.iid}-update`,
        kind: 'merge-request',
        event: 'Merge Request Hook',
        body: mergeRequestPayload({ ...open, action: 'update', headSha, oldrev: first }),
        pageChanges: 0,
        correlate: { path: `/merge_requests/${mr.iid}/notes` },
      });
    }
    truth.mergeRequests.push({
      iid: mr.iid,
      headSha,
      baseSha,
      targetBranch: BRANCH,
      pages: [...newSource].map(([path, source]) => ({ path, oldSource: content.get(path) ?? null, newSource: source })),
    });
  });

  // Recruiting issues, opened by a recruiter, labelled with their family (some confidential).
  for (let n = 0; n < size.recruitingIssues && picked.recruiting.length > 0; n += 1) {
    const page = picked.recruiting[n % picked.recruiting.length] as HandbookPage & RecruitingPage;
    const roles = page.roles.filter((role) => role.stages.length > 0);
    const role = roles[Math.floor(random() * roles.length)] ?? page.roles[0];
    const title = `${role?.name ?? page.slug} — Candidate ${n + 1}`;
    const confidential = n % 3 !== 1;
    const labels = [`job-family::${page.slug}`];
    const issue = state.addIssue(RECRUITING.id, { title, labels, author: HUMAN, confidential });
    // The role's first stage, as written in the literal table.
    const stage = role?.stages[0] ?? '';
    truth.issues.push({ iid: issue.iid, slug: page.slug, title, confidential, stage });
    events.push({
      id: `issue-${issue.iid}`,
      kind: 'issue',
      event: confidential ? 'Confidential Issue Hook' : 'Issue Hook',
      body: issuePayload({ project: RECRUITING, iid: issue.iid, title, confidential, labels, updatedAt: issue.updatedAt, author: human }),
      pageChanges: 0,
      correlate: { path: `${RECRUITING.id}/issues/${issue.iid}` },
    });
  }

  if (size.commands) {
    const comment = (project: TestProject, kind: 'issues' | 'merge_requests', iid: number, text: string) => {
      const simProject = state.requireProject(project.id);
      const noteable =
        kind === 'issues' ? state.issues.find((i) => i.projectId === project.id && i.iid === iid) : state.findMergeRequest(simProject, iid);
      if (noteable === undefined) throw new Error(`no ${kind} ${iid}`);
      const note = state.addNote(simProject, kind, noteable, human.id, text);
      truth.commands.push({ noteId: note.id, project, kind, iid, text });
      return note.id;
    };
    // `stage offer` on the recruiting issue whose role has an offer step (else its last stage).
    const target = truth.issues.find((issue) => issue.stage !== '');
    if (target !== undefined) {
      const page = picked.recruiting.find((candidate) => candidate.slug === target.slug);
      const stages = page?.roles.find((role) => target.title.startsWith(`${role.name} — `))?.stages ?? [];
      const stage = stages.includes('offer') ? 'offer' : (stages.at(-1) ?? 'offer');
      const text = `@handbook-bot stage ${stage}`;
      const noteId = comment(RECRUITING, 'issues', target.iid, text);
      target.stage = stage;
      events.push({
        id: `note-${noteId}`,
        kind: 'note',
        event: target.confidential ? 'Confidential Note Hook' : 'Note Hook',
        body: notePayload({
          project: RECRUITING,
          noteId,
          note: text,
          author: human,
          on: { kind: 'Issue', iid: target.iid, title: target.title, confidential: target.confidential },
        }),
        pageChanges: 0,
        correlate: { text: `command-reply ${noteId}` },
      });
    }
    truth.mergeRequests.forEach((mr, index) => {
      const text = index === 0 ? '@handbook-bot recheck' : '@handbook-bot help';
      const noteId = comment(HANDBOOK, 'merge_requests', mr.iid, text);
      events.push({
        id: `note-${noteId}`,
        kind: 'note',
        event: 'Note Hook',
        body: notePayload({
          project: HANDBOOK,
          noteId,
          note: text,
          author: human,
          on: { kind: 'MergeRequest', iid: mr.iid, targetBranch: BRANCH, headSha: mr.headSha },
        }),
        pageChanges: 0,
        correlate: { text: `command-reply ${noteId}` },
      });
    });
  }
  return { events, truth };
}
