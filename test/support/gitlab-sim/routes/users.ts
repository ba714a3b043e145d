import { notFound } from '../http/errors.js';
import { paginate } from '../http/pagination.js';
import { json } from '../http/types.js';
import type { Route } from '../http/router.js';
import { renderCurrentUser, renderUser } from '../render.js';

export const userRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/user',
    handler: (req) => json(renderCurrentUser(req.state, req.user)),
  },
  {
    method: 'GET',
    pattern: '/users',
    handler: (req) => {
      const username = req.input.string('username')?.toLowerCase();
      const search = req.input.string('search')?.toLowerCase();
      const users = [...req.state.users.values()]
        .filter((u) => username === undefined || u.username.toLowerCase() === username)
        .filter((u) => search === undefined || u.username.toLowerCase().includes(search) || u.name.toLowerCase().includes(search))
        .sort((a, b) => b.id - a.id);
      return paginate(
        req,
        users.map((u) => renderUser(req.state, u)),
      );
    },
  },
  {
    method: 'GET',
    pattern: '/users/:user_id',
    handler: (req) => {
      const user = req.state.users.get(Number(req.params.user_id));
      if (user === undefined) throw notFound('User');
      return json(renderUser(req.state, user));
    },
  },
];
