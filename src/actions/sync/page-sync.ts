import { parseOptionsFromConfig } from '../../config/parse-options.js';
import type { FileAtRef } from '../../gitlab/api.js';
import { pageSlug } from '../../jobfamily/okr.js';
import { parsePage } from '../../jobfamily/parse.js';
import { isExplicitRerun, type PageSyncData, type ProjectId } from '../../queue/jobs.js';
import { pageSyncJob } from '../../queue/job-specs.js';
import { withKeyedLock } from '../../queue/keyed-lock.js';
import type { ActionContext } from '../shared/context.js';
import { forgetHiringPage, moveHiringFamily, syncHiringForPage, type HiringSyncInput, type HiringSyncResult } from '../hiring/sync.js';
import { moveOkrIssue, type OkrMoveOutcome } from '../okr/move.js';
import { reconcileOkrIssue, type OkrIssueResult } from '../okr/issue.js';
import type { RecruitingIssueResult } from '../recruiting/issue.js';
import { clearMove, pendingMoveFrom, pendingMoveInto, readFamily, recordMove, type PageMove } from '../shared/page-index.js';
import { pageMatcher } from '../../config/page-matcher.js';

/**
 * The `page-sync` job, level-triggered (DESIGN §4): the job is a trigger, not the truth. Under the
 * page's lock it reads the page at the branch head *when it runs* (one read: the files API gives the
 * content, the head and the commit that last changed the page), and applies the difference to what the
 * bot last applied: the OKR issue's block (in GitLab) and the family's hiring entry in the page index
 * (in Redis). No commit time and no event order is consulted, so any order, duplication or loss of
 * deliveries converges on what the branch holds, a revert or a force-push back is just another state,
 * and a job that finds nothing new writes nothing.
 *
 * Renames (compare's `renamed_file`, recorded by push-resolve, or `oldPath` on the job) move the OKR
 * issue and relabel the recruiting issues before the page is synced at its new path. A page whose slug
 * another path already owns in the index is a slug collision: reported, and skipped.
 */

export interface PageSyncDeps {
  syncHiring(ctx: ActionContext, input: HiringSyncInput): Promise<HiringSyncResult>;
  forgetHiring(ctx: ActionContext, input: { path: string; commit: string }): Promise<RecruitingIssueResult[]>;
  moveHiring(ctx: ActionContext, move: PageMove): Promise<RecruitingIssueResult[]>;
}

const DEFAULT_DEPS: PageSyncDeps = { syncHiring: syncHiringForPage, forgetHiring: forgetHiringPage, moveHiring: moveHiringFamily };

export type PageSyncStatus = 'present' | 'removed' | 'moved-away' | 'slug-collision';

export interface PageSyncResult {
  path: string;
  /** The commit of the trigger (the job's). */
  trigger: string;
  /** The branch head the page was read at. */
  head: string;
  /** The commit that last changed the page at the head (`head` for a removal). */
  commit: string;
  status: PageSyncStatus;
  okr: OkrIssueResult | null;
  /** `forgotten` for a removed page; `null` when the hiring sync did not run. */
  hiring: HiringSyncResult | RecruitingIssueResult[] | null;
  /** Set when a rename was applied by this job. */
  move?: { from: string; okr: OkrMoveOutcome; relabelled: number[] };
  /** For a slug collision: every path found with the slug. */
  collidingPaths?: string[];
}

export function pageLockKey(ctx: ActionContext, project: ProjectId, slug: string): string {
  return `${ctx.lockPrefix}page:${String(project)}:${slug}`;
}

