import type { Issue, IssueCreate, IssueEdit, LabelWrite } from '../../gitlab/api.js';
import { attributeValue, beginMarker, extractBlock, isOlderThanBlock, markerKeys } from '../../gitlab/markers.js';
import { sanitizeInline } from '../../gitlab/sanitize.js';
import { okrLabelSpec } from './labels.js';
import { findBlock, updateDescription, type OkrIssuePlan } from './issue-plan.js';

/**
 * The OKR tracking issue's reconcile plan (DESIGN §4): from the desired state (the page's plan, or
 * "the page was removed") and the issues GitLab has, the operations to run. Pure: `okr-issue.ts` reads
 * GitLab, calls this, and applies what it returns; running it again on the result plans nothing.
 *
 * Rules:
 * - the issue of a page for a quarter is the one whose description carries `okr <slug> <FYxx-Qn>`
 *   (lowest iid if people copied it); none → create it, labels first;
 * - a block written for a later commit is never replaced (`committed=` in the begin marker);
 * - only the bot's block is rewritten, ticks kept (`updateDescription`); nothing is sent when the
 *   description would not change;
 * - a re-sync of an unchanged page at a newer commit (`sync`, the periodic reconcile) leaves a block that
 *   differs only by its commit alone: every commit that changes the page has its own push job, which
 *   does write, so the block still never goes back to older content;
 * - the title follows the page's title only while it is the bot's (people may rename the issue);
 * - page removed: every open issue of the page (any quarter) gets a comment (once), its block marked
 *   `removed=true` and is closed; closed ones are left alone; a page that comes back reopens the
 *   quarter's issue the bot closed.
 */

export interface OkrPagePresent {
  kind: 'present';
  plan: OkrIssuePlan;
  committedAt: string;
  /** The title planned for the previous version of the page, when it was read. */
  previousTitle: string | null;
  /** True for re-syncs (`sync`, `reconcile`): a change of commit alone is not worth a write. */
  ignoreCommitOnlyChange: boolean;
  /** Usernames from `okr.assignees`, resolved to ids only when creating. */
  assignees: readonly string[];
}

export interface OkrPageRemoved {
  kind: 'removed';
  slug: string;
  path: string;
  commit: string;
  committedAt: string;
}

export type OkrDesired = OkrPagePresent | OkrPageRemoved;

export type OkrOperation =
  | { kind: 'ensure-labels'; labels: LabelWrite[] }
  | { kind: 'create-issue'; issue: IssueCreate; assignees: string[] }
  | { kind: 'edit-issue'; iid: number; edit: IssueEdit }
  /** A note written once: `apply` looks for the bot's note with this marker before posting. */
  | { kind: 'comment-once'; iid: number; marker: { kind: string; key: string }; body: string };

/** `moved`: a removal at a commit where the page lives on under another path with the same slug. */
export type OkrOutcome = 'created' | 'updated' | 'unchanged' | 'older-commit' | 'closed' | 'moved' | 'no-issue';

export interface OkrReconcilePlan {
  outcome: OkrOutcome;
  /** The issue concerned (the first one for a removal), `null` when it is to be created or there is none. */
  iid: number | null;
  operations: OkrOperation[];
}

export const REMOVED_NOTE_KIND = 'okr-removed';
export const REMOVED_NOTICE_PREFIX = '**This job-family page was removed**';

export function planOkrReconcile(desired: OkrDesired, issues: readonly Issue[]): OkrReconcilePlan {
  return desired.kind === 'present' ? planPresent(desired, issues) : planRemoved(desired, issues);
}

/** `<slug> <FYxx-Qn>`: the key of the `okr` marker (see `okrIssueKey`). */
export function okrMarkerKey(slug: string, quarterLabel: string): string {
  return `${slug} ${quarterLabel}`;
}

/** The issue of the page for the quarter: the lowest iid carrying the key (duplicates are people's copies). */
export function pickOkrIssue(issues: readonly Issue[], key: string): Issue | null {
  const matching = issues.filter((issue) => markerKeys(issue.description, 'okr').includes(key));
  return matching.sort((a, b) => a.iid - b.iid)[0] ?? null;
}

/** Every issue of the page, whatever the quarter. */
export function pageOkrIssues(issues: readonly Issue[], slug: string): Issue[] {
  return issues
    .filter((issue) => markerKeys(issue.description, 'okr').some((key) => key.startsWith(`${slug} `)))
    .sort((a, b) => a.iid - b.iid);
}

