import type { Issue, IssueCreate, IssueEdit, LabelWrite } from '../../gitlab/api.js';
import { attributeValue, beginMarker, extractBlock, markerKeys } from '../../gitlab/markers.js';
import { sanitizeInline } from '../../gitlab/sanitize.js';
import { okrLabelSpec } from './labels.js';
import { findBlock, titleDigest, updateDescription, type OkrIssuePlan } from './issue-plan.js';

/**
 * The OKR tracking issue's reconcile plan (DESIGN §4): from the desired state (the page's plan as the
 * branch holds it now, or "the page is gone") and the issues GitLab has, the operations to run. Pure:
 * `issue.ts` reads GitLab, calls this, and applies what it returns; running it again on the result
 * plans nothing. Level-triggered: what was applied last is the issue's block itself, and the plan is
 * the difference to it; no commit time or order of events is consulted, so a revert is just another
 * state and the block follows the branch whichever job runs last.
 *
 * Rules:
 * - the issue of a page for a quarter is the one whose description carries `okr <slug> <FYxx-Qn>`
 *   (lowest iid if people copied it); none → create it, labels first;
 * - only the bot's block is rewritten, ticks kept (`updateDescription`); nothing is sent when the
 *   description would not change (the block names the commit that last changed the page, so a sync at
 *   a later, unrelated commit renders the same block);
 * - the title follows the page's title only while it is the bot's: the begin marker records a digest
 *   of the title the bot gave (`title=`), and people's renames are left alone;
 * - rollover: open issues of the page for an earlier quarter are closed with a note linking their
 *   successor (their block is marked `superseded=<quarter>`, so a person reopening one is left alone);
 *   a new quarter's issue lists the key results the previous quarter left unticked;
 * - page removed: every open issue of the page (any quarter) gets a comment (once), its block marked
 *   `removed=true` and is closed; closed ones are left alone; a page that comes back reopens the
 *   quarter's issue the bot closed.
 */

export interface OkrPagePresent {
  kind: 'present';
  plan: OkrIssuePlan;
  /** Usernames from `okr.assignees`, resolved to ids only when creating. */
  assignees: readonly string[];
}

export interface OkrPageRemoved {
  kind: 'removed';
  slug: string;
  path: string;
  /** The branch head at which the page was found missing. */
  commit: string;
}

export type OkrDesired = OkrPagePresent | OkrPageRemoved;

export type OkrOperation =
  | { kind: 'ensure-labels'; labels: LabelWrite[] }
  | { kind: 'create-issue'; issue: IssueCreate; assignees: string[] }
  | { kind: 'edit-issue'; iid: number; edit: IssueEdit }
  /** A note written once: `apply` looks for the bot's note with this marker before posting. */
  | { kind: 'comment-once'; iid: number; marker: { kind: string; key: string }; body: string }
  /**
   * An earlier quarter's issue closed in favour of the current one; `successor` null: the issue the
   * `create-issue` before it made (its iid is known only once created).
   */
  | { kind: 'supersede'; iid: number; successor: number | null; quarter: string; edit: IssueEdit };

export type OkrOutcome = 'created' | 'updated' | 'unchanged' | 'closed' | 'no-issue';

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
  const quarter = plan.model.quarter.label;
  const issue = pickOkrIssue(issues, okrMarkerKey(plan.model.slug, quarter));
  const earlier = pageOkrIssues(issues, plan.model.slug).filter((candidate) => {
    const key = okrKeyOf(candidate, plan.model.slug);
    return key !== null && key.quarter < quarter;
  });
  const supersede = (successor: number | null): OkrOperation[] =>
    earlier.flatMap((old) => {
      const description = old.description ?? '';
      const attributes = extractBlock(description)?.attributes;
      if (old.state === 'closed' || attributes?.superseded !== undefined || attributes?.removed === 'true') return [];
      const found = findBlock(description);
      const next =
        found === null
          ? description
          : description.slice(0, found.start) + markBlockSuperseded(found.block, quarter) + description.slice(found.end);
      return [
        {
          kind: 'supersede',
          iid: old.iid,
          successor,
          quarter,
          edit: { ...(next === description ? {} : { description: next }), state_event: 'close' },
        },
      ];
    });

  if (issue === null) {
    const previous =
      earlier
        .filter((old) => extractBlock(old.description)?.attributes.removed !== 'true')
        .sort((a, b) => ((okrKeyOf(a, plan.model.slug)?.quarter ?? '') < (okrKeyOf(b, plan.model.slug)?.quarter ?? '') ? -1 : 1))
        .at(-1) ?? null;
    const carried = previous === null ? '' : carryOver(previous, plan.model.slug);
    return {
      outcome: 'created',
      iid: null,
      operations: [
        { kind: 'ensure-labels', labels: plan.labels.map(okrLabelSpec) },
        {
          kind: 'create-issue',
          issue: {
            title: plan.title,
            description: carried === '' ? updateDescription(null, plan.block) : `${plan.block}\n\n${carried}`,
            labels: [...plan.labels],
            due_date: plan.dueDate,
          },
          assignees: [...desired.assignees],
        },
        ...supersede(null),
      ],
    };
  }

  const description = issue.description ?? '';
  const wasRemoved = isRemovedBlock(description);
  const next = updateDescription(description, plan.block);

  const edit: IssueEdit = {};
  if (next !== description) edit.description = next;
  if (plan.title !== issue.title && isBotTitle(issue, description, quarter)) edit.title = plan.title;
  const missing = plan.labels.filter((label) => !issue.labels.includes(label));
  if (missing.length > 0) edit.add_labels = missing;
  if (issue.state === 'closed' && wasRemoved) edit.state_event = 'reopen';

  const operations: OkrOperation[] = [];
  if (missing.length > 0) operations.push({ kind: 'ensure-labels', labels: missing.map(okrLabelSpec) });
  if (Object.keys(edit).length > 0) operations.push({ kind: 'edit-issue', iid: issue.iid, edit });
  operations.push(...supersede(issue.iid));
  if (operations.length === 0) return { outcome: 'unchanged', iid: issue.iid, operations: [] };
  return { outcome: 'updated', iid: issue.iid, operations };
}

