import { Gitlab } from '@gitbeaker/rest';
import type { ProjectId } from '../queue/jobs.js';
import type { Logger } from '../log.js';
import type {
  Board,
  BoardList,
  Commit,
  CommitStatus,
  CommitStatusWrite,
  FileAtRef,
  FileChange,
  GitLabApi,
  GitLabUser,
  Issue,
  IssueCreate,
  IssueEdit,
  IssueQuery,
  Label,
  LabelWrite,
  Member,
  MergeRequest,
  MergeRequestEdit,
  Note,
  TreeEntry,
} from './api.js';
import { UNLIMITED_BUDGET, type RequestBudget } from './budget.js';
import { RequestStats, type RequestStatsSnapshot } from './count.js';
import { UnexpectedResponseError, hasStatus, isMissingProject } from './errors.js';
import { projectPath } from './paths.js';
import { DryRunRecorder, type PlannedWrite, type WriteMethod } from './recorder.js';
import { createBotRequesterFn } from './requester.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';
import {
  ShapeError,
  listOf,
  toBoard,
  toBoardList,
  toCommit,
  toCommitStatus,
  toCompareChanges,
  toDefaultBranch,
  toFileAtRef,
  toFileChange,
  toIssue,
  toLabel,
  toMember,
  toMergeRequest,
  toNote,
  toTreeEntry,
  toUser,
} from './shapes.js';

export interface GitLabClientOptions {
  /** GitLab's base URL (`https://gitlab.example.com`); a trailing `/api/v4` is tolerated. */
  url: string;
  /** Absent: anonymous reads (public projects) and, with `dryRun`, no writes at all. */
  token?: string;
  /** Writes are recorded and logged, never sent. */
  dryRun: boolean;
  logger: Logger;
  /** Shared across worker processes (see budget.ts); unlimited when absent. */
  budget?: RequestBudget;
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source, injectable so tests can pin delays. */
  random?: () => number;
  /** Per-attempt HTTP timeout (default 30 s). */
  timeoutMs?: number;
}

/** GitLab's largest page: fewer requests for the same lists. */
const PER_PAGE = 100;

/** Who the bot is in a dry-run without a token: no request can tell. */
export const DRY_RUN_USER: GitLabUser = { id: 0, username: 'handbook-bot-dry-run' };

/** A dry-run "creates" issues with iid 0, which GitLab never uses (iids start at 1). */
const DRY_RUN_IID = 0;

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

type NoteableKind = 'issues' | 'merge_requests';

/**
 * The one place that talks to GitLab: gitbeaker's resources over the bot's own requester (retry
 * policy, budget, errors, counts), with dry-run recording of every write.
 *
 * Creates (issues, notes, labels, boards) are never re-sent after an answer that leaves their fate
 * unknown (5xx, timeout): the requester throws `RetryableGitLabError` and the action re-runs its
 * find-by-marker before creating again.
 */
export class GitLabClient implements GitLabApi {
  /** Writes planned by a dry-run, in order. */
  readonly recorder = new DryRunRecorder();
  readonly dryRun: boolean;

  private readonly api: InstanceType<typeof Gitlab>;
  private readonly counts = new RequestStats();
  private readonly logger: Logger;
  private readonly hasToken: boolean;
  private me: Promise<GitLabUser> | undefined;

  constructor(options: GitLabClientOptions) {
    this.dryRun = options.dryRun;
    this.logger = options.logger;
    this.hasToken = options.token !== undefined && options.token !== '';
    const requesterFn = createBotRequesterFn({
      logger: options.logger,
      budget: options.budget ?? UNLIMITED_BUDGET,
      retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
      stats: this.counts,
      hasToken: this.hasToken,
      dryRun: options.dryRun,
      timeoutMs: options.timeoutMs ?? 30_000,
      sleep: options.sleep ?? defaultSleep,
      random: options.random ?? Math.random,
      now: Date.now,
    });
    const host = options.url.replace(/\/+$/, '').replace(/\/api\/v4$/, '');
    // No gitbeaker timeout or rate limits: the requester applies its own per attempt, and the budget
    // replaces gitbeaker's per-process limiters. The token key must be absent, not undefined, or
    // gitbeaker would send "private-token: undefined".
    this.api = new Gitlab({
      host,
      requesterFn,
      queryTimeout: null,
      rateLimits: {},
      ...(this.hasToken && options.token !== undefined ? { token: options.token } : {}),
    });
  }

