import type { DumpIssue, DumpLabel, DumpNote, DumpProject, SimDump } from '../gitlab-sim/types.js';

/**
 * The oracle's view of GitLab: what a person would check by hand, read from a simulator dump, with no
 * code of the product under test. It knows only the bot's published contract (DESIGN §4–§6): the
 * `<!-- handbook-bot:okr <slug> <quarter> -->` key marker of an OKR issue, the begin/end markers of the
 * bot-owned block, the marker on the first line of every bot note, the `hiring-stage::` and
 * `job-family::` label names.
 *
 * Two GitLabs built differently (a replay of history, a fresh sync of the final tree) must give equal
 * views; what legitimately differs between them is normalised away, and nothing else:
 * - commit ids and commit times in the block: the replay may point at any commit where the page is the
 *   same as in the final tree (checked separately: `staleLinks`), a fresh sync points at the head;
 * - the simulator's address (each simulator listens on its own port);
 * - closed OKR issues and notes that record history (a page moved or removed on the way): a fresh sync
 *   has no history. Open issues, their labels, titles, blocks and state-describing notes are compared.
 */

export const BOT = 'handbook-bot';

export interface LabelView {
  name: string;
  color: string;
  description: string | null;
}

export interface OkrIssueView {
  /** `<slug> <quarter>` from the key marker. */
  key: string;
  slug: string;
  title: string;
  state: string;
  labels: string[];
  dueDate: string | null;
  /** The bot-owned block, normalised (see `normaliseBlock`). */
  block: string;
  /** Marker kinds of the bot's notes that describe state rather than history, oldest first. */
  notes: string[];
  /** Links in the block whose page, at the commit they name, is not the page of the final tree. */
  staleLinks: string[];
}

export interface RecruitingIssueView {
  iid: number;
  title: string;
  state: string;
  labels: string[];
  /** Marker kinds of the bot's notes, oldest first. */
  notes: string[];
}

export interface GitLabView {
  /** Open OKR issues by key; more than one per key is itself a difference. */
  okrIssues: Map<string, OkrIssueView[]>;
  /** Closed OKR issues, by key (history: counted, not compared). */
  closedOkrIssues: number;
  handbookLabels: LabelView[];
  stageLabels: LabelView[];
  boards: Array<{ name: string; lists: string[] }>;
  recruitingIssues: RecruitingIssueView[];
  /** Issues in the handbook project that carry no OKR key but were written by the bot. */
  strayBotIssues: string[];
  violations: string[];
}

/** Reads a file of the simulated repository at a commit (for `staleLinks`). */
export type FileAt = (commit: string, path: string) => string | undefined;

export interface ViewOptions {
  handbookPath: string;
  recruitingPath: string;
  /** The final tree (path → content) the block links are checked against. */
  finalTree?: ReadonlyMap<string, string>;
  fileAt?: FileAt;
}

/**
 * Note kinds that record an event of the history (where a page, an issue or a stage went: `okr-moved`,
 * `okr-removed`, `stage-moved`, `family-moved`, …), not the state it left. Notes of any other kind
 * (`stage-invalid`, `command-reply`, …) describe state and are compared.
 */
export function isHistoryNote(kind: string): boolean {
  return /-(moved|removed|renamed|superseded)$/u.test(kind);
}

const KEY = /<!-- handbook-bot:okr ([a-z0-9-]+) (FY\d+-Q\d) -->/u;
const BEGIN = /<!-- handbook-bot:begin(?: [^\r\n>]*?)? -->/u;
const END = '<!-- handbook-bot:end -->';
const NOTE_MARKER = /^<!-- handbook-bot:([a-z][a-z0-9-]*)(?: [^\r\n>]*?)? -->/u;
const BLOB_LINK = /\/-\/blob\/([0-9a-f]{40})\/([^)\s]+)/gu;

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function project(dump: SimDump, path: string): DumpProject | undefined {
  return dump.projects.find((candidate) => candidate.path === path);
}

function botNoteKinds(notes: readonly DumpNote[]): string[] {
  return notes
    .filter((note) => note.author === BOT && !note.system)
    .map((note) => NOTE_MARKER.exec(note.body)?.[1] ?? 'unmarked')
    .filter((kind) => !isHistoryNote(kind));
}

