import { pageMatcher } from '../../config/page-matcher.js';
import type { ReviewRule } from '../../config/schema.js';
import type { FileChange, GitLabUser, LabelWrite, MergeRequest, Note } from '../../gitlab/api.js';
import { hasMarker } from '../../gitlab/markers.js';
import { sanitizeInline } from '../../gitlab/sanitize.js';
import { diffPages } from '../../jobfamily/diff.js';
import type { JobFamilyPage, ProblemCode } from '../../jobfamily/model.js';
import type { MrChecklistData, PageReviewData, ProjectId } from '../../queue/jobs.js';
import { withKeyedLock } from '../../queue/keyed-lock.js';
import type { ChildResults, MrChecklistSteps, PageReviewTarget } from '../../queue/mr-flow.js';
import type { ActionContext } from '../shared/context.js';
import { ensureLabels } from '../shared/labels.js';
import { loadPage } from '../shared/page-loader.js';
import { CHECKLIST_MARKER_KIND, renderChecklist, type ChecklistBase, type ChecklistPage } from './checklist-render.js';
import { planRuleLabels } from './labels-follow.js';
import { applyGate, gateOfNote, noteUrl, readGate, type GateState } from './merge-gate.js';
import { parseReviewState, renderReviewState } from './review-state.js';
import { planReviewers, resolveUsernames } from './reviewers.js';

/**
 * The reviewer checklist of a merge request (DESIGN §4), run as a BullMQ flow (src/queue/mr-flow.ts):
 *
 * - `listPages`: the MR's changed files that are job-family pages;
 * - `reviewPage` (one child per page): both versions read and parsed, and their semantic diff RETURNED
 *   (plain JSON, stored by BullMQ) — children never write to GitLab;
 * - `writeNote` (the parent, once every child is done): one note, found by marker and author, created,
 *   edited in place, or left alone when its body would not change; the rules' labels (added while
 *   their change is there, removed when the bot added them and the change is gone) and reviewers
 *   (GitLab reviewers, people already there stay); then the merge gate (merge-gate.ts).
 *
 * Old versions are read at the merge request's merge base (`diff_refs.base_sha`), as GitLab's own diff
 * is: what was merged to the target branch after the branch was cut is not this merge request's change.
 *
 * The pure parts (`reviewTargets`, `pageReview`, `planChecklistNote`) are separate from the I/O below.
 */

/** Front matter that does not parse: the page cannot be trusted, the note says so as a blocking item. */
const BROKEN_FRONT_MATTER: readonly ProblemCode[] = ['front-matter-invalid', 'front-matter-unterminated'];
/**
 * Page text in a child's result is bounded (a hostile page may hold megabytes in one item, and results
 * live in Redis): a longer string keeps its start and says how much was cut, short enough that the
 * note shows that count rather than one of its own.
 */
const RESULT_TEXT_MAX = 2_000;
const LONG_TEXT_KEPT = 150;
const REVIEW_LABEL_COLOR = '#fc9403';

// ---------------------------------------------------------------------------------------------------
// Pure: targets, one page's review, the note's plan.

/** A changed file is reviewed when either side is a page; a side that is not a page is left out. */
export function reviewTargets(changes: readonly FileChange[], isPage: (path: string) => boolean): PageReviewTarget[] {
  const targets = new Map<string, PageReviewTarget>();
  for (const change of changes) {
    const oldPath = !change.new_file && isPage(change.old_path) ? change.old_path : undefined;
    const path = !change.deleted_file && isPage(change.new_path) ? change.new_path : undefined;
    if (oldPath === undefined && path === undefined) continue;
    targets.set(`${oldPath ?? ''}\u0000${path ?? ''}`, {
      ...(oldPath === undefined ? {} : { oldPath }),
      ...(path === undefined ? {} : { path }),
    });
  }
  return [...targets.values()];
}

