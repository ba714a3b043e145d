import { pageMatcher } from '../../config/page-matcher.js';
import type { ReviewRule } from '../../config/schema.js';
import type { FileChange, LabelWrite, Note } from '../../gitlab/api.js';
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
import { CHECKLIST_MARKER_KIND, renderChecklist, type ChecklistPage } from './checklist-render.js';

/**
 * The reviewer checklist of a merge request (DESIGN §4), run as a BullMQ flow (src/queue/mr-flow.ts):
 *
 * - `listPages`: the MR's changed files that are job-family pages;
 * - `reviewPage` (one child per page): both versions read and parsed, and their semantic diff RETURNED
 *   (plain JSON, stored by BullMQ) — children never write to GitLab;
 * - `writeNote` (the parent, once every child is done): one note, found by marker and author, created,
 *   edited in place, or left alone when its body would not change; labels from `review.rules`.
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
export function pageReview(old: JobFamilyPage | null, next: JobFamilyPage | null, path: string): ChecklistPage {
  const title = next?.title.trim() || old?.title.trim() || '';
  const broken = next?.problems.find((problem) => BROKEN_FRONT_MATTER.includes(problem.code));
  if (next !== null && next !== undefined && broken !== undefined) {
    return limitText({
      path,
      title,
      diff: null,
      problems: next.problems.filter((problem) => !BROKEN_FRONT_MATTER.includes(problem.code)),
      brokenFrontMatter: `line ${broken.line}: ${broken.message}`,
    });
  }
  const diff = diffPages(old, next);
  return limitText({ path, title, diff: { ...diff, path: diff.path || path }, problems: next?.problems ?? [] });
}

function limitText<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_key, item: unknown) => (typeof item === 'string' && item.length > RESULT_TEXT_MAX ? cutLong(item) : item))) as T;
}

function cutLong(text: string): string {
  const last = text.charCodeAt(LONG_TEXT_KEPT - 1);
  const kept = text.slice(0, last >= 0xd800 && last <= 0xdbff ? LONG_TEXT_KEPT - 1 : LONG_TEXT_KEPT);
  return `${kept} … (truncated, ${text.length - kept.length} characters omitted)`;
}

export type NoteOperation =
  | { kind: 'create-note'; body: string }
  | { kind: 'edit-note'; noteId: number; body: string }
  | { kind: 'delete-note'; noteId: number }
  | { kind: 'add-labels'; labels: string[] };

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
}

export interface ChecklistNotePlan {
  outcome: 'created' | 'updated' | 'unchanged' | 'no-pages';
  noteId: number | null;
  body: string;
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
  });
  const body = withFailures(checklist.body, input.failures, input.commandWord);

  const operations: NoteOperation[] = [];
  let outcome: ChecklistNotePlan['outcome'] = 'unchanged';
  if (kept === undefined) {
    operations.push({ kind: 'create-note', body });
    outcome = 'created';
  } else if (kept.body !== body) {
    operations.push({ kind: 'edit-note', noteId: kept.id, body });
    outcome = 'updated';
  }
  for (const extra of extras) operations.push({ kind: 'delete-note', noteId: extra.id });
  const missing = checklist.labels.filter((label) => !input.mrLabels.includes(label));
  if (missing.length > 0) operations.push({ kind: 'add-labels', labels: missing });
  return { outcome, noteId: kept?.id ?? null, body, operations };
}

/** Pages whose review failed for good, as blocking items before the footer. */
function withFailures(body: string, failures: readonly string[], commandWord: string): string {
  if (failures.length === 0) return body;
  const command = commandWord.replace(/[^A-Za-z0-9_.@-]/gu, '');
  const items = [...failures]
    .sort()
    .map((reason) => `- [ ] **Blocking**: a page could not be reviewed (${sanitizeInline(reason, { allowedMentions: new Set(), maxLength: 300 })}) — \`${command} recheck\` to try again`);
  const section = ['', '#### Pages not reviewed', ...items].join('\n');
  const footer = body.lastIndexOf('\n\n<sub>');
  return footer < 0 ? `${body}${section}` : `${body.slice(0, footer)}${section}${body.slice(footer)}`;
}

