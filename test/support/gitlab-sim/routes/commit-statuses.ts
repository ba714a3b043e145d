import { resolveRef } from '../git.js';
import { badParam, notFound } from '../http/errors.js';
import { json } from '../http/types.js';
import type { Route } from '../http/router.js';
import type { SimRequest } from '../http/types.js';
import type { SimState } from '../state.js';
import type { SimCommitStatus, SimProject } from '../types.js';
import { projectOf, requireAccess } from './common.js';

/**
 * External commit statuses, as GitLab's `Ci::CreateCommitStatusService` answers them: a status still
 * pending or running (same sha, name and ref) is moved to the new state, and setting the state it
 * already has is refused with 400 "Cannot transition status via :<event> from :<state>"; a finished
 * status is left as it was and a new one is added. The list answers the latest status of each name
 * unless `all=true`.
 */

const STATES = ['pending', 'running', 'success', 'failed', 'canceled'] as const;
type State = (typeof STATES)[number];
const EVENT: Record<State, string> = { pending: 'enqueue', running: 'run', success: 'succeed', failed: 'drop', canceled: 'cancel' };

function commitOf(req: SimRequest, project: SimProject): string {
  const commit = resolveRef(project.repo, req.params.sha ?? '');
  if (commit === undefined) throw notFound('Commit');
  return commit.id;
}

function render(state: SimState, status: SimCommitStatus): Record<string, unknown> {
  const author = state.users.get(status.authorId);
  return {
    id: status.id,
    sha: status.sha,
    ref: status.ref,
    status: status.status,
    name: status.name,
    target_url: status.targetUrl,
    description: status.description,
    created_at: status.createdAt,
    started_at: null,
    finished_at: status.status === 'pending' || status.status === 'running' ? null : status.createdAt,
    allow_failure: false,
    coverage: null,
    author: author === undefined ? null : { id: author.id, username: author.username, name: author.name },
  };
}

function latestByName(statuses: readonly SimCommitStatus[]): SimCommitStatus[] {
  const latest = new Map<string, SimCommitStatus>();
  for (const status of statuses) latest.set(`${status.name}\u0000${status.ref ?? ''}`, status);
  return [...latest.values()].sort((a, b) => b.id - a.id);
}

let nextId = 1;

export const commitStatusRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/projects/:id/repository/commits/:sha/statuses',
    handler: (req) => {
      const project = projectOf(req);
      const sha = commitOf(req, project);
      const name = req.input.string('name');
      const ref = req.input.string('ref');
      const mine = req.state.statuses.filter(
        (s) =>
          s.projectId === project.id && s.sha === sha && (name === undefined || s.name === name) && (ref === undefined || s.ref === ref),
      );
      return json((req.input.bool('all') === true ? [...mine].reverse() : latestByName(mine)).map((s) => render(req.state, s)));
    },
  },
  {
    method: 'POST',
    pattern: '/projects/:id/statuses/:sha',
    handler: (req) => {
      const project = projectOf(req);
      requireAccess(req, project, 30);
      const sha = commitOf(req, project);
      const state = req.input.requireString('state');
      if (!(STATES as readonly string[]).includes(state)) throw badParam('state does not have a valid value');
      const name = req.input.string('name') ?? req.input.string('context') ?? 'default';
      const ref = req.input.string('ref') ?? null;
      const description = req.input.string('description') ?? null;
      if (description !== null && description.length > 255) throw badParam('description is too long (maximum is 255 characters)');
      const current = latestByName(
        req.state.statuses.filter((s) => s.projectId === project.id && s.sha === sha && s.name === name && s.ref === ref),
      )[0];
      const open = current !== undefined && (current.status === 'pending' || current.status === 'running') ? current : undefined;
      if (open?.status === state) {
        return { status: 400, body: { message: `Cannot transition status via :${EVENT[state]} from :${open.status}` } };
      }
      if (open !== undefined) {
        open.status = state as State;
        open.description = req.input.string('description') ?? open.description;
        open.targetUrl = req.input.string('target_url') ?? open.targetUrl;
        return json(render(req.state, open), 201);
      }
      const status: SimCommitStatus = {
        id: nextId++,
        projectId: project.id,
        sha,
        name,
        status: state as State,
        description,
        targetUrl: req.input.string('target_url') ?? null,
        ref,
        authorId: req.user.id,
        createdAt: req.state.now(),
      };
      req.state.statuses.push(status);
      return json(render(req.state, status), 201);
    },
  },
];
