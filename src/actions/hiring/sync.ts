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
import { appliedHiringDigest, isOlderThanIndexed, readAllFamilies, readFamily, recordAppliedHiring, removeFamily, writeFamily } from '../shared/page-index.js';
import { FAMILY_WIDE, reconcileFamilyIssues, type RecruitingIssueResult } from '../recruiting/issue.js';
import { kitsAffected } from '../recruiting/kit-render.js';

/**
 * The hiring part of `page-sync`: one entry point for the page-sync action. For the page's version at
 * `commit` it
 *
 * 1. records the family's roles and stages in the page index (unless a newer version is there);
 * 2. reconciles the `hiring-stage::*` labels and the hiring board with every indexed family (labels are
 *    shared by all families of the recruiting project, so they follow all pages, not just this one);
 * 3. reconciles the family's open recruiting issues, moving those on a stage the process dropped.
 *
 * Labels and board are written under one lock per recruiting project; each issue under its own lock,
 * taken after the labels lock is released (the issue path takes them in the order issue → labels).
 */

export interface HiringSyncInput {
  page: JobFamilyPage;
  /** The page before the change, when known; else the indexed version stands in for it. */
  previousPage: JobFamilyPage | null;
  path: string;
  commit: string;
  /** ISO time of `commit`: an older version never replaces a newer one in the index. */
  committedAt?: string;
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
  /** Set when a newer version of the page was synced already; nothing was done. */
  skipped?: 'older-commit';
  labels: { created: string[]; updated: string[]; existed: string[] };
  board: { created: boolean; listsAdded: string[]; listsMoved: string[] };
  /** Stages the process no longer has, per role (`*`: the whole family). */
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
  const family = hiringFamilyFromPage(input.page, { path: input.path, commit: input.commit, committedAt: input.committedAt, order });
  const result: HiringSyncResult = {
    slug: family.slug,
    stages: inStageOrder(family.roles.flatMap((role) => role.stages), order),
    labels: { created: [], updated: [], existed: [] },
    board: { created: false, listsAdded: [], listsMoved: [] },
    droppedStages: {},
    issues: [],
  };

  let firstSeen = false;
  const previous = await withKeyedLock(ctx.redis, hiringLabelsLockKey(ctx.lockPrefix, project), async () => {
    const indexed = await readFamily(ctx.redis, ctx.lockPrefix, family.slug);
    if (isOlderThanIndexed(indexed, input.committedAt)) return 'older' as const;
    firstSeen = indexed === null;
    await writeFamily(ctx.redis, ctx.lockPrefix, family);

    const desired = desiredHiringFor(await readAllFamilies(ctx.redis, ctx.lockPrefix), ctx.config);
    const digest = createHash('sha256').update(JSON.stringify([project, desired])).digest('hex');
    if (input.verify === true || (await appliedHiringDigest(ctx.redis, ctx.lockPrefix)) !== digest) {
      const labels = await reconcileStageLabels(ctx, project, desired.labels);
      const board = await reconcileHiringBoard(ctx, project, desired.board, labels.labels);
      result.labels = { created: labels.created, updated: labels.updated, existed: labels.existed };
      result.board = { created: board.created, listsAdded: board.listsAdded, listsMoved: board.listsMoved };
      await recordAppliedHiring(ctx.redis, ctx.lockPrefix, digest);
    }
    return input.previousPage === null
      ? indexed
      : hiringFamilyFromPage(input.previousPage, { path: input.previousPage.path || input.path, commit: '', order });
  }, ctx.lockOptions);
  if (previous === 'older') {
    ctx.logger.info({ path: input.path, commit: input.commit }, 'hiring sync: a newer version of the page was synced already');
    return { ...result, skipped: 'older-commit' };
  }

  const dropped = droppedStages(previous, family);
  result.droppedStages = Object.fromEntries(dropped);
  // Recruiting issues follow their own Issue Hooks; a page change concerns them when a stage was
  // dropped, when what their interview kits show changed, or when the family is new to the bot
  // (issues labelled before its page was known). Explicit runs check them all (missed hooks).
  if (dropped.size > 0 || kitsAffected(previous, family) || firstSeen || input.verify === true) {
    try {
      result.issues = await reconcileFamilyIssues(ctx, project, family, { dropped, commit: input.commit });
    } catch (error) {
      // The drop was computed from the index entry this run replaced: put it back, so the job's retry
      // computes the same drop and still migrates the issues (a webhook run has `previousPage` instead).
      if (dropped.size > 0 && input.previousPage === null && previous !== null) await restoreFamily(ctx, project, family, previous);
      throw error;
    }
  }
  return result;
}

async function restoreFamily(ctx: ActionContext, project: ProjectId, replacing: HiringFamily, previous: HiringFamily): Promise<void> {
  await withKeyedLock(ctx.redis, hiringLabelsLockKey(ctx.lockPrefix, project), async () => {
    // Only while the entry is still this run's: a newer version synced meanwhile stays.
    if ((await readFamily(ctx.redis, ctx.lockPrefix, replacing.slug))?.commit === replacing.commit) {
      await writeFamily(ctx.redis, ctx.lockPrefix, previous);
    }
  }, ctx.lockOptions);
}

/**
 * A removed page: its labels, board lists and issues are left alone (issues may still be in flight);
 * only the index forgets it, so its steps leave the labels' descriptions at the next sync.
 */
export async function forgetHiringPage(ctx: ActionContext, input: { path: string }): Promise<void> {
  const project = recruitingProject(ctx.config);
  await withKeyedLock(ctx.redis, hiringLabelsLockKey(ctx.lockPrefix, project), () => removeFamily(ctx.redis, ctx.lockPrefix, pageSlug(input.path)), ctx.lockOptions);
}
