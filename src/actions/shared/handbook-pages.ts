import { globMatcher, pageMatcher } from '../../config/page-matcher.js';
import type { Config } from '../../config/types.js';
import type { GitLabApi } from '../../gitlab/api.js';
import { pageSyncJob } from '../../queue/job-specs.js';
import type { JobSpec, ProjectId, Trigger } from '../../queue/jobs.js';

/**
 * The job-family pages of the handbook's branch at one commit, and the page-sync jobs for them: used by
 * `sync`, the periodic reconcile, the quarter rollover and recruiting (which family a title names).
 */

export interface HandbookPages {
  project: ProjectId;
  branch: string;
  commit: string;
  committedAt: string;
  paths: string[];
}

export class SyncConfigError extends Error {
  readonly permanent = true;
}

export async function listHandbookPages(gitlab: GitLabApi, config: Config, only?: string): Promise<HandbookPages> {
  const project = config.handbook.project;
  if (project === undefined) {
    throw new SyncConfigError('sync needs the handbook project: set handbook.project in the config file (HANDBOOK_BOT_CONFIG)');
  }
  const branch = config.handbook.branch ?? (await gitlab.defaultBranch(project));
  // Pin one commit, so every page is read at the same version even if someone pushes meanwhile.
  const head = await gitlab.getCommit(project, branch);
  const isPage = pageMatcher(config);
  const isWanted = only === undefined ? () => true : globMatcher(only);
  const tree = await gitlab.listTree(project, head.id);
  const paths = tree
    .filter((entry) => entry.type === 'blob' && isPage(entry.path) && isWanted(entry.path))
    .map((entry) => entry.path)
    .sort();
  return { project, branch, commit: head.id, committedAt: head.committed_date, paths };
}

export function pageSyncSpecs(pages: HandbookPages, trigger: Trigger): JobSpec<'page-sync'>[] {
  return pages.paths.map((path) =>
    pageSyncJob({
      projectId: pages.project,
      path,
      change: 'modified',
      commit: pages.commit,
      ref: pages.branch,
      trigger,
    }),
  );
}
