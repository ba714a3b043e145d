import { pageMatcher } from '../../config/page-matcher.js';
import { withoutMovedAway } from '../../jobfamily/page-moves.js';
import { pageSlug } from '../../jobfamily/okr.js';
import { recordMove } from '../shared/page-index.js';
import type { FileChange } from '../../gitlab/api.js';
import { pageSyncJob } from '../../queue/job-specs.js';
import { isExplicitRerun, ZERO_SHA, type JobSpec, type PageChange, type PushResolveData, type Trigger } from '../../queue/jobs.js';
import type { ActionContext } from '../shared/context.js';

/**
 * The `push-resolve` job: a push whose pages are known only from the compare API, because GitLab lists
 * at most 20 commits, none for a force push back, and a rename only under `added` in the payload.
 * Compare (straight, `before..after`) gives the whole change; every job-family page in it gets one
 * `page-sync` (which reads the branch head when it runs), a renamed page one job at its new path with
 * `oldPath`, and each rename is recorded so either path's job applies it, whatever order they run in.
 */

export interface PageChangeAt {
  path: string;
  change: PageChange;
  /** The path before a rename (compare's `old_path`), when both paths are pages. */
  oldPath?: string;
}

/**
 * The pages a change touches. Pure. A rename of a page to a page is one change at the new path that
 * names the old one (the issues follow the page); a rename out of or into the pages is a removal or an
 * addition; a path listed twice keeps its last change; a removal whose slug comes back under another
 * path in the same change is dropped (the page moved).
 */
export function pageChanges(changes: readonly FileChange[], isPage: (path: string) => boolean): PageChangeAt[] {
  const byPath = new Map<string, PageChange>();
  const renamedFrom = new Map<string, string>();
  const note = (path: string, change: PageChange) => {
    if (isPage(path)) byPath.set(path, change);
  };
  for (const change of changes) {
    if (change.deleted_file) note(change.old_path, 'removed');
    else if (change.new_file) note(change.new_path, 'added');
    else if (change.renamed_file || change.old_path !== change.new_path) {
      if (isPage(change.old_path) && isPage(change.new_path)) {
        renamedFrom.set(change.new_path, change.old_path);
        note(change.new_path, 'added');
      } else {
        note(change.old_path, 'removed');
        note(change.new_path, 'added');
      }
    } else note(change.new_path, 'modified');
  }
  return [...withoutMovedAway(byPath)].map(([path, change]) => {
    const oldPath = renamedFrom.get(path);
    return { path, change, ...(oldPath === undefined ? {} : { oldPath }) };
  });
}

/** The queued jobs' trigger: an explicit re-run stays one (its jobs must run again), else `push-resolve`. */
function childTrigger(trigger: Trigger): Trigger {
  return isExplicitRerun(trigger) ? trigger : 'push-resolve';
}

/** The page-sync jobs for a resolved push, one per page and delivery. Pure. */
export function planPushJobs(data: PushResolveData, pages: readonly PageChangeAt[]): JobSpec<'page-sync'>[] {
  const delivery = data.delivery ?? `${data.before}..${data.after}`;
  return pages.map(({ path, change, oldPath }) =>
    pageSyncJob({
      projectId: data.projectId,
      path,
      change,
      commit: data.after,
      ref: data.ref,
      delivery,
      ...(oldPath === undefined ? {} : { oldPath }),
      trigger: childTrigger(data.trigger),
    }),
  );
}

export interface PushResolveResult {
  commit: string;
  pages: PageChangeAt[];
  jobs: string[];
}

export async function resolvePush(ctx: ActionContext, data: PushResolveData): Promise<PushResolveResult> {
  const isPage = pageMatcher(ctx.config);
  // A new branch has nothing to compare with: every page at `after` is new.
  const changes: FileChange[] =
    data.before === ZERO_SHA
      ? (await ctx.gitlab.listTree(data.projectId, data.after))
          .filter((entry) => entry.type === 'blob')
          .map((entry) => ({ old_path: entry.path, new_path: entry.path, new_file: true, renamed_file: false, deleted_file: false }))
      : await ctx.gitlab.compare(data.projectId, data.before, data.after);
  const pages = pageChanges(changes, isPage);
  for (const page of pages) {
    if (page.oldPath !== undefined && pageSlug(page.oldPath) !== pageSlug(page.path)) {
      await recordMove(
        ctx.redis,
        ctx.lockPrefix,
        { fromPath: page.oldPath, toPath: page.path },
        { from: pageSlug(page.oldPath), to: pageSlug(page.path) },
      );
    }
  }
  const jobs = await ctx.enqueue(planPushJobs(data, pages));
  ctx.logger.info(
    { before: data.before, after: data.after, files: changes.length, pages: pages.length },
    'push resolved: page-sync queued per changed page',
  );
  return { commit: data.after, pages, jobs };
}
