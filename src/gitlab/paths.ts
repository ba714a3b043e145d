import type { ProjectId } from '../queue/jobs.js';

/**
 * API paths as GitLab sees them (relative to `/api/v4`), used for dry-run plans and error messages.
 * A project path must be URL-encoded as one segment (`acme%2Fhandbook`), exactly as gitbeaker does.
 */
export function projectPath(project: ProjectId, rest = ''): string {
  const base = `/projects/${encodeURIComponent(String(project))}`;
  return rest === '' ? base : `${base}/${rest.replace(/^\/+/, '')}`;
}

export interface PathParts {
  /** The decoded project (`acme/handbook` or `42`), when the path is under `/projects/:id`. */
  project?: string;
  /** What follows the project, decoded for people (`repository/files/a/b.md/raw`), or the whole path. */
  rest: string;
}

/** Splits `/projects/acme%2Fhandbook/issues/7` into `acme/handbook` and `issues/7`. */
export function splitPath(path: string): PathParts {
  const withoutQuery = path.split('?')[0] ?? '';
  const match = /^\/?projects\/([^/]+)(?:\/(.*))?$/.exec(withoutQuery);
  if (!match?.[1]) return { rest: safeDecode(withoutQuery.replace(/^\/+/, '')) };
  return { project: safeDecode(match[1]), rest: safeDecode(match[2] ?? '') };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
