import type { SimState } from './state.js';
import type {
  SimBoard,
  SimBoardList,
  SimCommit,
  SimIssue,
  SimLabel,
  SimMember,
  SimMergeRequest,
  SimNote,
  SimProject,
  SimUser,
} from './types.js';

/** Entities → GitLab REST v4 JSON (the fields GitLab documents that the bot or gitbeaker may read). */

export function renderUser(state: SimState, user: SimUser): Record<string, unknown> {
  return {
    id: user.id,
    username: user.username,
    name: user.name,
    state: 'active',
    locked: false,
    avatar_url: null,
    web_url: `${state.baseUrl}/${user.username}`,
    bot: user.bot,
  };
}

export function renderCurrentUser(state: SimState, user: SimUser): Record<string, unknown> {
  return { ...renderUser(state, user), created_at: '2024-01-01T00:00:00.000Z', is_admin: false, email: `${user.username}@example.com` };
}

export function renderProject(state: SimState, project: SimProject): Record<string, unknown> {
  const namespace = project.path.split('/').slice(0, -1).join('/');
  return {
    id: project.id,
    name: project.name,
    path: project.path.split('/').pop(),
    path_with_namespace: project.path,
    name_with_namespace: project.path.split('/').join(' / '),
    default_branch: project.defaultBranch,
    visibility: 'private',
    web_url: `${state.baseUrl}/${project.path}`,
    namespace: { id: 1, name: namespace, path: namespace.split('/').pop(), kind: 'group', full_path: namespace },
    created_at: '2024-01-01T00:00:00.000Z',
  };
}

export function renderCommit(state: SimState, project: SimProject, commit: SimCommit): Record<string, unknown> {
  const [title = ''] = commit.message.split('\n');
  return {
    id: commit.id,
    short_id: commit.id.slice(0, 8),
    title,
    message: commit.message,
    parent_ids: commit.parentIds,
    author_name: commit.authorName,
    author_email: 'author@example.com',
    authored_date: commit.committedDate,
    committer_name: commit.authorName,
    committer_email: 'author@example.com',
    committed_date: commit.committedDate,
    created_at: commit.committedDate,
    web_url: `${state.baseUrl}/${project.path}/-/commit/${commit.id}`,
  };
}

function textColor(color: string): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(color)?.[1];
  if (hex === undefined) return '#FFFFFF';
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return 0.299 * (r ?? 0) + 0.587 * (g ?? 0) + 0.114 * (b ?? 0) > 186 ? '#333333' : '#FFFFFF';
}

export function renderLabel(label: SimLabel, project: SimProject | null): Record<string, unknown> {
  return {
    id: label.id,
    name: label.name,
    color: label.color,
    text_color: textColor(label.color),
    description: label.description,
    description_html: label.description ?? '',
    open_issues_count: 0,
    closed_issues_count: 0,
    open_merge_requests_count: 0,
    subscribed: false,
    priority: null,
    is_project_label: project !== null && label.projectId === project.id,
  };
}

function renderAuthor(state: SimState, userId: number): Record<string, unknown> {
  const user = state.users.get(userId) ?? { id: userId, username: `user${userId}`, name: `User ${userId}`, bot: false };
  return renderUser(state, user);
}

export function renderIssue(state: SimState, issue: SimIssue): Record<string, unknown> {
  const project = state.projects.get(issue.projectId);
  const assignees = issue.assigneeIds.map((id) => renderAuthor(state, id));
  return {
    id: issue.id,
    iid: issue.iid,
    project_id: issue.projectId,
    title: issue.title,
    description: issue.description,
    state: issue.state,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    labels: state.labelNames(issue.labelIds),
    assignees,
    assignee: assignees[0] ?? null,
    author: renderAuthor(state, issue.authorId),
    type: 'ISSUE',
    issue_type: 'issue',
    due_date: issue.dueDate,
    confidential: issue.confidential,
    discussion_locked: null,
    user_notes_count: state.notes.filter((n) => n.kind === 'issues' && n.noteableId === issue.id && !n.system).length,
    web_url: `${state.baseUrl}/${project?.path ?? ''}/-/issues/${issue.iid}`,
    references: { short: `#${issue.iid}`, relative: `#${issue.iid}`, full: `${project?.path ?? ''}#${issue.iid}` },
  };
}

export function renderMergeRequest(state: SimState, mr: SimMergeRequest, baseSha: string | null): Record<string, unknown> {
  const project = state.projects.get(mr.projectId);
  const sha = state.mergeRequestSha(mr);
  const targetHead = project?.repo.branches.get(mr.targetBranch) ?? null;
  return {
    id: mr.id,
    iid: mr.iid,
    project_id: mr.projectId,
    source_project_id: mr.projectId,
    target_project_id: mr.projectId,
    title: mr.title,
    description: mr.description,
    state: mr.state,
    created_at: mr.createdAt,
    updated_at: mr.updatedAt,
    source_branch: mr.sourceBranch,
    target_branch: mr.targetBranch,
    sha,
    labels: state.labelNames(mr.labelIds),
    author: renderAuthor(state, mr.authorId),
    reviewers: (mr.reviewerIds ?? []).map((id) => renderAuthor(state, id)),
    draft: false,
    work_in_progress: false,
    merge_status: 'can_be_merged',
    detailed_merge_status: 'mergeable',
    diff_refs: { base_sha: baseSha, head_sha: sha, start_sha: targetHead },
    web_url: `${state.baseUrl}/${project?.path ?? ''}/-/merge_requests/${mr.iid}`,
    references: { short: `!${mr.iid}`, relative: `!${mr.iid}`, full: `${project?.path ?? ''}!${mr.iid}` },
  };
}

export function renderNote(state: SimState, note: SimNote): Record<string, unknown> {
  return {
    id: note.id,
    type: null,
    body: note.body,
    attachment: null,
    author: renderAuthor(state, note.authorId),
    created_at: note.createdAt,
    updated_at: note.updatedAt,
    system: note.system,
    noteable_id: note.noteableId,
    noteable_type: note.kind === 'issues' ? 'Issue' : 'MergeRequest',
    noteable_iid: note.noteableIid,
    project_id: note.projectId,
    resolvable: false,
    confidential: false,
    internal: false,
  };
}

export function renderBoardList(state: SimState, list: SimBoardList): Record<string, unknown> {
  const label = state.labels.get(list.labelId);
  return {
    id: list.id,
    label:
      label === undefined
        ? null
        : { id: label.id, name: label.name, color: label.color, text_color: textColor(label.color), description: label.description },
    position: list.position,
    list_type: 'label',
    max_issue_count: 0,
    max_issue_weight: 0,
    limit_metric: null,
  };
}

export function renderBoard(state: SimState, board: SimBoard): Record<string, unknown> {
  const project = state.projects.get(board.projectId);
  return {
    id: board.id,
    name: board.name,
    hide_backlog_list: false,
    hide_closed_list: false,
    project: project === undefined ? null : { id: project.id, name: project.name, path_with_namespace: project.path },
    milestone: null,
    assignee: null,
    labels: [],
    weight: null,
    lists: board.lists.map((l) => renderBoardList(state, l)),
  };
}

export function renderMember(state: SimState, member: SimMember): Record<string, unknown> {
  return {
    ...renderAuthor(state, member.userId),
    access_level: member.accessLevel,
    expires_at: null,
    created_at: '2024-01-01T00:00:00.000Z',
  };
}
