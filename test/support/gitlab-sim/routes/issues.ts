import { badParam, SimHttpError } from '../http/errors.js';
import { paginate } from '../http/pagination.js';
import { json } from '../http/types.js';
import type { Route } from '../http/router.js';
import type { SimRequest } from '../http/types.js';
import { renderIssue } from '../render.js';
import { stripQuickActions } from '../text-checks.js';
import type { SimIssue, SimProject } from '../types.js';
import { actorOf, byOrder, canSeeIssue, intParam, projectOf, requireSome, sortParam, visibleIssue } from './common.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function dueDateParam(req: SimRequest): string | null | undefined {
  const due = req.input.nullableString('due_date');
  if (typeof due === 'string' && !DATE.test(due)) throw badParam('due_date is invalid');
  return due;
}

/** Like GitLab: known quick actions are executed (here: recorded) and removed before saving. */
function writtenText(req: SimRequest, project: SimProject, target: string, text: string): string {
  req.state.checkText(actorOf(req), project, target, text);
  return stripQuickActions(text).text;
}

function assigneesParam(req: SimRequest): number[] | undefined {
  const ids =
    req.input.intList('assignee_ids') ?? (req.input.int('assignee_id') !== undefined ? [req.input.int('assignee_id') ?? 0] : undefined);
  return ids?.filter((id) => req.state.users.has(id));
}

function matchesLabels(req: SimRequest, issue: SimIssue, wanted: readonly string[]): boolean {
  const names = req.state.labelNames(issue.labelIds);
  return wanted.every((w) => {
    if (w.toLowerCase() === 'none') return names.length === 0;
    if (w.toLowerCase() === 'any') return names.length > 0;
    return names.includes(w);
  });
}

function listIssues(req: SimRequest): ReturnType<typeof paginate> {
  const project = projectOf(req);
  const state = req.input.string('state') ?? 'all';
  if (!['opened', 'closed', 'all'].includes(state)) throw badParam('state does not have a valid value');
  const labels = req.input.list('labels') ?? [];
  const search = req.input.string('search')?.toLowerCase();
  const scopes = req.input.list('in') ?? ['title', 'description'];
  const iids = req.input.intList('iids');
  const authorId = req.input.int('author_id');
  const assigneeId = req.input.int('assignee_id');
  const confidential = req.input.bool('confidential');
  const orderBy = req.input.string('order_by') ?? 'created_at';
  if (orderBy !== 'created_at' && orderBy !== 'updated_at') throw badParam('order_by does not have a valid value');
  const issues = req.state.issues
    .filter((i) => i.projectId === project.id && canSeeIssue(req, project, i))
    .filter((i) => state === 'all' || i.state === state)
    .filter((i) => matchesLabels(req, i, labels))
    .filter(
      (i) =>
        search === undefined ||
        (scopes.includes('title') && i.title.toLowerCase().includes(search)) ||
        (scopes.includes('description') && (i.description ?? '').toLowerCase().includes(search)),
    )
    .filter((i) => iids === undefined || iids.includes(i.iid))
    .filter((i) => authorId === undefined || i.authorId === authorId)
    .filter((i) => assigneeId === undefined || i.assigneeIds.includes(assigneeId))
    .filter((i) => confidential === undefined || i.confidential === confidential)
    .sort(
      byOrder((i) => `${orderBy === 'created_at' ? i.createdAt : i.updatedAt}#${String(i.id).padStart(10, '0')}`, sortParam(req, 'desc')),
    );
  return paginate(
    req,
    issues.map((i) => renderIssue(req.state, i)),
  );
}

