/**
 * The simulator's internal entities. They are stored normalised (labels by id, users by id) so a
 * label rename or a user lookup behaves like GitLab; `render.ts` turns them into REST v4 JSON.
 */

export type NoteableKind = 'issues' | 'merge_requests';

export interface SimUser {
  id: number;
  username: string;
  name: string;
  bot: boolean;
}

export interface SimToken {
  token: string;
  userId: number;
  /** A `read_api`-scoped token: every write answers 403 insufficient_scope. */
  readOnly: boolean;
}

export interface SimCommit {
  id: string;
  parentIds: string[];
  message: string;
  authorName: string;
  committedDate: string;
  /** The full snapshot of the tree at this commit (path → content); shared, never mutated. */
  files: ReadonlyMap<string, string>;
}

export interface SimRepo {
  commits: Map<string, SimCommit>;
  branches: Map<string, string>;
}

export interface SimMember {
  userId: number;
  accessLevel: number;
  /** Membership comes from an ancestor group: visible only through `/members/all`. */
  inherited: boolean;
}

export interface SimProject {
  id: number;
  path: string;
  name: string;
  defaultBranch: string;
  repo: SimRepo;
  members: Map<number, SimMember>;
}

export interface SimLabel {
  id: number;
  name: string;
  color: string;
  description: string | null;
  /** Owning project, or null for a group label. */
  projectId: number | null;
  /** Owning group path for a group label (inherited by projects below it). */
  groupPath: string | null;
}

export interface SimIssue {
  id: number;
  iid: number;
  projectId: number;
  title: string;
  description: string | null;
  state: 'opened' | 'closed';
  labelIds: number[];
  assigneeIds: number[];
  authorId: number;
  dueDate: string | null;
  confidential: boolean;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface SimMergeRequest {
  id: number;
  iid: number;
  projectId: number;
  title: string;
  description: string | null;
  state: 'opened' | 'closed' | 'merged';
  sourceBranch: string;
  targetBranch: string;
  /** Head at the last time the source branch was seen; the live branch head wins when it exists. */
  sha: string;
  /** Set when merged: the diff's base then stays what it was at the merge, as GitLab keeps it. */
  mergedBaseSha?: string;
  labelIds: number[];
  /** GitLab reviewers (`reviewer_ids`); absent is none. */
  reviewerIds?: number[];
  authorId: number;
  createdAt: string;
  updatedAt: string;
}

/** An external commit status (`POST /projects/:id/statuses/:sha`). */
export interface SimCommitStatus {
  id: number;
  projectId: number;
  sha: string;
  name: string;
  status: 'pending' | 'running' | 'success' | 'failed' | 'canceled';
  description: string | null;
  targetUrl: string | null;
  ref: string | null;
  authorId: number;
  createdAt: string;
}

export interface SimNote {
  id: number;
  projectId: number;
  kind: NoteableKind;
  noteableId: number;
  noteableIid: number;
  body: string;
  authorId: number;
  system: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface SimBoardList {
  id: number;
  labelId: number;
  position: number;
}

export interface SimBoard {
  id: number;
  projectId: number;
  name: string;
  /** Kept sorted by position, positions 0..n-1 like GitLab's label lists. */
  lists: SimBoardList[];
}

export type ViolationKind = 'quick-action' | 'mass-mention' | 'label-auto-created';

export interface Violation {
  /** Request sequence number that caused it (0 for seeding). */
  seq: number;
  kind: ViolationKind;
  project: string;
  /** What was written, e.g. `issues/3`, `issues/3/notes`, `merge_requests/1`. */
  target: string;
  user: string;
  text: string;
}

export interface FaultOptions {
  /** Probability (0..1) that a request is answered 429 with `Retry-After`. */
  rate429?: number;
  /** Probability (0..1) that a request is answered 500. */
  rate500?: number;
  /** Probability (0..1) that a note/issue POST gets GitLab's per-action 429, without `Retry-After`. */
  rateActionLimit429?: number;
  /** Probability (0..1) that a POST is applied and then answered 502 (as a proxy timeout would). */
  failAfterApply?: number;
  retryAfterSeconds?: number;
  /** Added latency per API call, on top of the server's base latency. */
  latencyMs?: number;
  /** Reseeds the fault PRNG when given. */
  seed?: number;
}

export interface FaultCounters {
  injected429: number;
  injectedActionLimit429: number;
  injected500: number;
  injected502AfterApply: number;
  delayedRequests: number;
}

export interface WriteRecord {
  seq: number;
  method: string;
  route: string;
  path: string;
  status: number;
  user: string | null;
  body: unknown;
  /** Set when the answer was an injected fault (the write was applied only for `502-after-apply`). */
  fault?: string;
}

export interface RequestLogSummary {
  total: number;
  /** `METHOD /route/:pattern` → count. */
  byRoute: Record<string, number>;
  writes: WriteRecord[];
}

export interface DumpNote {
  id: number;
  body: string;
  author: string;
  system: boolean;
  created_at: string;
  updated_at: string;
}

export interface DumpIssue {
  iid: number;
  title: string;
  description: string | null;
  state: 'opened' | 'closed';
  labels: string[];
  assignees: string[];
  author: string;
  due_date: string | null;
  confidential: boolean;
  /** Oldest first, system notes included. */
  notes: DumpNote[];
}

export interface DumpMergeRequest {
  iid: number;
  title: string;
  state: string;
  source_branch: string;
  target_branch: string;
  sha: string;
  labels: string[];
  /** Reviewer usernames, in the order they were set. */
  reviewers: string[];
  notes: DumpNote[];
}

export interface DumpCommitStatus {
  sha: string;
  name: string;
  status: string;
  description: string | null;
  target_url: string | null;
  ref: string | null;
}

export interface DumpLabel {
  id: number;
  name: string;
  color: string;
  description: string | null;
  group: string | null;
}

export interface DumpBoard {
  id: number;
  name: string;
  /** Label names in list order. */
  lists: string[];
}

export interface DumpProject {
  id: number;
  path: string;
  default_branch: string;
  branches: Record<string, string>;
  labels: DumpLabel[];
  issues: DumpIssue[];
  merge_requests: DumpMergeRequest[];
  boards: DumpBoard[];
  /** Statuses oldest first: a pending one moves to its new state in place, a finished one is followed by a new one. */
  statuses: DumpCommitStatus[];
}

export interface SimDump {
  users: { id: number; username: string }[];
  projects: DumpProject[];
  violations: Violation[];
  requests: RequestLogSummary;
  faults: FaultCounters;
}
