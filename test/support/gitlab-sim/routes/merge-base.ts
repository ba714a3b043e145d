import { mergeBase, resolveRef } from '../git.js';
import { badParam, notFound, SimHttpError } from '../http/errors.js';
import type { Route } from '../http/router.js';
import { json } from '../http/types.js';
import { renderCommit } from '../render.js';
import { projectOf } from './common.js';

/**
 * `GET /projects/:id/repository/merge_base?refs[]=a&refs[]=b`: the best common ancestor, as a commit.
 * GitLab answers 400 when fewer than two refs are given and when the histories share no commit, and
 * 404 when a ref does not resolve.
 */
export const mergeBaseRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/projects/:id/repository/merge_base',
    handler: (req) => {
      const project = projectOf(req);
      const refs = req.input.list('refs') ?? [];
      if (refs.length < 2) throw badParam('Provide at least 2 refs');
      const commits = refs.map((ref) => resolveRef(project.repo, ref));
      const missing = refs.find((_ref, index) => commits[index] === undefined);
      if (missing !== undefined) throw notFound(`Ref ${missing}`);
      let base: string | undefined = commits[0]?.id;
      for (const commit of commits.slice(1)) {
        if (base === undefined || commit === undefined) break;
        base = mergeBase(project.repo, base, commit.id);
      }
      const found = base === undefined ? undefined : project.repo.commits.get(base);
      if (found === undefined) throw new SimHttpError(400, { message: `Could not find merge base for ${refs.join(', ')}` });
      return json(renderCommit(req.state, project, found));
    },
  },
];
