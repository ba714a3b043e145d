import { splitPath } from './paths.js';

/**
 * Errors from talking to GitLab. The worker decides from the class alone: a `PermanentGitLabError`
 * becomes BullMQ's `UnrecoverableError` (retrying cannot fix a bad token or a missing project), a
 * `RetryableGitLabError` is thrown back to BullMQ so the job runs again later (after `delayMs` when
 * known) instead of holding a worker. Messages never contain the token.
 */

export interface GitLabErrorDetails {
  method: string;
  /** API path without the query string, e.g. `/projects/acme%2Fhandbook/issues`. */
  path: string;
  /** HTTP status; absent for network errors and timeouts. */
  status?: number;
  /** GitLab's own `message`/`error` text, when it sent one. */
  gitlabMessage?: string;
}

export abstract class GitLabError extends Error {
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly gitlabMessage: string | undefined;

  constructor(message: string, details: GitLabErrorDetails, options?: ErrorOptions) {
    super(message, options);
    this.method = details.method;
    this.path = details.path;
    this.status = details.status;
    this.gitlabMessage = details.gitlabMessage;
  }
}

/** Worth trying again later: rate limits, 5xx, network errors, an exhausted request budget. */
export class RetryableGitLabError extends GitLabError {
  override readonly name = 'RetryableGitLabError';
  readonly retryable = true as const;
  /** How long to wait before the next try, when GitLab or the budget said so. */
  readonly delayMs: number | undefined;

  constructor(message: string, details: GitLabErrorDetails & { delayMs?: number }, options?: ErrorOptions) {
    super(message, details, options);
    this.delayMs = details.delayMs;
  }
}

/** Retrying cannot help (401, 403, 404, other 4xx): the worker wraps it in BullMQ's UnrecoverableError. */
export class PermanentGitLabError extends GitLabError {
  override readonly name = 'PermanentGitLabError';
  readonly permanent = true as const;
}

/** GitLab answered 2xx with something that is not the shape the bot expects (a proxy page, an API change). */
export class UnexpectedResponseError extends GitLabError {
  override readonly name = 'UnexpectedResponseError';
}

/** True when GitLab answered `status` (a caller may treat 404 on delete or 409 on create as "already so"). */
export function hasStatus(error: unknown, status: number): error is GitLabError {
  return error instanceof GitLabError && error.status === status;
}

/**
 * A 404 about the project itself (GitLab says "404 Project Not Found"), as opposed to a missing file,
 * member or note inside it: never to be read as "this file does not exist", or a lost permission
 * would look like every page being removed.
 */
export function isMissingProject(error: unknown): boolean {
  return hasStatus(error, 404) && /project not found/i.test(error.gitlabMessage ?? '');
}

/** The role GitLab requires for a request, for the 403 message (approximate but actionable). */
function neededRole(method: string, rest: string): string {
  if (method === 'GET') return 'Reporter (to read confidential issues and members)';
  if (/^merge_requests\//.test(rest) && !/\/notes(\/|$)/.test(rest)) return 'Developer (to edit merge requests)';
  return 'Reporter (Developer to edit merge requests)';
}

/**
 * The message for a 4xx GitLab will keep answering: it names the token, project or path that is
 * wrong and what is needed, so an operator can fix it from the log line alone.
 */
export function permanentMessage(details: GitLabErrorDetails & { status: number; hasToken: boolean }): string {
  const { method, path, status, gitlabMessage, hasToken } = details;
  const { project, rest } = splitPath(path);
  const request = `${method} ${path}`;
  const said = gitlabMessage ? ` (GitLab said: ${JSON.stringify(gitlabMessage)})` : '';
  switch (status) {
    case 401:
      return hasToken
        ? `GitLab rejected the token (401) for ${request}: set GITLAB_TOKEN to a valid token with the api scope${said}`
        : `GitLab requires a token (401) for ${request}: the project is not public; set GITLAB_TOKEN to a token with the api scope${said}`;
    case 403: {
      const where = project ?? 'the project';
      return (
        `GitLab refused ${request} (403): the token's user lacks permission on ${where}; ` +
        `it needs at least ${neededRole(method, rest)} on ${where}, and the token needs the api scope${said}`
      );
    }
    case 404:
      return project
        ? `GitLab answered 404 for ${request}: project ${project} or path ${rest || '/'} not found, or the token cannot see it${said}`
        : `GitLab answered 404 for ${request}: ${rest || 'path'} not found, or the token cannot see it${said}`;
    default:
      return `GitLab rejected ${request} (${status}): ${gitlabMessage ?? 'no message'}`;
  }
}
