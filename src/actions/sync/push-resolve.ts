import { pageMatcher } from '../../config/page-matcher.js';
import { withoutMovedAway } from '../../jobfamily/page-moves.js';
import type { FileChange } from '../../gitlab/api.js';
import { pageSyncJob } from '../../queue/job-specs.js';
import { isExplicitRerun, ZERO_SHA, type JobSpec, type PageChange, type PushResolveData, type Trigger } from '../../queue/jobs.js';
import type { ActionContext } from '../shared/context.js';

/**
 * The `push-resolve` job: a push with more commits than its payload lists (GitLab sends at most 20).
 * The compare API gives the whole change between `before` and `after`; every job-family page in it gets
 * one `page-sync` at `after`. Job ids are the ones a webhook would have used (project, path, commit),
 * so a page queued twice runs once.
 */


export interface PageChangeAt {
  path: string;
  change: PageChange;
}

/**
 * The pages a change touches. Pure. A rename is the old path removed and the new one added (either
 * side only when it is a page); a path listed twice keeps its last change; a page moved to a path with
 * the same slug is only synced at its new path.
 */
export function pageChanges(changes: readonly FileChange[], isPage: (path: string) => boolean): PageChangeAt[] {
  const byPath = new Map<string, PageChange>();
  const note = (path: string, change: PageChange) => {
    if (isPage(path)) byPath.set(path, change);
  };
  for (const change of changes) {
    if (change.deleted_file) note(change.old_path, 'removed');
    else if (change.new_file) note(change.new_path, 'added');
    else if (change.renamed_file || change.old_path !== change.new_path) {
      note(change.old_path, 'removed');
      note(change.new_path, 'added');
    } else note(change.new_path, 'modified');
  }
  return [...withoutMovedAway(byPath)].map(([path, change]) => ({ path, change }));
}

/** The queued jobs' trigger: an explicit re-run stays one (its jobs must run again), else `push-resolve`. */
function childTrigger(trigger: Trigger): Trigger {
  return isExplicitRerun(trigger) ? trigger : 'push-resolve';
}

/** The page-sync jobs for a resolved push. Pure. */
export function planPushJobs(data: PushResolveData, pages: readonly PageChangeAt[], committedAt: string): JobSpec<'page-sync'>[] {
  const previousCommit = data.before === ZERO_SHA ? undefined : data.before;
  return pages.map(({ path, change }) =>
    pageSyncJob({
      projectId: data.projectId,
      path,
      change,
      commit: data.after,
      ...(previousCommit === undefined ? {} : { previousCommit }),
      committedAt,
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
  const committedAt = data.committedAt ?? (await ctx.gitlab.getCommit(data.projectId, data.after)).committed_date;
  // A new branch has nothing to compare with: every page at `after` is new.
  const changes: FileChange[] = data.before === ZERO_SHA
    ? (await ctx.gitlab.listTree(data.projectId, data.after))
        .filter((entry) => entry.type === 'blob')
        .map((entry) => ({ old_path: entry.path, new_path: entry.path, new_file: true, renamed_file: false, deleted_file: false }))
    : await ctx.gitlab.compare(data.projectId, data.before, data.after);
  const pages = pageChanges(changes, isPage);
  const jobs = await ctx.enqueue(planPushJobs(data, pages, committedAt));
  ctx.logger.info({ before: data.before, after: data.after, files: changes.length, pages: pages.length }, 'push resolved: page-sync queued per changed page');
  return { commit: data.after, pages, jobs };
}
