import { Router } from '../http/router.js';
import { boardRoutes } from './boards.js';
import { commitStatusRoutes } from './commit-statuses.js';
import { issueRoutes } from './issues.js';
import { labelRoutes } from './labels.js';
import { memberRoutes } from './members.js';
import { mergeBaseRoutes } from './merge-base.js';
import { mergeRequestRoutes } from './merge-requests.js';
import { noteRoutes } from './notes.js';
import { repositoryRoutes } from './repository.js';
import { userRoutes } from './users.js';

/** Every GitLab REST v4 route the simulator answers, below `/api/v4`. */
export function apiRouter(): Router {
  const router = new Router();
  for (const route of [
    ...userRoutes,
    ...repositoryRoutes,
    ...mergeBaseRoutes,
    ...issueRoutes,
    ...noteRoutes,
    ...mergeRequestRoutes,
    ...labelRoutes,
    ...boardRoutes,
    ...memberRoutes,
    ...commitStatusRoutes,
  ]) {
    router.add(route);
  }
  return router;
}
