import { diffSnapshots, mergeBase } from '../git.js';
import { badParam, forbidden, notFound } from '../http/errors.js';
import { paginate } from '../http/pagination.js';
import { json } from '../http/types.js';
import type { Route } from '../http/router.js';
import type { SimRequest } from '../http/types.js';
import { renderMergeRequest } from '../render.js';
import { stripQuickActions } from '../text-checks.js';
import type { SimMergeRequest, SimProject } from '../types.js';
import type { FileDiff } from '../git.js';
import { actorOf, intParam, projectOf, requireSome } from './common.js';

function mergeRequestOf(req: SimRequest): { project: SimProject; mr: SimMergeRequest } {
  const project = projectOf(req);
  const mr = req.state.findMergeRequest(project, intParam(req, 'merge_request_iid'));
  if (mr === undefined) throw notFound('Merge Request');
  return { project, mr };
}

/** The MR's diff as GitLab computes it: merge base of the target branch → the MR head. */
function changesOf(req: SimRequest, project: SimProject, mr: SimMergeRequest): { baseSha: string | null; diffs: FileDiff[] } {
  const head = project.repo.commits.get(req.state.mergeRequestSha(mr));
  const targetHead = project.repo.branches.get(mr.targetBranch);
  const live =
    head !== undefined && targetHead !== undefined ? (mergeBase(project.repo, targetHead, head.id) ?? targetHead) : (targetHead ?? null);
  const baseSha = mr.mergedBaseSha ?? live;
  const base = baseSha === null ? undefined : project.repo.commits.get(baseSha);
  return { baseSha, diffs: head === undefined ? [] : diffSnapshots(base?.files ?? new Map(), head.files) };
}

const EDITABLE = [
  'title',
  'description',
  'labels',
  'add_labels',
  'remove_labels',
  'state_event',
  'target_branch',
  'assignee_ids',
  'reviewer_ids',
];

export const mergeRequestRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/projects/:id/merge_requests/:merge_request_iid',
    handler: (req) => {
      const { project, mr } = mergeRequestOf(req);
      return json(renderMergeRequest(req.state, mr, changesOf(req, project, mr).baseSha));
    },
  },
  {
    method: 'GET',
    pattern: '/projects/:id/merge_requests/:merge_request_iid/diffs',
    handler: (req) => {
      const { project, mr } = mergeRequestOf(req);
      return paginate(
        req,
        changesOf(req, project, mr).diffs.map((d) => ({ ...d, generated_file: false })),
      );
    },
  },
  {
    method: 'GET',
    pattern: '/projects/:id/merge_requests/:merge_request_iid/changes',
    handler: (req) => {
      const { project, mr } = mergeRequestOf(req);
      const { baseSha, diffs } = changesOf(req, project, mr);
      return json({ ...renderMergeRequest(req.state, mr, baseSha), changes: diffs, changes_count: String(diffs.length), overflow: false });
    },
  },
  {
    method: 'PUT',
    pattern: '/projects/:id/merge_requests/:merge_request_iid',
    handler: (req) => {
      const { project, mr } = mergeRequestOf(req);
      if (mr.authorId !== req.user.id && req.state.accessLevel(project, req.user.id) < 30) throw forbidden();
      requireSome(req, EDITABLE);
      const stateEvent = req.input.string('state_event');
      if (stateEvent !== undefined && stateEvent !== 'close' && stateEvent !== 'reopen')
        throw badParam('state_event does not have a valid value');
      const actor = actorOf(req);
      const target = `merge_requests/${mr.iid}`;
      const title = req.input.string('title');
      if (title !== undefined) {
        req.state.checkText(actor, project, target, title);
        mr.title = title;
      }
      const description = req.input.string('description');
      if (description !== undefined) {
        req.state.checkText(actor, project, target, description);
        mr.description = stripQuickActions(description).text;
      }
      const before = [...mr.labelIds];
      const labelIds = req.state.editLabels(
        project,
        mr.labelIds,
        { labels: req.input.list('labels'), add: req.input.list('add_labels'), remove: req.input.list('remove_labels') },
        actor,
        target,
      );
      mr.labelIds = labelIds;
      req.state.labelSystemNote(project, 'merge_requests', mr, actor, before, labelIds);
      if (stateEvent === 'close' && mr.state === 'opened') mr.state = 'closed';
      if (stateEvent === 'reopen' && mr.state === 'closed') mr.state = 'opened';
      const reviewerIds = req.input.intList('reviewer_ids');
      if (reviewerIds !== undefined) {
        // Like GitLab: the list replaces the reviewers; ids of unknown users are dropped.
        mr.reviewerIds = [...new Set(reviewerIds)].filter((id) => req.state.users.has(id));
      }
      const targetBranch = req.input.string('target_branch');
      if (targetBranch !== undefined) mr.targetBranch = targetBranch;
      mr.updatedAt = req.state.now();
      return json(renderMergeRequest(req.state, mr, changesOf(req, project, mr).baseSha));
    },
  },
];
