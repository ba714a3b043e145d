import { blobId, commitsBetween, diffSnapshots, lastCommitFor, mergeBase, resolveRef, treeEntries } from '../git.js';
import { badParam, notFound, SimHttpError } from '../http/errors.js';
import { keysetPaginate, paginate } from '../http/pagination.js';
import { json } from '../http/types.js';
import type { Route } from '../http/router.js';
import type { SimRequest } from '../http/types.js';
import { renderCommit, renderProject } from '../render.js';
import type { SimCommit, SimProject } from '../types.js';
import { projectOf } from './common.js';

function commitAt(req: SimRequest, project: SimProject, what = 'Commit'): SimCommit {
  const ref = req.input.string('ref') ?? project.defaultBranch;
  const commit = resolveRef(project.repo, ref);
  if (commit === undefined) throw notFound(what);
  return commit;
}

function fileAt(req: SimRequest): { project: SimProject; commit: SimCommit; path: string; content: string } {
  const project = projectOf(req);
  const commit = commitAt(req, project);
  const path = req.params.file_path ?? '';
  const content = commit.files.get(path);
  if (content === undefined) throw notFound('File');
  return { project, commit, path, content };
}

export const repositoryRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/projects/:id',
    handler: (req) => json(renderProject(req.state, projectOf(req))),
  },
  {
    method: 'GET',
    pattern: '/projects/:id/repository/files/:file_path/raw',
    handler: (req) => {
      const { commit, path, content } = fileAt(req);
      return {
        status: 200,
        text: { content, contentType: 'text/plain; charset=utf-8' },
        headers: {
          'x-gitlab-file-path': path,
          'x-gitlab-file-name': path.split('/').pop() ?? path,
          'x-gitlab-commit-id': commit.id,
          'x-gitlab-blob-id': blobId(content),
          'x-gitlab-size': String(Buffer.byteLength(content)),
        },
      };
    },
  },
  {
    method: 'GET',
    pattern: '/projects/:id/repository/files/:file_path',
    handler: (req) => {
      if (req.input.string('ref') === undefined) throw badParam('ref is missing');
      const { project, commit, path, content } = fileAt(req);
      return json({
        file_name: path.split('/').pop(),
        file_path: path,
        size: Buffer.byteLength(content),
        encoding: 'base64',
        content: Buffer.from(content).toString('base64'),
        ref: req.input.string('ref'),
        blob_id: blobId(content),
        commit_id: commit.id,
        last_commit_id: lastCommitFor(project.repo, commit, path),
      });
    },
  },
  {
    method: 'GET',
    pattern: '/projects/:id/repository/commits/:sha',
    handler: (req) => {
      const project = projectOf(req);
      const commit = resolveRef(project.repo, req.params.sha ?? '');
      if (commit === undefined) throw notFound('Commit');
      return json({
        ...renderCommit(req.state, project, commit),
        stats: { additions: 0, deletions: 0, total: 0 },
        status: null,
        last_pipeline: null,
      });
    },
  },
  {
    method: 'GET',
    pattern: '/projects/:id/repository/compare',
    handler: (req) => {
      const project = projectOf(req);
      const fromRef = req.input.requireString('from');
      const toRef = req.input.requireString('to');
      const from = resolveRef(project.repo, fromRef);
      const to = resolveRef(project.repo, toRef);
      if (from === undefined || to === undefined) throw notFound('Ref');
      const commits = commitsBetween(project.repo, from.id, to.id);
      const last = commits[commits.length - 1];
      // GitLab's default (`straight=false`) diffs from the merge base, like `git diff from...to`.
      const straight = req.input.bool('straight') ?? false;
      const baseId = straight ? from.id : (mergeBase(project.repo, from.id, to.id) ?? from.id);
      const base = project.repo.commits.get(baseId) ?? from;
      return json({
        commit: last === undefined ? null : renderCommit(req.state, project, last),
        commits: commits.map((c) => renderCommit(req.state, project, c)),
        diffs: diffSnapshots(base.files, to.files),
        compare_timeout: false,
        compare_same_ref: from.id === to.id,
        web_url: `${req.state.baseUrl}/${project.path}/-/compare/${from.id}...${to.id}`,
      });
    },
  },
  {
    method: 'GET',
    pattern: '/projects/:id/repository/tree',
    handler: (req) => {
      const project = projectOf(req);
      const commit = commitAt(req, project, 'Tree');
      const entries = treeEntries(commit.files, req.input.string('path') ?? '', req.input.bool('recursive') ?? false);
      if (entries === undefined) throw notFound('Tree');
      const pagination = req.input.string('pagination');
      if (pagination === 'keyset')
        return keysetPaginate(
          req,
          entries,
          (e) => e.path,
          (e) => e,
        );
      if (pagination !== undefined && pagination !== 'offset')
        throw new SimHttpError(400, { error: 'pagination does not have a valid value' });
      return paginate(req, entries);
    },
  },
];