/** The branch a page is read on: the push's, else `handbook.branch`, else the project's default. */
async function branchOf(ctx: ActionContext, data: PageSyncData): Promise<string> {
  if (data.ref !== undefined && data.ref !== '') return data.ref.replace(/^refs\/heads\//u, '');
  return ctx.config.handbook.branch ?? (await ctx.gitlab.defaultBranch(data.projectId));
}

/** Locks of several pages, always taken in sorted order so two jobs of a rename never deadlock. */
async function withPageLocks<T>(ctx: ActionContext, keys: readonly string[], fn: () => Promise<T>): Promise<T> {
  const [first, ...rest] = [...new Set(keys)].sort();
  if (first === undefined) return fn();
  return withKeyedLock(ctx.redis, first, () => withPageLocks(ctx, rest, fn), ctx.lockOptions);
}

/** The rename to apply with this page, if any: the job's `oldPath`, else one push-resolve recorded. */
async function moveInto(ctx: ActionContext, data: PageSyncData): Promise<PageMove | null> {
  const move =
    data.oldPath !== undefined && data.oldPath !== data.path
      ? { fromPath: data.oldPath, toPath: data.path }
      : await pendingMoveInto(ctx.redis, ctx.lockPrefix, pageSlug(data.path));
  return move !== null && move.toPath === data.path && pageSlug(move.fromPath) !== pageSlug(move.toPath) ? move : null;
}

export async function syncPage(ctx: ActionContext, data: PageSyncData, deps: PageSyncDeps = DEFAULT_DEPS): Promise<PageSyncResult> {
  const branch = await branchOf(ctx, data);
  const slug = pageSlug(data.path);
  const move = await moveInto(ctx, data);
  const keys = [slug, ...(move === null ? [] : [pageSlug(move.fromPath)])].map((key) => pageLockKey(ctx, data.projectId, key));
  return withPageLocks(ctx, keys, async () => {
    const file = await ctx.gitlab.readFile(data.projectId, data.path, branch);
    if (file === null) return syncMissing(ctx, data, branch, deps);
    return syncPresent(ctx, data, branch, file, move, deps);
  });
}

async function syncPresent(
  ctx: ActionContext,
  data: PageSyncData,
  branch: string,
  file: FileAtRef,
  move: PageMove | null,
  deps: PageSyncDeps,
): Promise<PageSyncResult> {
  const page = parsePage(file.content, data.path, parseOptionsFromConfig(ctx.config));
  const slug = pageSlug(data.path);
  const base = { path: data.path, trigger: data.commit, head: file.commitId, commit: file.lastCommitId };

  // Another path owns the slug in what the bot applied, and still exists: two pages, one slug.
  const applied = await readFamily(ctx.redis, ctx.lockPrefix, slug);
  if (applied !== null && applied.path !== data.path && (await ctx.gitlab.readFile(data.projectId, applied.path, branch)) !== null) {
    ctx.logger.error(
      { slug, paths: [applied.path, data.path], commit: file.commitId },
      `slug collision: ${applied.path} and ${data.path} both give the job-family slug "${slug}"; ${data.path} is skipped until one is renamed (run "handbook-bot check" to list every collision)`,
    );
    return { ...base, status: 'slug-collision', okr: null, hiring: null, collidingPaths: [applied.path, data.path].sort() };
  }

  let moved: PageSyncResult['move'];
  if (move !== null && (await ctx.gitlab.readFile(data.projectId, move.fromPath, branch)) === null) {
    const okr = await moveOkrIssue(ctx, {
      fromPath: move.fromPath,
      toPath: data.path,
      page,
      commit: file.lastCommitId,
      handbookProject: data.projectId,
    });
    const relabelled = await deps.moveHiring(ctx, move);
    await clearMove(ctx.redis, ctx.lockPrefix, { from: pageSlug(move.fromPath), to: slug });
    moved = { from: move.fromPath, okr: okr.outcome, relabelled: relabelled.filter((issue) => issue.changed).map((issue) => issue.iid) };
  } else if (move !== null) {
    // The old path exists again at the head: nothing moved away from it any more.
    await clearMove(ctx.redis, ctx.lockPrefix, { from: pageSlug(move.fromPath), to: slug });
  }

  const okr = await reconcileOkrIssue(ctx, {
    page,
    path: data.path,
    commit: file.lastCommitId,
    handbookProject: data.projectId,
    trigger: data.trigger,
  });
  const hiring = await deps.syncHiring(ctx, { page, path: data.path, commit: file.lastCommitId, verify: isExplicitRerun(data.trigger) });
  return { ...base, status: 'present', okr, hiring, ...(moved === undefined ? {} : { move: moved }) };
}

async function syncMissing(ctx: ActionContext, data: PageSyncData, branch: string, deps: PageSyncDeps): Promise<PageSyncResult> {
  const slug = pageSlug(data.path);
  const head = (await ctx.gitlab.getCommit(data.projectId, branch)).id;
  const base = { path: data.path, trigger: data.commit, head, commit: head };

  // Renamed to another slug: the new path's job moves the issues. Queue one, so the move happens even
  // when that job's delivery was lost or ran before the rename was recorded.
  const away = await pendingMoveFrom(ctx.redis, ctx.lockPrefix, slug);
  if (away !== null && away.fromPath === data.path) {
    if ((await ctx.gitlab.readFile(data.projectId, away.toPath, branch)) !== null) {
      await ctx.enqueue([
        pageSyncJob({
          projectId: data.projectId,
          path: away.toPath,
          oldPath: data.path,
          change: 'added',
          commit: data.commit,
          ref: branch,
          delivery: `moved-${head}`,
          trigger: 'push-resolve',
        }),
      ]);
      return { ...base, status: 'moved-away', okr: null, hiring: null };
    }
    // The new path is gone too: nothing moved anywhere, the page is removed.
    await clearMove(ctx.redis, ctx.lockPrefix, { from: slug, to: pageSlug(away.toPath) });
  }
  // Moved to another path with the same slug, already applied there: that page owns the issue now.
  const applied = await readFamily(ctx.redis, ctx.lockPrefix, slug);
  if (applied !== null && applied.path !== data.path) return { ...base, status: 'moved-away', okr: null, hiring: null };

  // Renamed in a push whose compare has not run yet (deliveries arrive in any order): what changed
  // between the version last applied and the head tells, by ancestry-free straight compare. One read,
  // only when a page the bot applied is missing.
  if (applied !== null && applied.commit !== '') {
    const isPage = pageMatcher(ctx.config);
    const renamed = (await ctx.gitlab.compare(data.projectId, applied.commit, head)).find(
      (change) => change.renamed_file && change.old_path === data.path && isPage(change.new_path),
    );
    if (renamed !== undefined) {
      if (pageSlug(renamed.new_path) !== slug) {
        await recordMove(
          ctx.redis,
          ctx.lockPrefix,
          { fromPath: data.path, toPath: renamed.new_path },
          { from: slug, to: pageSlug(renamed.new_path) },
        );
      }
      await ctx.enqueue([
        pageSyncJob({
          projectId: data.projectId,
          path: renamed.new_path,
          oldPath: data.path,
          change: 'added',
          commit: data.commit,
          ref: branch,
          delivery: `moved-${head}`,
          trigger: 'push-resolve',
        }),
      ]);
      return { ...base, status: 'moved-away', okr: null, hiring: null };
    }
  }

  const okr = await reconcileOkrIssue(ctx, {
    page: null,
    path: data.path,
    commit: head,
    handbookProject: data.projectId,
    trigger: data.trigger,
  });
  const hiring = await deps.forgetHiring(ctx, { path: data.path, commit: head });
  return { ...base, status: 'removed', okr, hiring };
}
