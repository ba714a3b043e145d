import { parseOptionsFromConfig } from '../../config/parse-options.js';
import type { Config } from '../../config/types.js';
import type { GitLabApi } from '../../gitlab/api.js';
import type { JobFamilyPage } from '../../jobfamily/model.js';
import { parsePage } from '../../jobfamily/parse.js';
import type { ProjectId } from '../../queue/jobs.js';

/**
 * Reads a job-family page at a ref and parses it. `null` when the file does not exist there (GitLab's
 * 404 for a file; a missing *project* is an error the client throws, never "page removed").
 */
export async function loadPage(
  gitlab: GitLabApi,
  config: Config,
  project: ProjectId,
  path: string,
  ref: string,
): Promise<JobFamilyPage | null> {
  const source = await gitlab.getFile(project, path, ref);
  return source === null ? null : parsePage(source, path, parseOptionsFromConfig(config));
}