  /** HTTP requests sent by this client so far (and writes a dry-run planned). */
  stats(): RequestStatsSnapshot {
    return this.counts.snapshot();
  }

  resetStats(): void {
    this.counts.reset();
  }

  // --- users -------------------------------------------------------------------------------------

  currentUser(): Promise<GitLabUser> {
    if (!this.hasToken && this.dryRun) return Promise.resolve(DRY_RUN_USER);
    this.me ??= this.read('/user', () => this.api.Users.showCurrentUser(), toUser).catch((error: unknown) => {
      this.me = undefined; // a transient failure must not stick for the client's lifetime
      throw error;
    });
    return this.me;
  }

  async findUsers(usernames: string[]): Promise<GitLabUser[]> {
    const found: GitLabUser[] = [];
    for (const username of new Set(usernames)) {
      const users = await this.read('/users', () => this.api.Users.all({ username }), listOf(toUser, 'users'));
      found.push(...users.filter((user) => user.username.toLowerCase() === username.toLowerCase()));
    }
    return found;
  }

  // --- repository ----------------------------------------------------------------------------------

  async getFile(project: ProjectId, path: string, ref: string): Promise<string | null> {
    const apiPath = projectPath(project, `repository/files/${encodeURIComponent(path)}/raw`);
    try {
      return await this.read(
        apiPath,
        () => this.api.RepositoryFiles.showRaw(project, path, ref),
        (raw) => {
          if (typeof raw !== 'string') throw new ShapeError('raw file: expected text');
          return raw;
        },
      );
    } catch (error) {
      if (hasStatus(error, 404) && !isMissingProject(error)) return null;
      throw error;
    }
  }

  async readFile(project: ProjectId, path: string, ref: string): Promise<FileAtRef | null> {
    const apiPath = projectPath(project, `repository/files/${encodeURIComponent(path)}`);
    try {
      return await this.read(apiPath, () => this.api.RepositoryFiles.show(project, path, ref), toFileAtRef);
    } catch (error) {
      if (hasStatus(error, 404) && !isMissingProject(error)) return null;
      throw error;
    }
  }

  async mergeBase(project: ProjectId, a: string, b: string): Promise<string | null> {
    try {
      return (
        await this.read(projectPath(project, 'repository/merge_base'), () => this.api.Repositories.mergeBase(project, [a, b]), toCommit)
      ).id;
    } catch (error) {
      // GitLab answers 400 "Could not find merge base" for unrelated histories.
      if (hasStatus(error, 400)) return null;
      throw error;
    }
  }

  getCommit(project: ProjectId, sha: string): Promise<Commit> {
    return this.read(projectPath(project, `repository/commits/${sha}`), () => this.api.Commits.show(project, sha), toCommit);
  }

  compare(project: ProjectId, from: string, to: string): Promise<FileChange[]> {
    // Straight (from..to), not from the merge base: after a force push the pages changed only in the
    // discarded commits must be synced back too.
    return this.read(
      projectPath(project, 'repository/compare'),
      () => this.api.Repositories.compare(project, from, to, { straight: true }),
      toCompareChanges,
    );
  }

  listTree(project: ProjectId, ref: string): Promise<TreeEntry[]> {
    // Keyset pagination: GitLab's offset pagination of large trees is slow and capped.
    return this.read(
      projectPath(project, 'repository/tree'),
      () => this.api.Repositories.allRepositoryTrees(project, { ref, recursive: true, pagination: 'keyset', perPage: PER_PAGE }),
      listOf(toTreeEntry, 'tree'),
    );
  }

  defaultBranch(project: ProjectId): Promise<string> {
    return this.read(projectPath(project), () => this.api.Projects.show(project), toDefaultBranch);
  }

  // --- issues ----------------------------------------------------------------------------------------

  listIssues(project: ProjectId, query: IssueQuery): Promise<Issue[]> {
    return this.read(
      projectPath(project, 'issues'),
      () =>
        this.api.Issues.all({
          projectId: project,
          perPage: PER_PAGE,
          // Label names cannot contain commas, so GitLab's comma-separated form is unambiguous.
          ...(query.labels && query.labels.length > 0 ? { labels: query.labels.join(',') } : {}),
          // GitLab returns every state when `state` is absent.
          ...(query.state && query.state !== 'all' ? { state: query.state } : {}),
          ...(query.search ? { search: query.search } : {}),
        }),
      listOf(toIssue, 'issues'),
    );
  }

