import type { ProjectId } from '../queue/jobs.js';

/**
 * The narrow view of GitLab that the actions use. `GitLabClient` (client.ts) implements it over
 * `@gitbeaker/rest` with the bot's retry policy, request budget and dry-run recorder; the e2e
 * simulator implements the same endpoints over HTTP. Only fields the bot reads are typed.
 * List methods return every page (GitLab paginates at 20 by default).
 */

export interface GitLabUser {
  id: number;
  username: string;
}

export interface Issue {
  id: number;
  iid: number;
  project_id: number;
  title: string;
  description: string | null;
  state: 'opened' | 'closed';
  labels: string[];
  web_url: string;
  due_date?: string | null;
  author?: GitLabUser;
  updated_at?: string;
}

export interface Note {
  id: number;
  body: string;
  system: boolean;
  author: GitLabUser;
}

export interface MergeRequest {
  iid: number;
  project_id: number;
  sha: string;
  target_branch: string;
  source_branch: string;
  state: string;
  labels: string[];
  web_url: string;
  /** GitLab's reviewers of the merge request (absent from some answers: then empty). */
  reviewers: GitLabUser[];
  /**
   * What GitLab's diff compares: `base_sha` is the merge base of the target branch and the head, not
   * the target branch's head. `null` while GitLab has not computed the diff yet.
   */
  diff_refs: DiffRefs | null;
}

export interface DiffRefs {
  base_sha: string;
  head_sha: string;
  start_sha: string;
}

/** Fields of `PUT /merge_requests/:iid` the bot sends; `reviewer_ids` replaces the whole list. */
export interface MergeRequestEdit {
  add_labels?: string[];
  remove_labels?: string[];
  reviewer_ids?: number[];
}

/** The states a commit status can be set to (GitLab's `CommitablePipelineStatus`). */
export type CommitState = 'pending' | 'running' | 'success' | 'failed' | 'canceled';

export interface CommitStatus {
  id: number;
  name: string;
  status: CommitState;
  description: string | null;
  target_url: string | null;
}

export interface CommitStatusWrite {
  name: string;
  state: CommitState;
  description: string;
  target_url?: string;
  /** The branch the status refers to (the merge request's source branch). */
  ref?: string;
}

export interface FileChange {
  old_path: string;
  new_path: string;
  new_file: boolean;
  renamed_file: boolean;
  deleted_file: boolean;
}

export interface Label {
  id: number;
  name: string;
  color: string;
  description: string | null;
  /** Set by GitLab for labels inherited from a group (`include_ancestor_groups`). */
  is_project_label?: boolean;
}

export interface BoardList {
  id: number;
  position: number;
  label: { id: number; name: string } | null;
}

export interface Board {
  id: number;
  name: string;
  lists: BoardList[];
}

export interface Member {
  id: number;
  username: string;
  access_level: number;
}

export interface TreeEntry {
  path: string;
  type: 'blob' | 'tree' | 'commit';
}

export interface Commit {
  id: string;
  committed_date: string;
}

/** A file read at a ref with the commits that locate it (GitLab's `repository/files/:path?ref=`). */
export interface FileAtRef {
  content: string;
  /** The commit `ref` resolved to when the file was read (the branch head for a branch). */
  commitId: string;
  /** The last commit that changed the file, reachable from `ref`: the commit of this version of the page. */
  lastCommitId: string;
}

export interface IssueCreate {
  title: string;
  description: string;
  labels?: string[];
  assignee_ids?: number[];
  due_date?: string;
}

export interface IssueEdit {
  title?: string;
  description?: string;
  add_labels?: string[];
  remove_labels?: string[];
  state_event?: 'close' | 'reopen';
  due_date?: string;
}

export interface IssueQuery {
  labels?: string[];
  state?: 'opened' | 'closed' | 'all';
  search?: string;
}

export interface LabelWrite {
  name: string;
  color: string;
  description: string;
}

