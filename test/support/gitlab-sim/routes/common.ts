import { badParam, forbidden, notFound } from '../http/errors.js';
import type { SimRequest } from '../http/types.js';
import type { Actor } from '../state.js';
import type { SimIssue, SimProject } from '../types.js';

/** Helpers every route file shares: project lookup, permissions, the acting user. */

export function projectOf(req: SimRequest): SimProject {
  const project = req.state.findProject(req.params.id ?? '');
  if (project === undefined) throw notFound('Project');
  return project;
}

export function intParam(req: SimRequest, name: string): number {
  const raw = req.params[name] ?? '';
  if (!/^\d+$/.test(raw)) throw badParam(`${name} is invalid`);
  return Number(raw);
}

export function actorOf(req: SimRequest): Actor {
  return { user: req.user, seq: req.seq };
}

/** GitLab's role checks, reduced to "at least this access level" (Guest 10 … Owner 50). */
export function requireAccess(req: SimRequest, project: SimProject, level: number): void {
  if (req.state.accessLevel(project, req.user.id) < level) throw forbidden();
}

/** Confidential issues are visible to their author, assignees and Reporters and above. */
export function canSeeIssue(req: SimRequest, project: SimProject, issue: SimIssue): boolean {
  if (!issue.confidential) return true;
  return issue.authorId === req.user.id || issue.assigneeIds.includes(req.user.id) || req.state.accessLevel(project, req.user.id) >= 20;
}

export function visibleIssue(req: SimRequest, project: SimProject, iid: number): SimIssue {
  const issue = req.state.findIssue(project, iid);
  if (issue === undefined || !canSeeIssue(req, project, issue)) throw notFound('Issue');
  return issue;
}

/** Grape's "at least one parameter" answer for updates with nothing to change. */
export function requireSome(req: SimRequest, names: readonly string[]): void {
  if (!names.some((n) => req.input.has(n))) {
    throw badParam(`${names.join(', ')} are missing, at least one parameter must be provided`);
  }
}

export function byOrder<T>(key: (item: T) => string | number, sort: 'asc' | 'desc'): (a: T, b: T) => number {
  return (a, b) => {
    const ka = key(a);
    const kb = key(b);
    const cmp = ka < kb ? -1 : ka > kb ? 1 : 0;
    return sort === 'asc' ? cmp : -cmp;
  };
}

export function sortParam(req: SimRequest, fallback: 'asc' | 'desc'): 'asc' | 'desc' {
  const sort = req.input.string('sort') ?? fallback;
  if (sort !== 'asc' && sort !== 'desc') throw badParam('sort does not have a valid value');
  return sort;
}
