import { createHash } from 'node:crypto';
import type { JobFamilyPage, StageName } from '../../jobfamily/model.js';
import type { ProjectId } from '../../queue/jobs.js';
import { pageSlug } from '../../jobfamily/okr.js';
import { withKeyedLock } from '../../queue/keyed-lock.js';
import type { ActionContext } from '../shared/context.js';
import { hiringFamilyFromPage, stageOrder, type HiringFamily } from './family.js';
import { inStageOrder } from '../../jobfamily/stages.js';
import { recruitingProject } from './project.js';
import { hiringLabelsLockKey, reconcileHiringBoard, reconcileStageLabels } from './stages-apply.js';
import { desiredHiringFor } from './stages-plan.js';
import { appliedHiringDigest, readAllFamilies, readFamily, recordAppliedHiring, removeFamily, writeFamily } from '../shared/page-index.js';
import { attributeValue } from '../../gitlab/markers.js';
import { JOB_FAMILY_LABEL_PREFIX, jobFamilyLabel } from '../../jobfamily/okr.js';
import { isOkrIssue } from '../recruiting/family.js';
import { inline } from '../recruiting/stage-comments.js';
import { postNoteOnce, type NoteTarget } from '../shared/notes.js';
import { ensureLabels } from '../shared/labels.js';
import { okrLabelSpec } from '../okr/labels.js';
import { FAMILY_WIDE, reconcileFamilyIssues, type RecruitingIssueResult } from '../recruiting/issue.js';
import { kitsAffected } from '../recruiting/kit-render.js';

/**
 * The hiring part of `page-sync`: one entry point for the page-sync action. For the page as the branch
 * holds it now it
 *
 * 1. reconciles the `hiring-stage::*` labels and the hiring board with every indexed family, this one
 *    replaced by its current version (labels are shared by all families of the recruiting project);
 * 2. reconciles the family's open recruiting issues, moving those on a stage the process dropped since
 *    the version the bot last applied;
 * 3. records the family in the page index: that entry *is* "last applied", so it is written only once
 *    the issues were migrated (a failure before leaves the old entry, and the retry computes the same
 *    drop).
 *
 * Dropped stages come from the index entry, not from the push's previous page: whichever job runs
 * first after the branch dropped a stage migrates the issues, and a job that finds nothing new does
 * nothing, whatever order pushes arrive in. The caller holds the page's lock, so no other job of this
 * page writes the entry meanwhile. Labels and board are written under one lock per recruiting
 * project; each issue under its own lock, taken after the labels lock is released (the issue path
 * takes them in the order issue → labels).
 */

export interface HiringSyncInput {
  page: JobFamilyPage;
  path: string;
  /** The commit that last changed the page (recorded in the index). */
  commit: string;
  /**
   * Check GitLab even when nothing desired changed since the last reconcile (explicit runs: `sync`,
   * the periodic reconcile, replays). Webhook-driven runs trust the record and read nothing then.
   */
  verify?: boolean;
}

export interface HiringSyncResult {
  slug: string;
  /** The page's stages, in order. */
  stages: StageName[];
  labels: { created: string[]; updated: string[]; existed: string[] };
  board: { created: boolean; listsAdded: string[]; listsMoved: string[] };
  /** Stages the process no longer has, per role (`*`: the whole family), against the last applied version. */
  droppedStages: Record<string, StageName[]>;
  issues: RecruitingIssueResult[];
}

function unionStages(family: HiringFamily | null): Set<StageName> {
  return new Set(family?.roles.flatMap((role) => role.stages) ?? []);
}

/**
 * Stages dropped per role (matched by name) and by the family as a whole: an issue whose role the
 * title does not tell is still migrated off a stage no role has any more.
 */
export function droppedStages(previous: HiringFamily | null, current: HiringFamily): Map<string, StageName[]> {
  const dropped = new Map<string, StageName[]>();
  if (previous === null) return dropped;
  const now = unionStages(current);
  const familyWide = [...unionStages(previous)].filter((stage) => !now.has(stage));
  if (familyWide.length > 0) dropped.set(FAMILY_WIDE, familyWide);
  for (const role of current.roles) {
    const before = previous.roles.find((candidate) => candidate.name.toLowerCase() === role.name.toLowerCase());
    const gone = before?.stages.filter((stage) => !role.stages.includes(stage)) ?? [];
    if (gone.length > 0) dropped.set(role.name.toLowerCase(), gone);
  }
  return dropped;
}

