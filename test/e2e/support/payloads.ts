import { inProject, loadFixture, type TestProject } from '../../support/fixtures.js';

/**
 * Webhook bodies for the scripted day, each one of GitLab's published example payloads with only the
 * fields the script controls replaced (project, people, commits, iids, shas, note text).
 */

export interface Person {
  id: number;
  username: string;
}

export interface PushCommit {
  id: string;
  message: string;
  /** ISO time; the simulator's commit has the same date. */
  timestamp: string;
  added: string[];
  modified: string[];
  removed: string[];
}

export function pushPayload(input: {
  project: TestProject;
  branch: string;
  before: string;
  after: string;
  author: Person;
  /** The commits GitLab lists (at most 20), oldest first. */
  commits: PushCommit[];
  totalCommits: number;
}): Record<string, unknown> {
  const push = inProject(loadFixture('push'), input.project);
  const template = push.commits[0];
  if (template === undefined) throw new Error('push.json lists no commit');
  push.before = input.before;
  push.after = input.after;
  push.checkout_sha = input.after;
  push.ref = `refs/heads/${input.branch}`;
  push.user_id = input.author.id;
  push.user_username = input.author.username;
  push.project.default_branch = input.branch;
  push.commits = input.commits.map((commit) => ({
    ...structuredClone(template),
    id: commit.id,
    message: commit.message,
    title: commit.message.split('\n')[0] ?? commit.message,
    timestamp: commit.timestamp,
    added: commit.added,
    modified: commit.modified,
    removed: commit.removed,
  }));
  push.total_commits_count = input.totalCommits;
  return push;
}

export function mergeRequestPayload(input: {
  project: TestProject;
  iid: number;
  action: 'open' | 'update';
  sourceBranch: string;
  targetBranch: string;
  headSha: string;
  /** The previous head, for an update that brought new commits. */
  oldrev?: string;
  title: string;
  author: Person;
}): Record<string, unknown> {
  const mr = inProject(loadFixture('merge_request'), input.project);
  mr.user.id = input.author.id;
  mr.user.username = input.author.username;
  const attrs = mr.object_attributes;
  attrs.iid = input.iid;
  attrs.action = input.action;
  attrs.title = input.title;
  attrs.source_branch = input.sourceBranch;
  attrs.target_branch = input.targetBranch;
  attrs.last_commit.id = input.headSha;
  if (input.oldrev === undefined) delete attrs.oldrev;
  else attrs.oldrev = input.oldrev;
  return mr;
}

export function issuePayload(input: {
  project: TestProject;
  iid: number;
  title: string;
  confidential: boolean;
  labels: string[];
  updatedAt: string;
  author: Person;
}): Record<string, unknown> {
  const issue = inProject(loadFixture('issue'), input.project);
  issue.user.id = input.author.id;
  issue.user.username = input.author.username;
  const attrs = issue.object_attributes;
  attrs.iid = input.iid;
  attrs.action = 'open';
  attrs.title = input.title;
  attrs.confidential = input.confidential;
  attrs.updated_at = input.updatedAt;
  const labels = input.labels.map((title) => ({ title }));
  attrs.labels = labels;
  issue.labels = labels;
  issue.changes = { labels: { previous: [], current: labels } };
  return issue;
}

/** A comment on a merge request (GitLab's own note_merge_request.json) or, adapted, on an issue. */
export function notePayload(input: {
  project: TestProject;
  noteId: number;
  note: string;
  author: Person;
  on:
    | { kind: 'MergeRequest'; iid: number; targetBranch: string; headSha: string }
    | { kind: 'Issue'; iid: number; title: string; confidential: boolean };
}): Record<string, unknown> {
  const note = inProject(loadFixture('note_merge_request'), input.project);
  note.user.id = input.author.id;
  note.user.username = input.author.username;
  const attrs = note.object_attributes;
  attrs.id = input.noteId;
  attrs.note = input.note;
  attrs.author_id = input.author.id;
  attrs.noteable_type = input.on.kind;
  attrs.action = 'create';
  if (input.on.kind === 'MergeRequest') {
    note.merge_request.iid = input.on.iid;
    note.merge_request.target_branch = input.on.targetBranch;
    note.merge_request.last_commit.id = input.on.headSha;
    return note;
  }
  // A note on an issue carries `issue` where a merge request note carries `merge_request`.
  const { merge_request: _mr, ...rest } = note;
  return { ...rest, issue: { iid: input.on.iid, title: input.on.title, confidential: input.on.confidential, state: 'opened' } };
}
