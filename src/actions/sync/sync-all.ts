import type { SyncAllData } from '../../queue/jobs.js';
import { listHandbookPages, pageSyncSpecs, type HandbookPages } from '../shared/handbook-pages.js';
import type { ActionContext } from '../shared/context.js';
import { slugCollisions } from '../../jobfamily/slug-collisions.js';
import { readFamily } from '../shared/page-index.js';

/**
 * Backfill: every job-family page of the handbook's default branch, as `page-sync` jobs. Used by the
 * `sync` command and by the periodic reconcile (`sync.cron`), which catches pushes GitLab never
 * delivered (a push of more than 3 refs at once sends no webhook).
 */

/**
 * Pages to sync: for a slug several pages give, only the one the index records as owning it (else the
 * first by path), so the outcome does not depend on which job runs first; the others are reported.
 */
async function withoutCollisions(ctx: ActionContext, pages: HandbookPages): Promise<HandbookPages> {
  const collisions = slugCollisions(pages.paths);
  if (collisions.size === 0) return pages;
  const skipped = new Set<string>();
  for (const [slug, group] of collisions) {
    const owner = (await readFamily(ctx.redis, ctx.lockPrefix, slug))?.path;
    const keep = owner !== undefined && group.includes(owner) ? owner : group[0];
    for (const path of group) if (path !== keep) skipped.add(path);
    ctx.logger.error(
      { slug, paths: group, kept: keep },
      `slug collision: ${group.join(', ')} all give the job-family slug "${slug}"; only ${keep ?? ''} is synced until the others are renamed`,
    );
  }
  return { ...pages, paths: pages.paths.filter((path) => !skipped.has(path)) };
}

/** The `sync-all` job (periodic reconcile): the same listing, queued from a worker. */
export async function syncAll(ctx: ActionContext, data: SyncAllData): Promise<{ commit: string; queued: number }> {
  const pages = await withoutCollisions(ctx, await listHandbookPages(ctx.gitlab, ctx.config, data.only));
  const ids = await ctx.enqueue(pageSyncSpecs(pages, data.trigger));
  ctx.logger.info({ commit: pages.commit, pages: ids.length, trigger: data.trigger }, 'sync: queued page-sync for every page');
  return { commit: pages.commit, queued: ids.length };
}