export async function syncHiringForPage(ctx: ActionContext, input: HiringSyncInput): Promise<HiringSyncResult> {
  const project = recruitingProject(ctx.config);
  const order = stageOrder(ctx.config);
  const family = hiringFamilyFromPage(input.page, { path: input.path, commit: input.commit, order });
  const result: HiringSyncResult = {
    slug: family.slug,
    stages: inStageOrder(
      family.roles.flatMap((role) => role.stages),
      order,
    ),
    labels: { created: [], updated: [], existed: [] },
    board: { created: false, listsAdded: [], listsMoved: [] },
    droppedStages: {},
    issues: [],
  };

  const previous = await withKeyedLock(
    ctx.redis,
    hiringLabelsLockKey(ctx.lockPrefix, project),
    async () => {
      const all = await readAllFamilies(ctx.redis, ctx.lockPrefix);
      const applied = all.find((candidate) => candidate.slug === family.slug) ?? null;
      const written = await applyStageLabelsAndBoard(
        ctx,
        project,
        [...all.filter((candidate) => candidate.slug !== family.slug), family],
        input.verify === true,
      );
      if (written !== null) {
        result.labels = written.labels;
        result.board = written.board;
      }
      return applied;
    },
    ctx.lockOptions,
  );

  const dropped = droppedStages(previous, family);
  result.droppedStages = Object.fromEntries(dropped);
  // Recruiting issues follow their own Issue Hooks; a page change concerns them when a stage was
  // dropped, when what their interview kits show changed, or when the family is new to the bot
  // (issues labelled before its page was known).
  // Explicit runs check them all (missed hooks).
  if (dropped.size > 0 || kitsAffected(previous, family) || previous === null || input.verify === true) {
    result.issues = await reconcileFamilyIssues(ctx, project, family, { dropped, commit: input.commit });
  }
  if (previous === null || !sameFamily(previous, family)) {
    // Another page's job may have applied the labels meanwhile from an index without this version
    // (the entry is written only now): apply again from the index as it is, a no-op when nothing changed.
    await withKeyedLock(
      ctx.redis,
      hiringLabelsLockKey(ctx.lockPrefix, project),
      async () => {
        await writeFamily(ctx.redis, ctx.lockPrefix, family);
        await applyStageLabelsAndBoard(ctx, project, await readAllFamilies(ctx.redis, ctx.lockPrefix), false);
      },
      ctx.lockOptions,
    );
  }
  return result;
}

/**
 * Brings the stage labels and board to what `families` want, unless that is what was last applied
 * (a digest in Redis keeps the no-op free of GitLab reads; `verify` reads anyway, to repair hand edits).
 * Callers hold the labels lock.
 */
async function applyStageLabelsAndBoard(
  ctx: ActionContext,
  project: ProjectId,
  families: readonly HiringFamily[],
  verify: boolean,
): Promise<Pick<HiringSyncResult, 'labels' | 'board'> | null> {
  const desired = desiredHiringFor(families, ctx.config);
  const digest = createHash('sha256')
    .update(JSON.stringify([project, desired]))
    .digest('hex');
  if (!verify && (await appliedHiringDigest(ctx.redis, ctx.lockPrefix)) === digest) return null;
  const labels = await reconcileStageLabels(ctx, project, desired.labels);
  const board = await reconcileHiringBoard(ctx, project, desired.board, labels.labels);
  await recordAppliedHiring(ctx.redis, ctx.lockPrefix, digest);
  return {
    labels: { created: labels.created, updated: labels.updated, existed: labels.existed },
    board: { created: board.created, listsAdded: board.listsAdded, listsMoved: board.listsMoved },
  };
}

function sameFamily(a: HiringFamily, b: HiringFamily): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * A removed page: its labels, board lists and issues are left alone (issues may still be in flight);
 * its open recruiting issues get one comment saying the page is gone, then the index forgets it and
 * the labels' descriptions are rewritten without its steps. Only a family the index still has is
 * commented on: the entry is the record that the removal has not been applied yet.
 */