  getIssue(project: ProjectId, iid: number): Promise<Issue> {
    if (this.dryRun && iid === DRY_RUN_IID) return Promise.resolve(this.fakeIssue(project, { title: '', description: '' }));
    return this.read(projectPath(project, `issues/${iid}`), () => this.api.Issues.show(iid, { projectId: project }), toIssue);
  }

  createIssue(project: ProjectId, issue: IssueCreate): Promise<Issue> {
    const options = compact({
      description: issue.description,
      labels: issue.labels?.join(','),
      assigneeIds: issue.assignee_ids,
      dueDate: issue.due_date,
    });
    return this.write(
      { method: 'POST', path: projectPath(project, 'issues'), body: snakeKeys({ title: issue.title, ...options }) },
      () => this.api.Issues.create(project, issue.title, options),
      toIssue,
      () => this.fakeIssue(project, issue),
    );
  }

  editIssue(project: ProjectId, iid: number, edit: IssueEdit): Promise<Issue> {
    const options = compact({
      title: edit.title,
      description: edit.description,
      addLabels: edit.add_labels?.join(','),
      removeLabels: edit.remove_labels?.join(','),
      stateEvent: edit.state_event,
      dueDate: edit.due_date,
    });
    return this.write(
      { method: 'PUT', path: projectPath(project, `issues/${iid}`), body: snakeKeys(options) },
      () => this.api.Issues.edit(project, iid, options),
      toIssue,
      () => ({
        ...this.fakeIssue(project, { title: edit.title ?? '', description: edit.description ?? '', labels: edit.add_labels ?? [] }),
        iid,
        state: edit.state_event === 'close' ? 'closed' : 'opened',
        ...(edit.description === undefined ? { description: null } : {}),
      }),
    );
  }

  // --- notes -----------------------------------------------------------------------------------------

  listNotes(project: ProjectId, kind: NoteableKind, iid: number): Promise<Note[]> {
    if (this.dryRun && kind === 'issues' && iid === DRY_RUN_IID) return Promise.resolve([]);
    // Oldest first, so "the bot's note" is the first one with its marker and later ones are extras.
    return this.read(
      projectPath(project, `${kind}/${iid}/notes`),
      () => this.notes(kind).all(project, iid, { perPage: PER_PAGE, sort: 'asc', orderBy: 'created_at' }),
      listOf(toNote, 'notes'),
    );
  }

  createNote(project: ProjectId, kind: NoteableKind, iid: number, body: string): Promise<Note> {
    return this.write(
      { method: 'POST', path: projectPath(project, `${kind}/${iid}/notes`), body: { body } },
      () => this.notes(kind).create(project, iid, body),
      toNote,
      () => ({ id: 0, body, system: false, author: this.dryRunAuthor() }),
    );
  }

  editNote(project: ProjectId, kind: NoteableKind, iid: number, noteId: number, body: string): Promise<Note> {
    return this.write(
      { method: 'PUT', path: projectPath(project, `${kind}/${iid}/notes/${noteId}`), body: { body } },
      () => this.notes(kind).edit(project, iid, noteId, { body }),
      toNote,
      () => ({ id: noteId, body, system: false, author: this.dryRunAuthor() }),
    );
  }

  async deleteNote(project: ProjectId, kind: NoteableKind, iid: number, noteId: number): Promise<void> {
    try {
      await this.write(
        { method: 'DELETE', path: projectPath(project, `${kind}/${iid}/notes/${noteId}`), body: {} },
        () => this.notes(kind).remove(project, iid, noteId),
        () => undefined,
        () => undefined,
      );
    } catch (error) {
      // Already gone (a retried DELETE whose first attempt succeeded, or a person deleted it): done.
      if (!hasStatus(error, 404) || isMissingProject(error)) throw error;
    }
  }

  // --- merge requests ----------------------------------------------------------------------------------

  getMergeRequest(project: ProjectId, iid: number): Promise<MergeRequest> {
    return this.read(projectPath(project, `merge_requests/${iid}`), () => this.api.MergeRequests.show(project, iid), toMergeRequest);
  }