function planPresent(desired: OkrPagePresent, issues: readonly Issue[]): OkrReconcilePlan {
  const { plan } = desired;
  const issue = pickOkrIssue(issues, okrMarkerKey(plan.model.slug, plan.model.quarter.label));
  if (issue === null) {
    return {
      outcome: 'created',
      iid: null,
      operations: [
        { kind: 'ensure-labels', labels: plan.labels.map(okrLabelSpec) },
        {
          kind: 'create-issue',
          issue: { title: plan.title, description: updateDescription(null, plan.block), labels: [...plan.labels], due_date: plan.dueDate },
          assignees: [...desired.assignees],
        },
      ],
    };
  }

  const description = issue.description ?? '';
  if (isOlderThanBlock(description, desired.committedAt)) return { outcome: 'older-commit', iid: issue.iid, operations: [] };

  const wasRemoved = isRemovedBlock(description);
  let next = updateDescription(description, plan.block);
  const before = findBlock(description)?.block;
  const after = findBlock(next)?.block;
  if (desired.ignoreCommitOnlyChange && !wasRemoved && before !== undefined && after !== undefined && sameExceptCommit(before, after)) {
    next = description;
  }

  const edit: IssueEdit = {};
  if (next !== description) edit.description = next;
  const titleIsTheBots = desired.previousTitle !== null && issue.title === desired.previousTitle;
  if (titleIsTheBots && plan.title !== issue.title) edit.title = plan.title;
  const missing = plan.labels.filter((label) => !issue.labels.includes(label));
  if (missing.length > 0) edit.add_labels = missing;
  if (issue.state === 'closed' && wasRemoved) edit.state_event = 'reopen';

  if (Object.keys(edit).length === 0) return { outcome: 'unchanged', iid: issue.iid, operations: [] };
  const operations: OkrOperation[] = [];
  if (missing.length > 0) operations.push({ kind: 'ensure-labels', labels: missing.map(okrLabelSpec) });
  operations.push({ kind: 'edit-issue', iid: issue.iid, edit });
  return { outcome: 'updated', iid: issue.iid, operations };
}

function planRemoved(desired: OkrPageRemoved, issues: readonly Issue[]): OkrReconcilePlan {
  const mine = pageOkrIssues(issues, desired.slug);
  if (mine.length === 0) return { outcome: 'no-issue', iid: null, operations: [] };

  const operations: OkrOperation[] = [];
  let older = 0;
  let moved = 0;
  for (const issue of mine) {
    // Closed already (by people at the quarter's end, or by this removal): nothing to close, no noise.
    if (issue.state === 'closed') continue;
    const description = issue.description ?? '';
    if (isOlderThanBlock(description, desired.committedAt)) {
      older += 1;
      continue;
    }
    const attributes = extractBlock(description)?.attributes;
    // Written for this very commit: either this removal already ran (done), or the page exists at
    // this commit under another path with the same slug (a move), whose sync wrote the block.
    if (attributes?.commit === desired.commit) {
      if (attributes.removed !== 'true') moved += 1;
      continue;
    }
    const found = findBlock(description);
    const next =
      found === null
        ? description
        : description.slice(0, found.start) + markBlockRemoved(found.block, desired) + description.slice(found.end);

    const edit: IssueEdit = { ...(next === description ? {} : { description: next }), state_event: 'close' };
    // The comment first: if the edit then fails, the retry finds the comment and only edits.
    operations.push({
      kind: 'comment-once',
      iid: issue.iid,
      marker: { kind: REMOVED_NOTE_KIND, key: `${desired.slug} ${attributeValue(desired.commit)}` },
      body: removedComment(desired),
    });
    operations.push({ kind: 'edit-issue', iid: issue.iid, edit });
  }
  const first = mine[0]?.iid ?? null;
  const outcome: OkrOutcome =
    operations.length > 0 ? 'closed' : moved > 0 ? 'moved' : older > 0 ? 'older-commit' : 'unchanged';
  return { outcome, iid: first, operations };
}

export function isRemovedBlock(description: string | null | undefined): boolean {
  return extractBlock(description)?.attributes.removed === 'true';
}

/**
 * The block of a removed page: same content (people's ticks stay), a notice under the key marker, and
 * a begin marker that records the removal's commit, so an older job cannot bring the page back.
 */
export function markBlockRemoved(block: string, removal: Pick<OkrPageRemoved, 'commit' | 'committedAt'>): string {
  const lines = block.split('\n').filter((line) => !line.startsWith(REMOVED_NOTICE_PREFIX));
  lines[0] = beginMarker({ commit: attributeValue(removal.commit), committed: attributeValue(removal.committedAt), removed: 'true' });
  const keyLine = lines.findIndex((line) => markerKeys(line, 'okr').length > 0);
  const notice = `${REMOVED_NOTICE_PREFIX} from the handbook at commit \`${attributeValue(removal.commit).slice(0, 8)}\`; this issue was closed.`;
  lines.splice(keyLine >= 0 ? keyLine + 1 : 1, 0, notice);
  return lines.join('\n');
}

function removedComment(removal: OkrPageRemoved): string {
  const path = sanitizeInline(removal.path, { allowedMentions: new Set() });
  const commit = attributeValue(removal.commit).slice(0, 8);
  return `The job-family page ${path} was removed from the handbook at commit \`${commit}\`, so this OKR tracking issue is closed. If the page comes back this quarter, handbook-bot reopens the issue and updates it.`;
}

/**
 * True when two blocks say the same thing about the page and differ only by the commit they were
 * planned from (begin marker attributes, the commit in the page link, the short commit shown).
 */
export function sameExceptCommit(a: string, b: string): boolean {
  return commitless(a) === commitless(b);
}

function commitless(block: string): string {
  const commit = extractBlock(block)?.attributes.commit;
  let body = block.split('\n').slice(1).join('\n');
  if (commit !== undefined && commit.length >= 8) body = body.split(commit).join('<commit>').split(commit.slice(0, 8)).join('<commit>');
  return body;
}

