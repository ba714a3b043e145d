import type { JobFamilyPage } from '../../jobfamily/model.js';
import { isExplicitRerun, type PageSyncData } from '../../queue/jobs.js';
import type { ActionContext } from '../shared/context.js';
import { forgetHiringPage, syncHiringForPage, type HiringSyncInput, type HiringSyncResult } from '../hiring/sync.js';
import { reconcileOkrIssue, type OkrIssueResult } from '../okr/issue.js';
import { loadPage } from '../shared/page-loader.js';

/**
 * The `page-sync` job: one job-family page at one commit. Reads the page there (and the version before,
 * when the push said which commit that was), reconciles the page's OKR tracking issue, then hands the
 * page to the hiring sync (labels, board, recruiting-issue migrations).
 *
 * The file at the commit decides, not the job's `change`: a page missing there is removed, whatever the
 * push listed, and one present is synced. Each half is idempotent and guarded against older commits, so
 * a retry after a failure in the second half redoes nothing the first half did.
 */

export interface PageSyncDeps {
  syncHiring(ctx: ActionContext, input: HiringSyncInput): Promise<HiringSyncResult>;
  forgetHiring(ctx: ActionContext, input: { path: string }): Promise<void>;
}

const DEFAULT_DEPS: PageSyncDeps = { syncHiring: syncHiringForPage, forgetHiring: forgetHiringPage };

export interface PageSyncResult {
  path: string;
  commit: string;
  committedAt: string;
  status: 'present' | 'removed';
  okr: OkrIssueResult;
  /** The hiring sync's result; `forgotten` for a removed page; `kept` for a page moved in the same commit. */
  hiring: HiringSyncResult | 'forgotten' | 'kept';
}

interface PageVersions {
  page: JobFamilyPage | null;
  previousPage: JobFamilyPage | null;
}

/** Reads both versions at once; the previous one only for a modified page (the hiring sync's "before"). */
async function loadVersions(ctx: ActionContext, data: PageSyncData): Promise<PageVersions> {
  const wantPrevious = data.previousCommit !== undefined && data.change === 'modified';
  const [page, previousPage] = await Promise.all([
    loadPage(ctx.gitlab, ctx.config, data.projectId, data.path, data.commit),
    wantPrevious && data.previousCommit !== undefined
      ? loadPage(ctx.gitlab, ctx.config, data.projectId, data.path, data.previousCommit)
      : Promise.resolve(null),
  ]);
  return { page, previousPage };
}

/** `committedAt` from the job (pushes carry it), else one read of the commit. */
async function commitTime(ctx: ActionContext, data: PageSyncData): Promise<string> {
  if (data.committedAt !== undefined && !Number.isNaN(Date.parse(data.committedAt))) return data.committedAt;
  return (await ctx.gitlab.getCommit(data.projectId, data.commit)).committed_date;
}

export async function syncPage(ctx: ActionContext, data: PageSyncData, deps: PageSyncDeps = DEFAULT_DEPS): Promise<PageSyncResult> {
  const [{ page, previousPage }, committedAt] = await Promise.all([loadVersions(ctx, data), commitTime(ctx, data)]);
  const okr = await reconcileOkrIssue(ctx, {
    page,
    previousPage,
    path: data.path,
    commit: data.commit,
    committedAt,
    handbookProject: data.projectId,
    trigger: data.trigger,
  });
  const base = { path: data.path, commit: data.commit, committedAt, okr };
  if (page === null) {
    // A move keeps the slug: the page's new path owns the family now, the index must keep it. A
    // removal older than what was synced since (the page came back) must not forget the newer page.
    if (okr.outcome === 'moved' || okr.outcome === 'older-commit') return { ...base, status: 'removed', hiring: 'kept' };
    await deps.forgetHiring(ctx, { path: data.path });
    return { ...base, status: 'removed', hiring: 'forgotten' };
  }
  const hiring = await deps.syncHiring(ctx, { page, previousPage, path: data.path, commit: data.commit, committedAt, verify: isExplicitRerun(data.trigger) });
  return { ...base, status: 'present', hiring };
}