  listMergeRequestChanges(project: ProjectId, iid: number): Promise<FileChange[]> {
    // The paginated diffs API: `/changes` is deprecated and truncates large merge requests.
    return this.read(
      projectPath(project, `merge_requests/${iid}/diffs`),
      () => this.api.MergeRequests.allDiffs(project, iid, { perPage: PER_PAGE }),
      listOf(toFileChange, 'merge request diffs'),
    );
  }

  addMergeRequestLabels(project: ProjectId, iid: number, labels: string[]): Promise<MergeRequest> {
    const options = { addLabels: labels.join(',') };
    return this.write(
      { method: 'PUT', path: projectPath(project, `merge_requests/${iid}`), body: snakeKeys(options) },
      () => this.api.MergeRequests.edit(project, iid, options),
      toMergeRequest,
      () => fakeMergeRequest(project, iid, labels),
    );
  }

  editMergeRequest(project: ProjectId, iid: number, edit: MergeRequestEdit): Promise<MergeRequest> {
    const options = compact({
      addLabels: edit.add_labels?.join(','),
      removeLabels: edit.remove_labels?.join(','),
      reviewerIds: edit.reviewer_ids,
    });
    return this.write(
      { method: 'PUT', path: projectPath(project, `merge_requests/${iid}`), body: snakeKeys(options) },
      () => this.api.MergeRequests.edit(project, iid, options),
      toMergeRequest,
      () => fakeMergeRequest(project, iid, edit.add_labels ?? []),
    );
  }

  // --- commit statuses ---------------------------------------------------------------------------------

  listCommitStatuses(project: ProjectId, sha: string, name?: string): Promise<CommitStatus[]> {
    return this.read(
      projectPath(project, `repository/commits/${sha}/statuses`),
      () => this.api.Commits.allStatuses(project, sha, name === undefined ? {} : { name }),
      listOf(toCommitStatus, 'commit statuses'),
    );
  }

  setCommitStatus(project: ProjectId, sha: string, status: CommitStatusWrite): Promise<CommitStatus> {
    const options = compact({ name: status.name, description: status.description, targetUrl: status.target_url, ref: status.ref });
    return this.write(
      { method: 'POST', path: projectPath(project, `statuses/${sha}`), body: snakeKeys({ state: status.state, ...options }) },
      () => this.api.Commits.editStatus(project, sha, status.state, options),
      toCommitStatus,
      () => ({ id: 0, name: status.name, status: status.state, description: status.description, target_url: status.target_url ?? null }),
    );
  }

  // --- labels ---------------------------------------------------------------------------------------

  listLabels(project: ProjectId): Promise<Label[]> {
    return this.read(
      projectPath(project, 'labels'),
      () => this.api.ProjectLabels.all(project, { perPage: PER_PAGE, includeAncestorGroups: true }),
      listOf(toLabel, 'labels'),
    );
  }

  async createLabel(project: ProjectId, label: LabelWrite): Promise<Label | null> {
    try {
      return await this.write(
        { method: 'POST', path: projectPath(project, 'labels'), body: { ...label } },
        () => this.api.ProjectLabels.create(project, label.name, label.color, { description: label.description }),
        toLabel,
        () => ({ id: 0, ...label }),
      );
    } catch (error) {
      // It exists already (a race, or a group label of that name): the caller lists labels to find it.
      if (hasStatus(error, 409)) return null;
      throw error;
    }
  }

  editLabel(project: ProjectId, labelId: number, label: Omit<LabelWrite, 'name'>): Promise<Label> {
    const options = { color: label.color, description: label.description };
    return this.write(
      { method: 'PUT', path: projectPath(project, `labels/${labelId}`), body: options },
      () => this.api.ProjectLabels.edit(project, labelId, options),
      toLabel,
      () => ({ id: labelId, name: '', ...options }),
    );
  }

  // --- boards ---------------------------------------------------------------------------------------

  listBoards(project: ProjectId): Promise<Board[]> {
    return this.read(
      projectPath(project, 'boards'),
      () => this.api.ProjectIssueBoards.all(project, { perPage: PER_PAGE }),
      listOf(toBoard, 'boards'),
    );
  }

  createBoard(project: ProjectId, name: string): Promise<Board> {
    return this.write(
      { method: 'POST', path: projectPath(project, 'boards'), body: { name } },
      () => this.api.ProjectIssueBoards.create(project, name),
      toBoard,
      () => ({ id: 0, name, lists: [] }),
    );
  }

