import { fiscalQuarter } from '../../jobfamily/fiscal.js';
import type { QuarterRolloverData } from '../../queue/jobs.js';
import type { ActionContext } from '../shared/context.js';
import { listHandbookPages, pageSyncSpecs } from '../shared/handbook-pages.js';

/**
 * The `quarter-rollover` job, run by a repeatable scheduler (`okr.rollover`, daily by default). OKR
 * issues are per fiscal quarter and the quarter is part of what a page-sync wants, so the rollover is
 * level-triggered like everything else: once the quarter (by `ctx.now()`, injectable) differs from the
 * one recorded as rolled over, every page of the branch gets a page-sync, which opens the new
 * quarter's issue with the key results still unticked in the previous one, and closes the previous
 * issue with a link to its successor. Until the quarter changes, a run costs one Redis read and no
 * GitLab call at all. The record is written after the jobs are queued, so a failure repeats the run.
 */

export function rolloverKey(lockPrefix: string): string {
  return `${lockPrefix}okr-quarter`;
}

export interface RolloverResult {
  quarter: string;
  /** The quarter recorded before this run (`null` on a first run). */
  previous: string | null;
  /** Page-syncs queued (0 when the quarter did not change). */
  queued: number;
}

export async function rollQuarter(ctx: ActionContext, data: QuarterRolloverData): Promise<RolloverResult> {
  const quarter = fiscalQuarter(ctx.now(), ctx.config.okr.fiscalYearStartMonth).label;
  const previous = await ctx.redis.get(rolloverKey(ctx.lockPrefix));
  if (previous === quarter) return { quarter, previous, queued: 0 };
  const pages = await listHandbookPages(ctx.gitlab, ctx.config);
  const ids = await ctx.enqueue(pageSyncSpecs(pages, data.trigger));
  await ctx.redis.set(rolloverKey(ctx.lockPrefix), quarter);
  ctx.logger.info({ quarter, previous, pages: ids.length }, 'quarter rollover: page-sync queued for every page');
  return { quarter, previous, queued: ids.length };
}
