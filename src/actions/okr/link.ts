import type { Config } from '../../config/types.js';
import type { ProjectId } from '../../queue/jobs.js';

/**
 * The link from the OKR issue to the page at the commit it was planned from. GitLab's blob URL needs
 * the project's path: `handbook.project` gives it when configured as a path (jobs carry the numeric id
 * from the webhook, so the configured path is preferred). A numeric id alone has no web route that
 * reaches a file (`/projects/:id` only redirects the project root), so the API's raw-file URL stands
 * in: it serves the page at that commit for a public handbook.
 */
export function pageUrlAt(config: Config, project: ProjectId, commit: string, path: string): string {
  const base = config.gitlab.url.replace(/\/+$/u, '').replace(/\/api\/v4$/u, '');
  const configured = config.handbook.project;
  const projectPath = typeof configured === 'string' ? configured : typeof project === 'string' ? project : null;
  if (projectPath !== null) {
    const file = path.split('/').map(encodeURIComponent).join('/');
    return `${base}/${projectPath.replace(/^\/+|\/+$/gu, '')}/-/blob/${encodeURIComponent(commit)}/${file}`;
  }
  const id = configured ?? project;
  return `${base}/api/v4/projects/${id}/repository/files/${encodeURIComponent(path)}/raw?ref=${encodeURIComponent(commit)}`;
}