  createBoardList(project: ProjectId, boardId: number, labelId: number): Promise<BoardList> {
    return this.write(
      { method: 'POST', path: projectPath(project, `boards/${boardId}/lists`), body: { label_id: labelId } },
      () => this.api.ProjectIssueBoards.createList(project, boardId, { labelId }),
      toBoardList,
      () => ({ id: 0, position: 0, label: { id: labelId, name: '' } }),
    );
  }

  moveBoardList(project: ProjectId, boardId: number, listId: number, position: number): Promise<BoardList> {
    return this.write(
      { method: 'PUT', path: projectPath(project, `boards/${boardId}/lists/${listId}`), body: { position } },
      () => this.api.ProjectIssueBoards.editList(project, boardId, listId, position),
      toBoardList,
      () => ({ id: listId, position, label: null }),
    );
  }

  // --- members --------------------------------------------------------------------------------------

  async getMember(project: ProjectId, userId: number): Promise<Member | null> {
    try {
      // `members/all`: inherited (group) memberships count, as they do for permissions.
      return await this.read(
        projectPath(project, `members/all/${userId}`),
        () => this.api.ProjectMembers.show(project, userId, { includeInherited: true }),
        toMember,
      );
    } catch (error) {
      if (hasStatus(error, 404) && !isMissingProject(error)) return null;
      throw error;
    }
  }

  // --- plumbing ---------------------------------------------------------------------------------------

  private notes(kind: NoteableKind): InstanceType<typeof Gitlab>['IssueNotes'] | InstanceType<typeof Gitlab>['MergeRequestNotes'] {
    return kind === 'issues' ? this.api.IssueNotes : this.api.MergeRequestNotes;
  }

  private async read<T>(path: string, call: () => Promise<unknown>, map: (raw: unknown) => T): Promise<T> {
    return this.mapResponse('GET', path, await call(), map);
  }

  /** Sends a write, or in dry-run records and logs it and answers a plausible fake so the action continues. */
  private async write<T>(plan: PlannedWrite, send: () => Promise<unknown>, map: (raw: unknown) => T, fake: () => T): Promise<T> {
    if (this.dryRun) {
      this.recorder.record(plan);
      this.counts.plannedWrite();
      this.logger.info({ plan }, `dry-run: would ${plan.method} ${plan.path}`);
      return fake();
    }
    return this.mapResponse(plan.method, plan.path, await send(), map);
  }

  private mapResponse<T>(method: 'GET' | WriteMethod, path: string, raw: unknown, map: (raw: unknown) => T): T {
    try {
      return map(raw);
    } catch (error) {
      if (error instanceof ShapeError) {
        throw new UnexpectedResponseError(
          `GitLab answered ${method} ${path} with an unexpected response: ${error.message}`,
          { method, path },
          { cause: error },
        );
      }
      throw error;
    }
  }

  private fakeIssue(project: ProjectId, issue: IssueCreate): Issue {
    return {
      id: 0,
      iid: DRY_RUN_IID,
      project_id: numericProject(project),
      title: issue.title,
      description: issue.description,
      state: 'opened',
      labels: issue.labels ?? [],
      web_url: '',
      ...(issue.due_date === undefined ? {} : { due_date: issue.due_date }),
      author: this.dryRunAuthor(),
    };
  }

  private dryRunAuthor(): GitLabUser {
    return DRY_RUN_USER;
  }
}

function numericProject(project: ProjectId): number {
  return typeof project === 'number' ? project : 0;
}

function fakeMergeRequest(project: ProjectId, iid: number, labels: string[]): MergeRequest {
  return {
    iid,
    project_id: numericProject(project),
    sha: '',
    target_branch: '',
    source_branch: '',
    state: 'opened',
    labels,
    web_url: '',
    reviewers: [],
    diff_refs: null,
  };
}

/** Drops undefined values, so the body sent and the body recorded are the same. */
function compact<T extends Record<string, unknown>>(object: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) if (value !== undefined) result[key] = value;
  return result as { [K in keyof T]?: Exclude<T[K], undefined> };
}

/** gitbeaker's own conversion of option names (camelCase → GitLab's snake_case), for dry-run plans. */
function snakeKeys(object: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    if (value !== undefined) result[key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)] = value;
  }
  return result;
}