/** GitLab's access levels (Reporter and above may move recruiting issues). */
export const ACCESS_LEVEL = { guest: 10, reporter: 20, developer: 30, maintainer: 40, owner: 50 } as const;

export interface GitLabApi {
  /** The token's own user; cached for the client's lifetime. */
  currentUser(): Promise<GitLabUser>;
  findUsers(usernames: string[]): Promise<GitLabUser[]>;

  /** A file's raw text at a ref, or `null` when it does not exist there (404). */
  getFile(project: ProjectId, path: string, ref: string): Promise<string | null>;
  getCommit(project: ProjectId, sha: string): Promise<Commit>;
  /**
   * The file at a ref with the commit the ref resolved to and the last commit that changed it, in one
   * read (the JSON files endpoint); `null` when it does not exist there (404).
   */
  readFile(project: ProjectId, path: string, ref: string): Promise<FileAtRef | null>;
  /** The merge base (best common ancestor) of two commits, `null` when they share no history. */
  mergeBase(project: ProjectId, a: string, b: string): Promise<string | null>;
  /** Paths changed between two commits (the compare API). */
  compare(project: ProjectId, from: string, to: string): Promise<FileChange[]>;
  listTree(project: ProjectId, ref: string): Promise<TreeEntry[]>;
  defaultBranch(project: ProjectId): Promise<string>;

  listIssues(project: ProjectId, query: IssueQuery): Promise<Issue[]>;
  getIssue(project: ProjectId, iid: number): Promise<Issue>;
  createIssue(project: ProjectId, issue: IssueCreate): Promise<Issue>;
  editIssue(project: ProjectId, iid: number, edit: IssueEdit): Promise<Issue>;

  listNotes(project: ProjectId, kind: 'issues' | 'merge_requests', iid: number): Promise<Note[]>;
  createNote(project: ProjectId, kind: 'issues' | 'merge_requests', iid: number, body: string): Promise<Note>;
  editNote(project: ProjectId, kind: 'issues' | 'merge_requests', iid: number, noteId: number, body: string): Promise<Note>;
  deleteNote(project: ProjectId, kind: 'issues' | 'merge_requests', iid: number, noteId: number): Promise<void>;

  getMergeRequest(project: ProjectId, iid: number): Promise<MergeRequest>;
  listMergeRequestChanges(project: ProjectId, iid: number): Promise<FileChange[]>;
  addMergeRequestLabels(project: ProjectId, iid: number, labels: string[]): Promise<MergeRequest>;
  /** One PUT for labels and reviewers together. */
  editMergeRequest(project: ProjectId, iid: number, edit: MergeRequestEdit): Promise<MergeRequest>;

  /** The latest status of each name on a commit (only `name` when given). */
  listCommitStatuses(project: ProjectId, sha: string, name?: string): Promise<CommitStatus[]>;
  /** Sets a commit status; GitLab refuses (400) to set the state a status already has. */
  setCommitStatus(project: ProjectId, sha: string, status: CommitStatusWrite): Promise<CommitStatus>;

  listLabels(project: ProjectId): Promise<Label[]>;
  /** Creates a label; a 409 (it exists, perhaps at group level) resolves to `null`, not an error. */
  createLabel(project: ProjectId, label: LabelWrite): Promise<Label | null>;
  editLabel(project: ProjectId, labelId: number, label: Omit<LabelWrite, 'name'>): Promise<Label>;

  listBoards(project: ProjectId): Promise<Board[]>;
  createBoard(project: ProjectId, name: string): Promise<Board>;
  createBoardList(project: ProjectId, boardId: number, labelId: number): Promise<BoardList>;
  moveBoardList(project: ProjectId, boardId: number, listId: number, position: number): Promise<BoardList>;

  /** A member's effective access (inherited memberships included), or `null` when not a member. */
  getMember(project: ProjectId, userId: number): Promise<Member | null>;
}