/**
 * True when the issue's title is the one the bot gave it. Blocks written before the digest was
 * recorded fall back to the bot's title pattern (`OKRs: … — <quarter>`).
 */
function isBotTitle(issue: Issue, description: string, quarter: string): boolean {
  const recorded = extractBlock(description)?.attributes.title;
  if (recorded !== undefined) return recorded === titleDigest(issue.title);
  return issue.title.startsWith('OKRs: ') && issue.title.endsWith(` — ${quarter}`);
}

/** The quarter of an issue's key for `slug`, or `null` when it carries none. */
function okrKeyOf(issue: Issue, slug: string): { quarter: string } | null {
  const key = markerKeys(issue.description, 'okr').find((candidate) => candidate.startsWith(`${slug} `));
  return key === undefined ? null : { quarter: key.slice(slug.length + 1) };
}

export const CARRIED_OVER_PREFIX = '**Carried over from';

/**
 * The key results a previous quarter's issue left unticked, as text below the new issue's block
 * (people's part of the description: the bot writes it once, at creation).
 */
export function carryOver(previous: Issue, slug: string): string {
  const block = extractBlock(previous.description);
  const quarter = okrKeyOf(previous, slug)?.quarter ?? 'the previous quarter';
  if (block === null) return '';
  const lines = block.content.split('\n');
  const at = lines.findIndex((line) => line.startsWith('**Key results**'));
  const unticked = lines.slice(at + 1).filter((line) => /^- \[ \] /u.test(line));
  if (at < 0 || unticked.length === 0) return '';
  return [`${CARRIED_OVER_PREFIX} ${quarter}** (#${previous.iid}): key results still unticked there.`, ...unticked].join('\n');
}

/** An earlier quarter's block once its successor exists: same content, a notice, `superseded=`. */
export function markBlockSuperseded(block: string, successorQuarter: string): string {
  const lines = block.split('\n');
  const attributes = extractBlock(block)?.attributes ?? {};
  lines[0] = beginMarker({ ...attributes, superseded: attributeValue(successorQuarter) });
  const keyLine = lines.findIndex((line) => markerKeys(line, 'okr').length > 0);
  lines.splice(keyLine >= 0 ? keyLine + 1 : 1, 0, `${SUPERSEDED_NOTICE_PREFIX} ${successorQuarter}; this issue was closed.`);
  return lines.join('\n');
}

export const SUPERSEDED_NOTICE_PREFIX = '**The quarter is over:** tracking continues in the issue for';
export const SUPERSEDED_NOTE_KIND = 'okr-superseded';

function planRemoved(desired: OkrPageRemoved, issues: readonly Issue[]): OkrReconcilePlan {
  const mine = pageOkrIssues(issues, desired.slug);
  if (mine.length === 0) return { outcome: 'no-issue', iid: null, operations: [] };

  const operations: OkrOperation[] = [];
  for (const issue of mine) {
    // Closed already (by people, at the quarter's end, or by this removal): nothing to close, no noise.
    if (issue.state === 'closed') continue;
    const description = issue.description ?? '';
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
  return { outcome: operations.length > 0 ? 'closed' : 'unchanged', iid: first, operations };
}

export function isRemovedBlock(description: string | null | undefined): boolean {
  return extractBlock(description)?.attributes.removed === 'true';
}

/**
 * The block of a removed page: same content (people's ticks stay), a notice under the key marker, and
 * a begin marker that records the removal (`removed=true`), so the page's return reopens the issue.
 */
export function markBlockRemoved(block: string, removal: Pick<OkrPageRemoved, 'commit'>): string {
  const lines = block.split('\n').filter((line) => !line.startsWith(REMOVED_NOTICE_PREFIX));
  lines[0] = beginMarker({ commit: attributeValue(removal.commit), removed: 'true' });
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