/** One page's review from its two versions (either may be absent). JSON-serialisable. */
export function pageReview(old: JobFamilyPage | null, next: JobFamilyPage | null, path: string, oldPath?: string): ChecklistPage {
  const title = next?.title.trim() || old?.title.trim() || '';
  const renamed = oldPath !== undefined && oldPath !== path ? { oldPath } : {};
  const broken = next?.problems.find((problem) => BROKEN_FRONT_MATTER.includes(problem.code));
  if (next !== null && next !== undefined && broken !== undefined) {
    return limitText({
      path,
      title,
      diff: null,
      problems: next.problems.filter((problem) => !BROKEN_FRONT_MATTER.includes(problem.code)),
      brokenFrontMatter: `line ${broken.line}: ${broken.message}`,
      ...renamed,
    });
  }
  const diff = diffPages(old, next);
  return limitText({ path, title, diff: { ...diff, path: diff.path || path }, problems: next?.problems ?? [], ...renamed });
}

function limitText<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (_key, item: unknown) => (typeof item === 'string' && item.length > RESULT_TEXT_MAX ? cutLong(item) : item)),
  ) as T;
}

function cutLong(text: string): string {
  const last = text.charCodeAt(LONG_TEXT_KEPT - 1);
  const kept = text.slice(0, last >= 0xd800 && last <= 0xdbff ? LONG_TEXT_KEPT - 1 : LONG_TEXT_KEPT);
  return `${kept} … (truncated, ${text.length - kept.length} characters omitted)`;
}

export type NoteOperation =
  | { kind: 'remove-labels'; labels: string[] }
  | { kind: 'create-note'; body: string }
  | { kind: 'edit-note'; noteId: number; body: string }
  | { kind: 'delete-note'; noteId: number }
  | { kind: 'add-labels'; labels: string[] }
  | { kind: 'add-reviewers'; reviewerIds: number[] };

export interface ChecklistNoteInput {
  pages: readonly ChecklistPage[];
  /** Why children failed for good (already permanent): shown as blocking items, never dropped silently. */
  failures: readonly string[];
  rules: readonly ReviewRule[];
  headSha: string;
  commandWord: string;
  /** The bot's checklist notes on the MR, oldest first: the first is kept, the rest are extras. */
  existing: readonly Note[];
  mrLabels: readonly string[];
  /** What the old versions were compared with; said in the note. */
  base?: ChecklistBase;
  /** The merge request's reviewers now. */
  mrReviewers?: readonly GitLabUser[];
  /** The configured reviewers' user ids (`null`: no such GitLab user). */
  userIds?: ReadonlyMap<string, number | null>;
}

export interface ChecklistNotePlan {
  outcome: 'created' | 'updated' | 'unchanged' | 'no-pages';
  noteId: number | null;
  body: string;
  /**
   * In the order they must run: labels the bot owns are removed before the note stops listing them,
   * and labels are added after the note lists them as the bot's, so a job that stops half-way never
   * leaves a bot label looking like a person's.
   */
  operations: NoteOperation[];
}

export function planChecklistNote(input: ChecklistNoteInput): ChecklistNotePlan {
  const [kept, ...extras] = input.existing;
  if (input.pages.length === 0 && input.failures.length === 0 && kept === undefined) {
    // A merge request that touches no page gets no note at all.
    return { outcome: 'no-pages', noteId: null, body: '', operations: [] };
  }
  const pages = [...input.pages].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const checklist = renderChecklist({
    pages,
    rules: input.rules,
    commit: input.headSha,
    commandWord: input.commandWord,
    ...(kept === undefined ? {} : { previousBody: kept.body }),
    ...(input.base === undefined ? {} : { base: input.base }),
  });
  const labels = planRuleLabels(checklist.labels, input.mrLabels, parseReviewState(kept?.body)?.labels ?? []);
  const reviewers = planReviewers(checklist.reviewers, input.userIds ?? new Map(), input.mrReviewers ?? []);
  const state = renderReviewState({
    commit: input.headSha,
    blocking: checklist.blockingItems,
    errors: checklist.errors,
    unreviewed: input.failures.length,
    labels: labels.owned,
  });
  const body = `${withUnknownReviewers(withFailures(checklist.body, input.failures, input.commandWord), reviewers.unknown)}\n${state}`;

  const operations: NoteOperation[] = [];
  if (labels.remove.length > 0) operations.push({ kind: 'remove-labels', labels: labels.remove });
  let outcome: ChecklistNotePlan['outcome'] = 'unchanged';
  if (kept === undefined) {
    operations.push({ kind: 'create-note', body });
    outcome = 'created';
  } else if (kept.body !== body) {
    operations.push({ kind: 'edit-note', noteId: kept.id, body });
    outcome = 'updated';
  }
  for (const extra of extras) operations.push({ kind: 'delete-note', noteId: extra.id });
  if (labels.add.length > 0) operations.push({ kind: 'add-labels', labels: labels.add });
  if (reviewers.reviewerIds !== null) operations.push({ kind: 'add-reviewers', reviewerIds: reviewers.reviewerIds });
  return { outcome, noteId: kept?.id ?? null, body, operations };
}

