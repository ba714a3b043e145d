import { SimHttpError } from '../http/errors.js';
import { paginate } from '../http/pagination.js';
import { json } from '../http/types.js';
import type { Route } from '../http/router.js';
import type { SimRequest, SimResponse } from '../http/types.js';
import { renderMember } from '../render.js';
import { intParam, projectOf } from './common.js';

/** `/members/all` includes memberships inherited from ancestor groups; `/members` only direct ones. */
function showMember(req: SimRequest, includeInherited: boolean): SimResponse {
  const project = projectOf(req);
  const member = project.members.get(intParam(req, 'user_id'));
  if (member === undefined || (member.inherited && !includeInherited)) throw new SimHttpError(404, { message: '404 Not found' });
  return json(renderMember(req.state, member));
}

function listMembers(req: SimRequest, includeInherited: boolean): SimResponse {
  const project = projectOf(req);
  const members = [...project.members.values()].filter((m) => includeInherited || !m.inherited).sort((a, b) => a.userId - b.userId);
  return paginate(
    req,
    members.map((m) => renderMember(req.state, m)),
  );
}

export const memberRoutes: Route[] = [
  { method: 'GET', pattern: '/projects/:id/members/all', handler: (req) => listMembers(req, true) },
  { method: 'GET', pattern: '/projects/:id/members', handler: (req) => listMembers(req, false) },
  { method: 'GET', pattern: '/projects/:id/members/all/:user_id', handler: (req) => showMember(req, true) },
  { method: 'GET', pattern: '/projects/:id/members/:user_id', handler: (req) => showMember(req, false) },
];