export function reviewLabelSpec(name: string, rules: readonly ReviewRule[]): LabelWrite {
  const when = [...new Set(rules.filter((rule) => rule.labels.includes(name)).map((rule) => rule.when))].join(', ');
  return { name, color: REVIEW_LABEL_COLOR, description: `A merge request changes a job-family page (${when || 'review'}): set by handbook-bot` };
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
  const [old, next] = await Promise.all([read(data.oldPath, data.targetBranch), read(data.path, data.headSha)]);
  return pageReview(old, next, data.path ?? data.oldPath ?? '');
}

export interface ChecklistWriteResult {
  outcome: ChecklistNotePlan['outcome'] | 'stale';
  noteId: number | null;
  pages: number;
  failures: number;
  operations: NoteOperation['kind'][];
}

async function applyNoteOperations(ctx: ActionContext, data: MrChecklistData, operations: readonly NoteOperation[]): Promise<number | null> {
  const { projectId: project, mrIid: iid } = data;
  let noteId: number | null = null;
  for (const op of operations) {
    switch (op.kind) {
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
        // Created deliberately first: `add_labels` would create unknown ones grey and unexplained.
        await ensureLabels(ctx, project, op.labels.map((name) => reviewLabelSpec(name, ctx.config.review.rules)));
        await ctx.gitlab.addMergeRequestLabels(project, iid, op.labels);
        break;
    }
  }
  return noteId;
}

export async function writeChecklistNote(ctx: ActionContext, data: MrChecklistData, results: ChildResults): Promise<ChecklistWriteResult> {
  const pages = Object.values(results.values).filter(isChecklistPage);
  const failures = Object.values(results.failures);
  const summary = { pages: pages.length, failures: failures.length };
  return withKeyedLock(ctx.redis, mrLockKey(ctx, data.projectId, data.mrIid), async () => {
    // One read for both the stale guard and the labels the MR has.
    const mr = await ctx.gitlab.getMergeRequest(data.projectId, data.mrIid);
    if (mr.sha !== data.headSha) {
      ctx.logger.info({ mr: data.mrIid, headSha: data.headSha, current: mr.sha }, 'review checklist: a newer commit will write the note');
      return { outcome: 'stale' as const, noteId: null, ...summary, operations: [] };
    }
    const me = await ctx.gitlab.currentUser();
    const notes = await ctx.gitlab.listNotes(data.projectId, 'merge_requests', data.mrIid);
    const existing = notes.filter((note) => note.author.id === me.id && !note.system && hasMarker(note.body, CHECKLIST_MARKER_KIND));
    const plan = planChecklistNote({
      pages,
      failures,
      rules: ctx.config.review.rules,
      headSha: data.headSha,
      commandWord: ctx.config.bot.commandWord,
      existing,
      mrLabels: mr.labels,
    });
    const written = await applyNoteOperations(ctx, data, plan.operations);
    const operations = plan.operations.map((op) => op.kind);
    ctx.logger.info({ mr: data.mrIid, outcome: plan.outcome, operations, ...summary }, `review checklist: ${plan.outcome}`);
    return { outcome: plan.outcome, noteId: written ?? plan.noteId, ...summary, operations };
  }, ctx.lockOptions);
}

export async function listReviewTargets(ctx: ActionContext, data: MrChecklistData): Promise<PageReviewTarget[]> {
  const isPage = pageMatcher(ctx.config);
  return reviewTargets(await ctx.gitlab.listMergeRequestChanges(data.projectId, data.mrIid), isPage);
}

/** The parent's two steps, for `runMrChecklist`. */
export function checklistSteps(ctx: ActionContext): MrChecklistSteps<ChecklistWriteResult> {
  return {
    listPages: (data) => listReviewTargets(ctx, data),
    writeNote: (data, results) => writeChecklistNote(ctx, data, results),
  };
}