/** Configured reviewers GitLab does not know: said before the footer, so the config gets fixed. */
function withUnknownReviewers(body: string, unknown: readonly string[]): string {
  if (unknown.length === 0) return body;
  const names = unknown.map((name) => `\`${name}\``).join(', ');
  const line = `\n\nNot made reviewers, GitLab has no user of that name: ${names}. Fix \`review.rules[].reviewers\` in the bot's config.`;
  const footer = body.lastIndexOf('\n\n<sub>');
  return footer < 0 ? `${body}${line}` : `${body.slice(0, footer)}${line}${body.slice(footer)}`;
}

/** Pages whose review failed for good, as blocking items before the footer. */
function withFailures(body: string, failures: readonly string[], commandWord: string): string {
  if (failures.length === 0) return body;
  const command = commandWord.replace(/[^A-Za-z0-9_.@-]/gu, '');
  const items = [...failures]
    .sort()
    .map(
      (reason) =>
        `- [ ] **Blocking**: a page could not be reviewed (${sanitizeInline(reason, { allowedMentions: new Set(), maxLength: 300 })}) — \`${command} recheck\` to try again`,
    );
  const section = ['', '#### Pages not reviewed', ...items].join('\n');
  const footer = body.lastIndexOf('\n\n<sub>');
  return footer < 0 ? `${body}${section}` : `${body.slice(0, footer)}${section}${body.slice(footer)}`;
}

export function reviewLabelSpec(name: string, rules: readonly ReviewRule[]): LabelWrite {
  const when = [...new Set(rules.filter((rule) => rule.labels.includes(name)).map((rule) => rule.when))].join(', ');
  return {
    name,
    color: REVIEW_LABEL_COLOR,
    description: `A merge request changes a job-family page (${when || 'review'}): set by handbook-bot`,
  };
}

function isChecklistPage(value: unknown): value is ChecklistPage {
  if (typeof value !== 'object' || value === null) return false;
  const page = value as Partial<ChecklistPage>;
  return typeof page.path === 'string' && typeof page.title === 'string' && Array.isArray(page.problems) && page.diff !== undefined;
}

// ---------------------------------------------------------------------------------------------------
// I/O.

export function mrLockKey(ctx: ActionContext, project: ProjectId, iid: number): string {
  return `${ctx.lockPrefix}mr-checklist:${String(project)}:${iid}`;
}

/** The `page-review` child: reads and compares one page; writes nothing. */
export async function reviewPage(ctx: ActionContext, data: PageReviewData): Promise<ChecklistPage> {
  const read = (path: string | undefined, ref: string): Promise<JobFamilyPage | null> =>
    path === undefined ? Promise.resolve(null) : loadPage(ctx.gitlab, ctx.config, data.projectId, path, ref);
  const [old, next] = await Promise.all([read(data.oldPath, data.baseSha ?? data.targetBranch), read(data.path, data.headSha)]);
  const path = data.path ?? data.oldPath ?? '';
  const page = pageReview(old, next, path, data.oldPath);
  return data.baseSha === undefined ? page : { ...page, baseSha: data.baseSha };
}

