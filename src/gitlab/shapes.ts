import type {
  Board,
  BoardList,
  Commit,
  CommitState,
  CommitStatus,
  DiffRefs,
  FileAtRef,
  FileChange,
  GitLabUser,
  Issue,
  Label,
  Member,
  MergeRequest,
  Note,
  TreeEntry,
} from './api.js';

/**
 * GitLab's JSON → the narrow types of `api.ts`. Only the fields the bot reads are kept, so plans,
 * dry-run output and comparisons never depend on the rest; a missing required field fails loudly here
 * instead of as `undefined` deep inside an action.
 */

export class ShapeError extends Error {
  override readonly name = 'ShapeError';
}

type Json = Record<string, unknown>;

function record(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ShapeError(`${what}: expected an object`);
  return value as Json;
}

function num(json: Json, key: string, what: string): number {
  const value = json[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ShapeError(`${what}: "${key}" is not a number`);
  return value;
}

function str(json: Json, key: string, what: string): string {
  const value = json[key];
  if (typeof value !== 'string') throw new ShapeError(`${what}: "${key}" is not a string`);
  return value;
}

function optionalStr(json: Json, key: string): string | null {
  const value = json[key];
  return typeof value === 'string' ? value : null;
}

function bool(json: Json, key: string): boolean {
  return json[key] === true;
}

export function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new ShapeError(`${what}: expected a list`);
  return value;
}

export function listOf<T>(map: (value: unknown) => T, what: string): (value: unknown) => T[] {
  return (value) => list(value, what).map(map);
}

/** Label names; `with_labels_details` answers objects, plain lists answer strings. */
function labelNames(json: Json): string[] {
  const value = json.labels;
  if (!Array.isArray(value)) return [];
  return value.flatMap((label: unknown) => {
    if (typeof label === 'string') return [label];
    if (typeof label === 'object' && label !== null && typeof (label as Json).name === 'string') return [(label as Json).name as string];
    return [];
  });
}

export function toUser(value: unknown): GitLabUser {
  const json = record(value, 'user');
  return { id: num(json, 'id', 'user'), username: str(json, 'username', 'user') };
}

export function toIssue(value: unknown): Issue {
  const json = record(value, 'issue');
  const state = str(json, 'state', 'issue');
  const issue: Issue = {
    id: num(json, 'id', 'issue'),
    iid: num(json, 'iid', 'issue'),
    project_id: num(json, 'project_id', 'issue'),
    title: str(json, 'title', 'issue'),
    description: optionalStr(json, 'description'),
    state: state === 'closed' ? 'closed' : 'opened',
    labels: labelNames(json),
    web_url: optionalStr(json, 'web_url') ?? '',
  };
  if ('due_date' in json) issue.due_date = optionalStr(json, 'due_date');
  if (json.author !== undefined && json.author !== null) issue.author = toUser(json.author);
  const updatedAt = optionalStr(json, 'updated_at');
  if (updatedAt !== null) issue.updated_at = updatedAt;
  return issue;
}

export function toNote(value: unknown): Note {
  const json = record(value, 'note');
  return { id: num(json, 'id', 'note'), body: str(json, 'body', 'note'), system: bool(json, 'system'), author: toUser(json.author) };
}

export function toMergeRequest(value: unknown): MergeRequest {
  const json = record(value, 'merge request');
  return {
    iid: num(json, 'iid', 'merge request'),
    project_id: num(json, 'project_id', 'merge request'),
    sha: optionalStr(json, 'sha') ?? '',
    target_branch: str(json, 'target_branch', 'merge request'),
    source_branch: str(json, 'source_branch', 'merge request'),
    state: str(json, 'state', 'merge request'),
    labels: labelNames(json),
    web_url: optionalStr(json, 'web_url') ?? '',
    reviewers: Array.isArray(json.reviewers) ? json.reviewers.map(toUser) : [],
    diff_refs: toDiffRefs(json.diff_refs),
  };
}

/** `null` until GitLab has computed the merge request's diff (or when any of the three is missing). */
function toDiffRefs(value: unknown): DiffRefs | null {
  if (typeof value !== 'object' || value === null) return null;
  const json = value as Json;
  const [base, head, start] = [optionalStr(json, 'base_sha'), optionalStr(json, 'head_sha'), optionalStr(json, 'start_sha')];
  return base === null || head === null || start === null ? null : { base_sha: base, head_sha: head, start_sha: start };
}