export async function forgetHiringPage(ctx: ActionContext, input: { path: string; commit: string }): Promise<RecruitingIssueResult[]> {
  const project = recruitingProject(ctx.config);
  const slug = pageSlug(input.path);
  const applied = await readFamily(ctx.redis, ctx.lockPrefix, slug);
  if (applied === null) return [];
  // An entry for another path with this slug (the page moved there) is not this removal's to forget.
  if (applied.path !== input.path) return [];
  const commented = await commentFamilyIssues(
    ctx,
    project,
    applied,
    'family-removed',
    `${slug}.${attributeValue(applied.commit).slice(0, 12) || 'index'}`,
    `The job-family page ${inline(applied.path)} (*${inline(applied.title)}*) was removed from the handbook at commit ${inline(input.commit.slice(0, 8))}. handbook-bot no longer manages this issue's hiring stages; its labels stay as they are.`,
  );
  // The remaining families' steps are what the labels' descriptions (and the board) describe now.
  await withKeyedLock(
    ctx.redis,
    hiringLabelsLockKey(ctx.lockPrefix, project),
    async () => {
      await removeFamily(ctx.redis, ctx.lockPrefix, slug);
      await applyStageLabelsAndBoard(ctx, project, await readAllFamilies(ctx.redis, ctx.lockPrefix), false);
    },
    ctx.lockOptions,
  );
  return commented;
}

/** One comment (by marker) on every open recruiting issue of the family. */
async function commentFamilyIssues(
  ctx: ActionContext,
  project: ProjectId,
  family: HiringFamily,
  kind: string,
  key: string,
  body: string,
): Promise<RecruitingIssueResult[]> {
  const issues = await ctx.gitlab.listIssues(project, { labels: [jobFamilyLabel(family.slug)], state: 'opened' });
  const results: RecruitingIssueResult[] = [];
  for (const issue of issues) {
    if (isOkrIssue(issue, ctx.config.okr.labels)) continue;
    const posted = await postNoteOnce(ctx, { project: issue.project_id, kind: 'issues', iid: issue.iid }, kind, key, body);
    results.push({ iid: issue.iid, outcome: 'ok', changed: posted, stage: null });
  }
  return results;
}

/**
 * A page renamed to another slug: its open recruiting issues get the new `job-family::` label and lose
 * the old one (one update each) with one comment, and the index entry moves to the new slug. Runs under
 * both pages' locks (page-sync takes them); idempotent, since an issue already relabelled is no longer
 * listed under the old label.
 */
export async function moveHiringFamily(ctx: ActionContext, input: { fromPath: string; toPath: string }): Promise<RecruitingIssueResult[]> {
  const project = recruitingProject(ctx.config);
  const fromSlug = pageSlug(input.fromPath);
  const toSlug = pageSlug(input.toPath);
  if (fromSlug === toSlug) return [];
  const issues = await ctx.gitlab.listIssues(project, { labels: [jobFamilyLabel(fromSlug)], state: 'opened' });
  const results: RecruitingIssueResult[] = [];
  for (const listed of issues) {
    if (isOkrIssue(listed, ctx.config.okr.labels)) continue;
    const target: NoteTarget = { project: listed.project_id, kind: 'issues', iid: listed.iid };
    // The comment first: a retry after a failed relabel finds it and only relabels.
    await postNoteOnce(
      ctx,
      target,
      'family-moved',
      `${fromSlug}.${toSlug}`,
      `The job-family page moved from ${inline(input.fromPath)} to ${inline(input.toPath)}, so this issue's label \`${JOB_FAMILY_LABEL_PREFIX}${fromSlug}\` became \`${JOB_FAMILY_LABEL_PREFIX}${toSlug}\`.`,
    );
    await ensureLabels(ctx, listed.project_id, [okrLabelSpec(jobFamilyLabel(toSlug))]);
    await ctx.gitlab.editIssue(listed.project_id, listed.iid, {
      add_labels: [jobFamilyLabel(toSlug)],
      remove_labels: [jobFamilyLabel(fromSlug)],
    });
    results.push({ iid: listed.iid, outcome: 'ok', changed: true, stage: null });
  }
  await withKeyedLock(
    ctx.redis,
    hiringLabelsLockKey(ctx.lockPrefix, project),
    async () => {
      // The relabelled issues were reconciled against the old entry: it becomes the new slug's "last
      // applied" (even over an entry a job of the new path wrote first), so the page-sync that follows
      // still migrates them off stages the renamed page dropped.
      const entry = await readFamily(ctx.redis, ctx.lockPrefix, fromSlug);
      if (entry !== null) await writeFamily(ctx.redis, ctx.lockPrefix, { ...entry, slug: toSlug, path: input.toPath });
      await removeFamily(ctx.redis, ctx.lockPrefix, fromSlug);
    },
    ctx.lockOptions,
  );
  return results;
}