export interface ChecklistWriteResult {
  outcome: ChecklistNotePlan['outcome'] | 'stale';
  noteId: number | null;
  pages: number;
  failures: number;
  /** What was written, in order (`set-status`: the merge gate changed state). */
  operations: Array<NoteOperation['kind'] | 'set-status'>;
  /** The merge gate's state (`null`: no note, so no gate). */
  gate: GateState | null;
}

/** The note's own operations, in plan order; returns the id of the note written, if any. */
async function applyNoteOperations(
  ctx: ActionContext,
  data: MrChecklistData,
  operations: readonly NoteOperation[],
): Promise<number | null> {
  const { projectId: project, mrIid: iid } = data;
  let noteId: number | null = null;
  for (const op of operations) {
    switch (op.kind) {
      case 'remove-labels':
        await ctx.gitlab.editMergeRequest(project, iid, { remove_labels: op.labels });
        break;
      case 'create-note':
        noteId = (await ctx.gitlab.createNote(project, 'merge_requests', iid, op.body)).id;
        break;
      case 'edit-note':
        noteId = (await ctx.gitlab.editNote(project, 'merge_requests', iid, op.noteId, op.body)).id;
        break;
      case 'delete-note':
        await ctx.gitlab.deleteNote(project, 'merge_requests', iid, op.noteId);
        break;
      case 'add-labels':
      case 'add-reviewers':
        break; // applyMergeRequestUpdate, once the note lists the labels as the bot's
    }
  }
  return noteId;
}

/** Labels and reviewers in one PUT; labels created deliberately first (`add_labels` would make them grey). */
async function applyMergeRequestUpdate(ctx: ActionContext, data: MrChecklistData, operations: readonly NoteOperation[]): Promise<void> {
  const add = operations.find((op) => op.kind === 'add-labels');
  const reviewers = operations.find((op) => op.kind === 'add-reviewers');
  if (add === undefined && reviewers === undefined) return;
  if (add !== undefined)
    await ensureLabels(
      ctx,
      data.projectId,
      add.labels.map((name) => reviewLabelSpec(name, ctx.config.review.rules)),
    );
  await ctx.gitlab.editMergeRequest(data.projectId, data.mrIid, {
    ...(add === undefined ? {} : { add_labels: add.labels }),
    ...(reviewers === undefined ? {} : { reviewer_ids: reviewers.reviewerIds }),
  });
}

/**
 * What the note says the old versions were compared with: what the children actually read at (the
 * merge base, unless GitLab had not computed it when the pages were listed), else the merge request's.
 */
function baseOf(pages: readonly ChecklistPage[], mr: MergeRequest, targetBranch: string): ChecklistBase {
  if (pages.length > 0) {
    const [only, ...others] = new Set(pages.map((page) => page.baseSha ?? ''));
    return only !== undefined && only !== '' && others.length === 0
      ? { kind: 'merge-base', sha: only, targetBranch }
      : { kind: 'branch-head', targetBranch };
  }
  return mr.diff_refs === null ? { kind: 'branch-head', targetBranch } : { kind: 'merge-base', sha: mr.diff_refs.base_sha, targetBranch };
}