const COMMIT_STATES: readonly CommitState[] = ['pending', 'running', 'success', 'failed', 'canceled'];

export function toCommitStatus(value: unknown): CommitStatus {
  const json = record(value, 'commit status');
  const status = str(json, 'status', 'commit status');
  // GitLab reports more states than can be set (created, skipped, manual…): they are "not ours to keep".
  const state = (COMMIT_STATES as readonly string[]).includes(status) ? (status as CommitState) : 'canceled';
  return {
    id: num(json, 'id', 'commit status'),
    name: str(json, 'name', 'commit status'),
    status: state,
    description: optionalStr(json, 'description'),
    target_url: optionalStr(json, 'target_url'),
  };
}

export function toFileChange(value: unknown): FileChange {
  const json = record(value, 'diff');
  return {
    old_path: str(json, 'old_path', 'diff'),
    new_path: str(json, 'new_path', 'diff'),
    new_file: bool(json, 'new_file'),
    renamed_file: bool(json, 'renamed_file'),
    deleted_file: bool(json, 'deleted_file'),
  };
}

export function toLabel(value: unknown): Label {
  const json = record(value, 'label');
  const label: Label = {
    id: num(json, 'id', 'label'),
    name: str(json, 'name', 'label'),
    color: str(json, 'color', 'label'),
    description: optionalStr(json, 'description'),
  };
  if (typeof json.is_project_label === 'boolean') label.is_project_label = json.is_project_label;
  return label;
}

export function toBoardList(value: unknown): BoardList {
  const json = record(value, 'board list');
  const label = json.label === null || json.label === undefined ? null : record(json.label, 'board list label');
  return {
    id: num(json, 'id', 'board list'),
    position: typeof json.position === 'number' ? json.position : 0,
    label: label === null ? null : { id: num(label, 'id', 'board list label'), name: str(label, 'name', 'board list label') },
  };
}

export function toBoard(value: unknown): Board {
  const json = record(value, 'board');
  const lists = Array.isArray(json.lists) ? json.lists.map(toBoardList) : [];
  return { id: num(json, 'id', 'board'), name: optionalStr(json, 'name') ?? '', lists };
}

export function toMember(value: unknown): Member {
  const json = record(value, 'member');
  return { id: num(json, 'id', 'member'), username: str(json, 'username', 'member'), access_level: num(json, 'access_level', 'member') };
}

export function toTreeEntry(value: unknown): TreeEntry {
  const json = record(value, 'tree entry');
  const type = str(json, 'type', 'tree entry');
  if (type !== 'blob' && type !== 'tree' && type !== 'commit') throw new ShapeError(`tree entry: unknown type "${type}"`);
  return { path: str(json, 'path', 'tree entry'), type };
}

export function toCommit(value: unknown): Commit {
  const json = record(value, 'commit');
  return { id: str(json, 'id', 'commit'), committed_date: str(json, 'committed_date', 'commit') };
}

/** GitLab's `repository/files/:path?ref=` answer: base64 content and the commits that locate it. */
export function toFileAtRef(value: unknown): FileAtRef {
  const json = record(value, 'file');
  const encoding = optionalStr(json, 'encoding') ?? 'base64';
  const raw = str(json, 'content', 'file');
  const content = encoding === 'base64' ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  const commitId = str(json, 'commit_id', 'file');
  return { content, commitId, lastCommitId: optionalStr(json, 'last_commit_id') ?? commitId };
}

/** The compare API's `diffs` (absent when GitLab could not compute them). */
export function toCompareChanges(value: unknown): FileChange[] {
  const json = record(value, 'compare');
  return json.diffs === undefined || json.diffs === null ? [] : list(json.diffs, 'compare diffs').map(toFileChange);
}

export function toDefaultBranch(value: unknown): string {
  const json = record(value, 'project');
  const branch = optionalStr(json, 'default_branch');
  // An empty repository has no default branch; the project setting is what GitLab would create.
  if (branch === null || branch === '') throw new ShapeError('project: no default branch (is the repository empty?)');
  return branch;
}