function createIssue(req: SimRequest): ReturnType<typeof json> {
  const project = projectOf(req);
  const title = req.input.requireString('title');
  // Validate everything before any side effect (auto-created labels, violations).
  const dueDate = dueDateParam(req) ?? null;
  const assigneeIds = assigneesParam(req) ?? [];
  const confidential = req.input.bool('confidential') ?? false;
  const iid = req.state.nextIssueIid(project);
  const target = `issues/${iid}`;
  const rawDescription = req.input.string('description');
  const description = rawDescription === undefined ? null : writtenText(req, project, target, rawDescription);
  req.state.checkText(actorOf(req), project, target, title);
  const at = req.state.now();
  const issue: SimIssue = {
    id: req.state.newIssueId(),
    iid,
    projectId: project.id,
    title,
    description,
    state: 'opened',
    labelIds: req.state.resolveLabels(project, req.input.list('labels') ?? [], actorOf(req), target),
    assigneeIds,
    authorId: req.user.id,
    dueDate,
    confidential,
    createdAt: at,
    updatedAt: at,
    closedAt: null,
  };
  req.state.issues.push(issue);
  return json(renderIssue(req.state, issue), 201);
}

const EDITABLE = [
  'title',
  'description',
  'labels',
  'add_labels',
  'remove_labels',
  'state_event',
  'due_date',
  'assignee_ids',
  'assignee_id',
  'confidential',
];

function editIssue(req: SimRequest): ReturnType<typeof json> {
  const project = projectOf(req);
  const issue = visibleIssue(req, project, intParam(req, 'issue_iid'));
  if (issue.authorId !== req.user.id && req.state.accessLevel(project, req.user.id) < 20)
    throw new SimHttpError(403, { message: '403 Forbidden' });
  requireSome(req, EDITABLE);
  const actor = actorOf(req);
  const target = `issues/${issue.iid}`;
  const stateEvent = req.input.string('state_event');
  if (stateEvent !== undefined && stateEvent !== 'close' && stateEvent !== 'reopen')
    throw badParam('state_event does not have a valid value');
  const dueDate = dueDateParam(req);
  const assignees = assigneesParam(req);
  const confidential = req.input.bool('confidential');
  const system = (body: string): void => {
    req.state.addNote(project, 'issues', issue, req.user.id, body, true);
  };

  const title = req.input.string('title');
  if (title !== undefined && title !== issue.title) {
    req.state.checkText(actor, project, target, title);
    system(`changed title from **${issue.title}** to **${title}**`);
    issue.title = title;
  }
  const description = req.input.string('description');
  if (description !== undefined) {
    const cleaned = writtenText(req, project, target, description);
    if (cleaned !== issue.description) system('changed the description');
    issue.description = cleaned;
  }
  const before = [...issue.labelIds];
  const labelIds = req.state.editLabels(
    project,
    issue.labelIds,
    { labels: req.input.list('labels'), add: req.input.list('add_labels'), remove: req.input.list('remove_labels') },
    actor,
    target,
  );
  issue.labelIds = labelIds;
  req.state.labelSystemNote(project, 'issues', issue, actor, before, labelIds);

  if (stateEvent === 'close' && issue.state === 'opened') {
    issue.state = 'closed';
    issue.closedAt = req.state.now();
    system('closed');
  } else if (stateEvent === 'reopen' && issue.state === 'closed') {
    issue.state = 'opened';
    issue.closedAt = null;
    system('reopened');
  }
  if (dueDate !== undefined) issue.dueDate = dueDate;
  if (assignees !== undefined) issue.assigneeIds = assignees;
  if (confidential !== undefined) issue.confidential = confidential;
  issue.updatedAt = req.state.now();
  return json(renderIssue(req.state, issue));
}

export const issueRoutes: Route[] = [
  { method: 'GET', pattern: '/projects/:id/issues', handler: listIssues },
  {
    method: 'GET',
    pattern: '/projects/:id/issues/:issue_iid',
    handler: (req) => {
      const project = projectOf(req);
      return json(renderIssue(req.state, visibleIssue(req, project, intParam(req, 'issue_iid'))));
    },
  },
  { method: 'POST', pattern: '/projects/:id/issues', handler: createIssue, actionLimited: true },
  { method: 'PUT', pattern: '/projects/:id/issues/:issue_iid', handler: editIssue },
];
