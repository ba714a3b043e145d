import type { GitLabView, LabelView, OkrIssueView } from './gitlab-view.js';

/**
 * Differences between the state the bot left (`actual`) and the reference (`expected`, a fresh sync
 * of the final tree), each one line that names the page (its `job-family::` slug) or the label, board
 * or issue it is about. An empty list means the two GitLabs are the same for everything the oracle
 * checks.
 */

/**
 * What a difference is about: `okr` (OKR issues and the handbook's labels), `hiring` (stage labels,
 * boards, recruiting issues), `gitlab` (violations, stray issues). Stage labels and board lists of
 * stages no page has any more are kept by design (the bot deletes neither) and are not differences. Properties check one aspect each,
 * so a failure in one shrinks to its own minimal history instead of hiding the other.
 */
export type Aspect = 'okr' | 'hiring' | 'gitlab';

export interface Difference {
  aspect: Aspect;
  /** The page's slug, or `labels`, `board`, `recruiting #<iid>`, `gitlab`. */
  subject: string;
  what: string;
}

export function formatDifferences(differences: readonly Difference[]): string {
  return differences.map((difference) => `${difference.subject}: ${difference.what}`).join('\n');
}

const show = (value: unknown) => JSON.stringify(value);

function lineDiff(actual: string, expected: string): string {
  const a = actual.split('\n');
  const e = expected.split('\n');
  const missing = e.filter((line) => !a.includes(line));
  const extra = a.filter((line) => !e.includes(line));
  if (missing.length === 0 && extra.length === 0) return 'same lines in another order';
  return [...missing.map((line) => `missing ${show(line)}`), ...extra.map((line) => `unexpected ${show(line)}`)].join('; ');
}

function compareIssue(actual: OkrIssueView, expected: OkrIssueView, out: Difference[]): void {
  const subject = expected.slug;
  const aspect = 'okr';
  if (actual.title !== expected.title)
    out.push({ aspect, subject, what: `OKR issue title ${show(actual.title)}, expected ${show(expected.title)}` });
  if (show(actual.labels) !== show(expected.labels))
    out.push({ aspect, subject, what: `OKR issue labels ${show(actual.labels)}, expected ${show(expected.labels)}` });
  if (actual.dueDate !== expected.dueDate)
    out.push({ aspect, subject, what: `OKR issue due date ${show(actual.dueDate)}, expected ${show(expected.dueDate)}` });
  if (actual.block !== expected.block) out.push({ aspect, subject, what: `OKR block differs: ${lineDiff(actual.block, expected.block)}` });
  if (show(actual.notes) !== show(expected.notes))
    out.push({ aspect, subject, what: `OKR issue bot notes ${show(actual.notes)}, expected ${show(expected.notes)}` });
  for (const link of actual.staleLinks) out.push({ aspect, subject, what: `OKR block links a stale version: ${link}` });
}

function compareLabels(
  aspect: Aspect,
  subject: string,
  actual: readonly LabelView[],
  expected: readonly LabelView[],
  out: Difference[],
  extraAllowed: (name: string) => boolean,
  extraAspect: Aspect = aspect,
): void {
  const actualByName = new Map(actual.map((label) => [label.name, label]));
  for (const label of expected) {
    const found = actualByName.get(label.name);
    if (found === undefined) out.push({ aspect, subject, what: `label ${label.name} missing` });
    else if (show(found) !== show(label))
      out.push({ aspect, subject, what: `label ${label.name} is ${show(found)}, expected ${show(label)}` });
  }
  const expectedNames = new Set(expected.map((label) => label.name));
  for (const label of actual) {
    if (!expectedNames.has(label.name) && !extraAllowed(label.name))
      out.push({ aspect: extraAspect, subject, what: `label ${label.name} should not exist` });
  }
}

/** Lists in order for the stages a fresh sync has; lists of stages it has not are residue. */
function compareBoards(actual: GitLabView['boards'], expected: GitLabView['boards'], out: Difference[]): void {
  const names = (boards: GitLabView['boards']) => boards.map((board) => board.name);
  // A board once made stays when no page has a hiring process any more (an empty expectation).
  const missing = names(expected).filter((name) => !names(actual).includes(name));
  const extra = names(actual).filter((name) => !names(expected).includes(name) && expected.length > 0);
  if (missing.length > 0 || extra.length > 0)
    out.push({ aspect: 'hiring', subject: 'board', what: `boards ${show(names(actual))}, expected ${show(names(expected))}` });
  for (const want of expected) {
    const found = actual.find((board) => board.name === want.name);
    if (found === undefined) continue;
    const inUse = found.lists.filter((list) => want.lists.includes(list));
    if (show(inUse) !== show(want.lists))
      out.push({
        aspect: 'hiring',
        subject: 'board',
        what: `board "${want.name}" lists ${show(found.lists)}, expected ${show(want.lists)}`,
      });
    // Lists of stages no page has any more stay: the bot never deletes lists (DESIGN §4, README "Hiring stages").
  }
}

/**
 * `actual` may carry handbook labels a fresh sync would not create (`job-family::<slug>` of pages that
 * existed during the history, `OKR` after every page left, review labels of merge requests) as long as
 * no open OKR issue uses them: GitLab labels outlive their use, and the bot never deletes labels.
 */
export function diffViews(actual: GitLabView, expected: GitLabView): Difference[] {
  const out: Difference[] = [];
  let aspect: Aspect = 'okr';
  for (const [key, issues] of expected.okrIssues) {
    const slug = key.split(' ')[0] ?? key;
    const found = actual.okrIssues.get(key) ?? [];
    const want = issues[0];
    if (want === undefined) continue;
    if (found.length === 0) out.push({ aspect, subject: slug, what: `no open OKR issue ${show(want.title)}` });
    if (found.length > 1)
      out.push({ aspect, subject: slug, what: `${found.length} open OKR issues for ${key}: ${show(found.map((issue) => issue.title))}` });
    const first = found[0];
    if (first !== undefined) compareIssue(first, want, out);
  }
  for (const [key, issues] of actual.okrIssues) {
    if (!expected.okrIssues.has(key))
      out.push({
        aspect,
        subject: key.split(' ')[0] ?? key,
        what: `open OKR issue(s) a fresh sync does not have: ${show(issues.map((issue) => issue.title))}`,
      });
  }
  const usedLabels = new Set([...actual.okrIssues.values()].flat().flatMap((issue) => issue.labels));
  compareLabels('okr', 'labels', actual.handbookLabels, expected.handbookLabels, out, (name) => !usedLabels.has(name));
  aspect = 'hiring';
  // A stage no page has any more keeps its label (deleting a label strips it from every issue that
  // carries it); only the labels of the stages in use must be exactly what a fresh sync makes.
  compareLabels('hiring', 'stage labels', actual.stageLabels, expected.stageLabels, out, () => true);
  compareBoards(actual.boards, expected.boards, out);
  const expectedIssues = new Map(expected.recruitingIssues.map((issue) => [issue.iid, issue]));
  for (const issue of actual.recruitingIssues) {
    const want = expectedIssues.get(issue.iid);
    if (want === undefined) continue;
    if (show(issue.labels) !== show(want.labels))
      out.push({ aspect, subject: `recruiting #${issue.iid}`, what: `labels ${show(issue.labels)}, expected ${show(want.labels)}` });
  }
  aspect = 'gitlab';
  for (const stray of actual.strayBotIssues) out.push({ aspect, subject: 'gitlab', what: `bot issue without an OKR key: ${stray}` });
  for (const violation of actual.violations) out.push({ aspect, subject: 'gitlab', what: `violation: ${violation}` });
  return out;
}