export async function writeChecklistNote(ctx: ActionContext, data: MrChecklistData, results: ChildResults): Promise<ChecklistWriteResult> {
  const pages = Object.values(results.values).filter(isChecklistPage);
  const failures = Object.values(results.failures);
  const summary = { pages: pages.length, failures: failures.length };
  return withKeyedLock(
    ctx.redis,
    mrLockKey(ctx, data.projectId, data.mrIid),
    async () => {
      // The reads at once (one round trip instead of three: latency users feel). The merge request is
      // the stale guard, the labels, the reviewers and the merge base. The gate's status is read here
      // only when pages changed: most merge requests of a handbook touch no job-family page.
      const reviewed = pages.length > 0 || failures.length > 0;
      const [mr, me, notes, statuses] = await Promise.all([
        ctx.gitlab.getMergeRequest(data.projectId, data.mrIid),
        ctx.gitlab.currentUser(),
        ctx.gitlab.listNotes(data.projectId, 'merge_requests', data.mrIid),
        reviewed ? readGate(ctx, data.projectId, data.headSha) : Promise.resolve(undefined),
      ]);
      if (mr.sha !== data.headSha) {
        ctx.logger.info({ mr: data.mrIid, headSha: data.headSha, current: mr.sha }, 'review checklist: a newer commit will write the note');
        return { outcome: 'stale' as const, noteId: null, ...summary, operations: [], gate: null };
      }
      const existing = notes.filter((note) => note.author.id === me.id && !note.system && hasMarker(note.body, CHECKLIST_MARKER_KIND));
      const configured = [...new Set(ctx.config.review.rules.flatMap((rule) => rule.reviewers))];
      const userIds =
        pages.length === 0 ? new Map<string, number | null>() : await resolveUsernames(ctx.gitlab, configured, ctx.now().getTime());
      const plan = planChecklistNote({
        pages,
        failures,
        rules: ctx.config.review.rules,
        headSha: data.headSha,
        commandWord: ctx.config.bot.commandWord,
        existing,
        mrLabels: mr.labels,
        base: baseOf(pages, mr, data.targetBranch),
        mrReviewers: mr.reviewers,
        userIds,
      });
      const written = await applyNoteOperations(ctx, data, plan.operations);
      const operations: ChecklistWriteResult['operations'] = plan.operations.map((op) => op.kind);
      const noteId = written ?? plan.noteId;
      const verdict = plan.outcome === 'no-pages' ? null : gateOfNote(plan.body);
      const gate: GateState | null = verdict === null || noteId === null ? null : verdict.verdict.state;
      // Labels and reviewers, and the gate, do not depend on each other: side by side.
      const [, status] = await Promise.all([
        applyMergeRequestUpdate(ctx, data, plan.operations),
        verdict === null || noteId === null
          ? Promise.resolve('unchanged' as const)
          : applyGate(
              ctx,
              {
                project: data.projectId,
                sha: data.headSha,
                targetUrl: noteUrl(mr.web_url, noteId),
                ...(mr.source_branch === '' ? {} : { ref: mr.source_branch }),
              },
              verdict.verdict,
              statuses,
            ),
      ]);
      if (status === 'set') operations.push('set-status');
      ctx.logger.info({ mr: data.mrIid, outcome: plan.outcome, operations, gate, ...summary }, `review checklist: ${plan.outcome}`);
      return { outcome: plan.outcome, noteId, ...summary, operations, gate };
    },
    ctx.lockOptions,
  );
}

/**
 * The changed pages, each with the merge base to read its old version at. A merge request that moved
 * on since the job was queued lists nothing: the job for its new head reviews it, and this one's
 * write step finds it stale.
 */
export async function listReviewTargets(ctx: ActionContext, data: MrChecklistData): Promise<PageReviewTarget[]> {
  const [mr, changes] = await Promise.all([
    ctx.gitlab.getMergeRequest(data.projectId, data.mrIid),
    ctx.gitlab.listMergeRequestChanges(data.projectId, data.mrIid),
  ]);
  if (mr.sha !== data.headSha) return [];
  const isPage = pageMatcher(ctx.config);
  const targets = reviewTargets(changes, isPage);
  const baseSha = mr.diff_refs?.base_sha;
  return baseSha === undefined ? targets : targets.map((target) => ({ ...target, baseSha }));
}

/** The parent's two steps, for `runMrChecklist`. */
export function checklistSteps(ctx: ActionContext): MrChecklistSteps<ChecklistWriteResult> {
  return {
    listPages: (data) => listReviewTargets(ctx, data),
    writeNote: (data, results) => writeChecklistNote(ctx, data, results),
  };
}