/** The bot-owned block with commit ids, commit times and the simulator's address taken out. */
export function normaliseBlock(description: string | null): string {
  if (description === null) return '';
  const endAt = description.indexOf(END);
  const begin = BEGIN.exec(description);
  if (endAt < 0 || begin === null || begin.index > endAt) return '(no bot block)';
  const block = description.slice(begin.index + begin[0].length, endAt);
  return `<!-- handbook-bot:begin -->${block}${END}`
    .replace(/https?:\/\/127\.0\.0\.1:\d+/gu, '<gitlab>')
    .replace(/[0-9a-f]{40}/gu, '<commit>')
    .replace(/at commit `[0-9a-f]{7,12}`/gu, 'at commit `<commit>`');
}

function staleLinks(description: string | null, options: ViewOptions): string[] {
  const { finalTree, fileAt } = options;
  if (description === null || finalTree === undefined || fileAt === undefined) return [];
  const stale: string[] = [];
  for (const match of description.matchAll(BLOB_LINK)) {
    const commit = match[1] ?? '';
    const path = (match[2] ?? '').split('/').map(decodeURIComponent).join('/');
    const then = fileAt(commit, path);
    if (then === undefined || then !== finalTree.get(path)) {
      stale.push(
        `${path} at ${commit.slice(0, 8)} (${then === undefined ? 'missing there' : finalTree.has(path) ? 'differs from the branch head' : 'not in the final tree'})`,
      );
    }
  }
  return stale;
}

function okrIssue(issue: DumpIssue, key: RegExpExecArray, options: ViewOptions): OkrIssueView {
  return {
    key: `${key[1]} ${key[2]}`,
    slug: key[1] ?? '',
    title: issue.title,
    state: issue.state,
    labels: [...issue.labels].sort(byName),
    dueDate: issue.due_date,
    block: normaliseBlock(issue.description),
    notes: botNoteKinds(issue.notes),
    staleLinks: staleLinks(issue.description, options),
  };
}

const labelView = (label: DumpLabel): LabelView => ({ name: label.name, color: label.color.toLowerCase(), description: label.description });

export function gitlabView(dump: SimDump, options: ViewOptions): GitLabView {
  const handbook = project(dump, options.handbookPath);
  const recruiting = project(dump, options.recruitingPath);
  const okrIssues = new Map<string, OkrIssueView[]>();
  let closedOkrIssues = 0;
  const strayBotIssues: string[] = [];
  for (const issue of handbook?.issues ?? []) {
    const key = KEY.exec(issue.description ?? '');
    if (key === null) {
      if (issue.author === BOT) strayBotIssues.push(`#${issue.iid} ${issue.title}`);
      continue;
    }
    if (issue.state !== 'opened') {
      closedOkrIssues += 1;
      continue;
    }
    const view = okrIssue(issue, key, options);
    okrIssues.set(view.key, [...(okrIssues.get(view.key) ?? []), view]);
  }
  const recruitingIssues = (recruiting === handbook ? [] : (recruiting?.issues ?? [])).map((issue) => ({
    iid: issue.iid,
    title: issue.title,
    state: issue.state,
    labels: [...issue.labels].sort(byName),
    notes: botNoteKinds(issue.notes),
  }));
  return {
    okrIssues,
    closedOkrIssues,
    handbookLabels: (handbook?.labels ?? [])
      .filter((label) => !label.name.startsWith('hiring-stage::'))
      .map(labelView)
      .sort((a, b) => byName(a.name, b.name)),
    stageLabels: (recruiting?.labels ?? [])
      .filter((label) => label.name.startsWith('hiring-stage::'))
      .map(labelView)
      .sort((a, b) => byName(a.name, b.name)),
    boards: (recruiting?.boards ?? []).map((board) => ({ name: board.name, lists: board.lists })).sort((a, b) => byName(a.name, b.name)),
    recruitingIssues,
    strayBotIssues,
    violations: dump.violations.map(
      (violation) => `${violation.kind} in ${violation.project} ${violation.target}: ${violation.text.slice(0, 80)}`,
    ),
  };
}
