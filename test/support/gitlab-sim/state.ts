import { commitId, mergeBase, resolveRef } from './git.js';
import { massMentions, quickActionLines } from './text-checks.js';
import type {
  FaultCounters,
  NoteableKind,
  SimBoard,
  SimCommit,
  SimCommitStatus,
  SimIssue,
  SimLabel,
  SimMergeRequest,
  SimNote,
  SimProject,
  SimToken,
  SimUser,
  Violation,
  ViolationKind,
  WriteRecord,
} from './types.js';

export const DEFAULT_TOKEN = 'sim-bot-token';
export const DEFAULT_BOT_USERNAME = 'handbook-bot';
/** GitLab's colour for labels it creates on its own (`Label::DEFAULT_COLOR`). */
export const AUTO_LABEL_COLOR = '#6699cc';
const CLOCK_START = Date.parse('2026-11-02T09:00:00.000Z');

export interface CommitInput {
  /** Branch to advance (created when missing). Omit for a detached commit. */
  branch?: string;
  /** Parent ref; defaults to the branch head, else none (a root commit). */
  parent?: string;
  message?: string;
  date?: string;
  /** Files added or changed relative to the parent. */
  files?: Record<string, string>;
  /** Paths deleted relative to the parent. */
  remove?: string[];
  /** Replace the parent's snapshot entirely instead of applying changes. */
  replace?: boolean;
}

export interface AddProjectInput {
  id?: number;
  path: string;
  name?: string;
  defaultBranch?: string;
  /** ref → full snapshot. A branch name becomes a branch; a 40-hex ref becomes a commit with that id. */
  files?: Record<string, Record<string, string>>;
  /** Applied in order after `files`. */
  commits?: CommitInput[];
  /** username → access level. Defaults to the bot user as maintainer. */
  members?: Record<string, number>;
}

export interface AddIssueInput {
  title: string;
  description?: string | null;
  labels?: string[];
  author?: string;
  assignees?: string[];
  state?: 'opened' | 'closed';
  confidential?: boolean;
  dueDate?: string | null;
}

export interface AddMergeRequestInput {
  sourceBranch: string;
  targetBranch?: string;
  title?: string;
  description?: string | null;
  labels?: string[];
  author?: string;
  state?: 'opened' | 'closed' | 'merged';
}

export interface LabelInput {
  name: string;
  color?: string;
  description?: string | null;
}

/** Who is writing and as part of which request, for violations and system notes. */
export interface Actor {
  user: SimUser;
  seq: number;
}

/** The simulator's whole world. Public so tests and seeds can arrange and inspect it directly. */
export class SimState {
  readonly users = new Map<number, SimUser>();
  readonly tokens = new Map<string, SimToken>();
  readonly projects = new Map<number, SimProject>();
  readonly labels = new Map<number, SimLabel>();
  readonly issues: SimIssue[] = [];
  readonly mergeRequests: SimMergeRequest[] = [];
  readonly notes: SimNote[] = [];
  readonly boards: SimBoard[] = [];
  readonly statuses: SimCommitStatus[] = [];
  readonly violations: Violation[] = [];
  readonly writes: WriteRecord[] = [];
  readonly requestCounts = new Map<string, number>();
  readonly faultCounters: FaultCounters = {
    injected429: 0,
    injectedActionLimit429: 0,
    injected500: 0,
    injected502AfterApply: 0,
    delayedRequests: 0,
  };
  requestTotal = 0;
  /** Set by the server once it listens; used for `web_url`s. */
  baseUrl = 'http://127.0.0.1';
  readonly botUsername: string;

  private ticks = 0;
  private nextId = SimState.firstIds();
  private readonly botToken: string;

  constructor(options: { botUsername?: string; token?: string } = {}) {
    this.botUsername = options.botUsername ?? DEFAULT_BOT_USERNAME;
    this.botToken = options.token ?? DEFAULT_TOKEN;
    this.addBot();
  }

  private static firstIds(): Record<'user' | 'project' | 'label' | 'issue' | 'mr' | 'note' | 'board' | 'list' | 'commit', number> {
    return { user: 1, project: 1, label: 1, issue: 1, mr: 1, note: 1, board: 1, list: 1, commit: 1 };
  }

  private addBot(): void {
    const bot = this.addUser({ username: this.botUsername, name: 'Handbook Bot', bot: true });
    this.addToken(this.botToken, bot.username);
  }

  /** Empties the world in place (the object stays shared with the server), keeping the bot and its token. */
  reset(): void {
    for (const store of [this.users, this.tokens, this.projects, this.labels, this.requestCounts]) store.clear();
    for (const list of [this.issues, this.mergeRequests, this.notes, this.boards, this.statuses, this.violations, this.writes])
      list.length = 0;
    for (const key of Object.keys(this.faultCounters) as (keyof FaultCounters)[]) this.faultCounters[key] = 0;
    this.requestTotal = 0;
    this.ticks = 0;
    this.nextId = SimState.firstIds();
    this.addBot();
  }

  /** A logical clock: every write is one second after the previous, so dumps are reproducible. */
  now(): string {
    this.ticks += 1;
    return new Date(CLOCK_START + this.ticks * 1000).toISOString();
  }

  get botUser(): SimUser {
    const bot = this.userByName(this.botUsername);
    if (bot === undefined) throw new Error('bot user missing');
    return bot;
  }

  // ── users and tokens ────────────────────────────────────────────────────────────────────────

  addUser(input: { username: string; name?: string; id?: number; bot?: boolean }): SimUser {
    const existing = this.userByName(input.username);
    if (existing !== undefined) return existing;
    const id = input.id ?? this.nextId.user;
    this.nextId.user = Math.max(this.nextId.user, id + 1);
    const user: SimUser = { id, username: input.username, name: input.name ?? input.username, bot: input.bot ?? false };
    this.users.set(id, user);
    return user;
  }

  addToken(token: string, username: string, options: { readOnly?: boolean } = {}): SimToken {
    const user = this.userByName(username) ?? this.addUser({ username });
    const entry: SimToken = { token, userId: user.id, readOnly: options.readOnly ?? false };
    this.tokens.set(token, entry);
    return entry;
  }

  userByName(username: string): SimUser | undefined {
    const wanted = username.toLowerCase();
    return [...this.users.values()].find((u) => u.username.toLowerCase() === wanted);
  }

  requireUser(username: string): SimUser {
    return this.userByName(username) ?? this.addUser({ username });
  }

  // ── projects, members, repository ───────────────────────────────────────────────────────────

  addProject(input: AddProjectInput): SimProject {
    const id = input.id ?? this.nextId.project;
    if (this.projects.has(id)) throw new Error(`project ${id} already exists`);
    this.nextId.project = Math.max(this.nextId.project, id + 1);
    const project: SimProject = {
      id,
      path: input.path,
      name: input.name ?? input.path.split('/').pop() ?? input.path,
      defaultBranch: input.defaultBranch ?? 'main',
      repo: { commits: new Map(), branches: new Map() },
      members: new Map(),
    };
    this.projects.set(id, project);
    for (const [ref, files] of Object.entries(input.files ?? {})) {
      const sha = this.commit(project, {
        branch: /^[0-9a-f]{40}$/.test(ref) ? undefined : ref,
        files,
        replace: true,
        message: `Seed ${ref}`,
      });
      if (/^[0-9a-f]{40}$/.test(ref)) this.renameCommit(project, sha, ref);
    }
    for (const commit of input.commits ?? []) this.commit(project, commit);
    for (const [username, level] of Object.entries(input.members ?? { [this.botUsername]: 40 })) {
      this.addMember(project, username, level);
    }
    return project;
  }

  /** Numeric id or full path (case-insensitive, as GitLab routes it). */
  findProject(ref: string | number): SimProject | undefined {
    const text = String(ref);
    if (/^\d+$/.test(text)) return this.projects.get(Number(text));
    const wanted = text.toLowerCase();
    return [...this.projects.values()].find((p) => p.path.toLowerCase() === wanted);
  }

  requireProject(ref: string | number): SimProject {
    const project = this.findProject(ref);
    if (project === undefined) throw new Error(`no project ${ref}`);
    return project;
  }

  addMember(projectRef: SimProject | string | number, username: string, accessLevel: number, options: { inherited?: boolean } = {}): void {
    const project = typeof projectRef === 'object' ? projectRef : this.requireProject(projectRef);
    const user = this.requireUser(username);
    project.members.set(user.id, { userId: user.id, accessLevel, inherited: options.inherited ?? false });
  }

  accessLevel(project: SimProject, userId: number): number {
    return project.members.get(userId)?.accessLevel ?? 0;
  }

  /** Adds a commit (a push) and returns its sha; the helper that makes `compare` and `?ref=<sha>` work. */
  commit(projectRef: SimProject | string | number, input: CommitInput): string {
    const project = typeof projectRef === 'object' ? projectRef : this.requireProject(projectRef);
    const { repo } = project;
    const parentRef = input.parent ?? (input.branch !== undefined ? repo.branches.get(input.branch) : undefined);
    const parent = parentRef !== undefined ? resolveRef(repo, parentRef) : undefined;
    if (parentRef !== undefined && parent === undefined) throw new Error(`unknown parent ${parentRef}`);
    const files = new Map(input.replace === true ? [] : (parent?.files ?? []));
    for (const [path, content] of Object.entries(input.files ?? {})) files.set(path, content);
    for (const path of input.remove ?? []) files.delete(path);
    const date = input.date ?? this.now();
    const message = input.message ?? 'Update';
    const parentIds = parent !== undefined ? [parent.id] : [];
    const id = commitId({ parentIds, message, date, files, salt: this.nextId.commit++ });
    const commit: SimCommit = { id, parentIds, message, authorName: 'Sim Author', committedDate: date, files };
    repo.commits.set(id, commit);
    if (input.branch !== undefined) repo.branches.set(input.branch, id);
    return id;
  }

  createBranch(projectRef: SimProject | string | number, name: string, ref: string): string {
    const project = typeof projectRef === 'object' ? projectRef : this.requireProject(projectRef);
    const commit = resolveRef(project.repo, ref);
    if (commit === undefined) throw new Error(`unknown ref ${ref}`);
    project.repo.branches.set(name, commit.id);
    return commit.id;
  }

  /** Lets seeds pin a commit id (e.g. a sha taken from a webhook fixture). */
  private renameCommit(project: SimProject, from: string, to: string): void {
    const commit = project.repo.commits.get(from);
    if (commit === undefined) return;
    project.repo.commits.delete(from);
    project.repo.commits.set(to, { ...commit, id: to });
    for (const [branch, head] of project.repo.branches) if (head === from) project.repo.branches.set(branch, to);
  }

  // ── labels ──────────────────────────────────────────────────────────────────────────────────

  groupPaths(project: SimProject): string[] {
    const parts = project.path.split('/');
    return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
  }

  /** Project labels, plus ancestor-group labels when asked (GitLab's default). */
  availableLabels(project: SimProject, includeGroups = true): SimLabel[] {
    const groups = new Set(this.groupPaths(project));
    return [...this.labels.values()].filter(
      (l) => l.projectId === project.id || (includeGroups && l.groupPath !== null && groups.has(l.groupPath)),
    );
  }

  findLabelByName(project: SimProject, name: string): SimLabel | undefined {
    const available = this.availableLabels(project);
    return available.find((l) => l.name === name) ?? available.find((l) => l.name.toLowerCase() === name.toLowerCase());
  }

  addLabel(projectRef: SimProject | string | number, input: LabelInput): SimLabel {
    const project = typeof projectRef === 'object' ? projectRef : this.requireProject(projectRef);
    const label: SimLabel = {
      id: this.nextId.label++,
      name: input.name,
      color: input.color ?? AUTO_LABEL_COLOR,
      description: input.description ?? null,
      projectId: project.id,
      groupPath: null,
    };
    this.labels.set(label.id, label);
    return label;
  }

  addGroupLabel(groupPath: string, input: LabelInput): SimLabel {
    const label: SimLabel = {
      id: this.nextId.label++,
      name: input.name,
      color: input.color ?? AUTO_LABEL_COLOR,
      description: input.description ?? null,
      projectId: null,
      groupPath,
    };
    this.labels.set(label.id, label);
    return label;
  }

  /** Label names → ids; unknown names are created silently, as GitLab does, and recorded. */
  resolveLabels(project: SimProject, names: readonly string[], actor: Actor | null, target: string): number[] {
    const ids: number[] = [];
    for (const raw of names) {
      const name = raw.trim();
      if (name === '') continue;
      let label = this.findLabelByName(project, name);
      if (label === undefined) {
        label = this.addLabel(project, { name });
        if (actor !== null) this.recordViolation(actor, 'label-auto-created', project, target, name);
      }
      if (!ids.includes(label.id)) ids.push(label.id);
    }
    return ids;
  }

  /** GitLab's `labels` (replace) then `add_labels` then `remove_labels`, on an issue or MR. */
  editLabels(
    project: SimProject,
    current: readonly number[],
    edit: { labels?: string[]; add?: string[]; remove?: string[] },
    actor: Actor,
    target: string,
  ): number[] {
    const base = edit.labels === undefined ? [...current] : this.resolveLabels(project, edit.labels, actor, target);
    const added = this.resolveLabels(project, edit.add ?? [], actor, target).filter((id) => !base.includes(id));
    const removed = new Set((edit.remove ?? []).map((n) => n.toLowerCase()));
    return [...base, ...added].filter((id) => !removed.has((this.labels.get(id)?.name ?? '').toLowerCase()));
  }

  labelNames(ids: readonly number[]): string[] {
    return ids
      .map((id) => this.labels.get(id)?.name)
      .filter((n): n is string => n !== undefined)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  // ── issues, merge requests, notes ───────────────────────────────────────────────────────────

  nextIssueIid(project: SimProject): number {
    return Math.max(0, ...this.issues.filter((i) => i.projectId === project.id).map((i) => i.iid)) + 1;
  }

  newIssueId(): number {
    return this.nextId.issue++;
  }

  addIssue(projectRef: SimProject | string | number, input: AddIssueInput): SimIssue {
    const project = typeof projectRef === 'object' ? projectRef : this.requireProject(projectRef);
    const at = this.now();
    const issue: SimIssue = {
      id: this.newIssueId(),
      iid: this.nextIssueIid(project),
      projectId: project.id,
      title: input.title,
      description: input.description ?? null,
      state: input.state ?? 'opened',
      labelIds: this.resolveLabels(project, input.labels ?? [], null, ''),
      assigneeIds: (input.assignees ?? []).map((u) => this.requireUser(u).id),
      authorId: this.requireUser(input.author ?? this.botUsername).id,
      dueDate: input.dueDate ?? null,
      confidential: input.confidential ?? false,
      createdAt: at,
      updatedAt: at,
      closedAt: input.state === 'closed' ? at : null,
    };
    this.issues.push(issue);
    return issue;
  }

  findIssue(project: SimProject, iid: number): SimIssue | undefined {
    return this.issues.find((i) => i.projectId === project.id && i.iid === iid);
  }

  addMergeRequest(projectRef: SimProject | string | number, input: AddMergeRequestInput): SimMergeRequest {
    const project = typeof projectRef === 'object' ? projectRef : this.requireProject(projectRef);
    const head = project.repo.branches.get(input.sourceBranch);
    if (head === undefined) throw new Error(`unknown source branch ${input.sourceBranch}`);
    const at = this.now();
    const mr: SimMergeRequest = {
      id: this.nextId.mr++,
      iid: Math.max(0, ...this.mergeRequests.filter((m) => m.projectId === project.id).map((m) => m.iid)) + 1,
      projectId: project.id,
      title: input.title ?? `Update ${input.sourceBranch}`,
      description: input.description ?? null,
      state: input.state ?? 'opened',
      sourceBranch: input.sourceBranch,
      targetBranch: input.targetBranch ?? project.defaultBranch,
      sha: head,
      labelIds: this.resolveLabels(project, input.labels ?? [], null, ''),
      authorId: this.requireUser(input.author ?? this.botUsername).id,
      createdAt: at,
      updatedAt: at,
    };
    this.mergeRequests.push(mr);
    return mr;
  }

  findMergeRequest(project: SimProject, iid: number): SimMergeRequest | undefined {
    return this.mergeRequests.find((m) => m.projectId === project.id && m.iid === iid);
  }

  /**
   * Merges the MR into its target branch: a merge commit (target head and MR head as parents) with the
   * given tree, or the MR's own tree. The MR keeps the diff it had (its base is frozen), as GitLab does.
   */
  mergeMergeRequest(mr: SimMergeRequest, input: { files?: Record<string, string>; date?: string; message?: string } = {}): string {
    const project = this.projects.get(mr.projectId);
    if (project === undefined) throw new Error(`no project ${mr.projectId}`);
    const head = this.mergeRequestSha(mr);
    const target = project.repo.branches.get(mr.targetBranch);
    if (target === undefined) throw new Error(`unknown target branch ${mr.targetBranch}`);
    mr.mergedBaseSha = mergeBase(project.repo, target, head) ?? target;
    const files = input.files ?? Object.fromEntries(project.repo.commits.get(head)?.files ?? []);
    const sha = this.commit(project, {
      branch: mr.targetBranch,
      files,
      replace: true,
      ...(input.date ? { date: input.date } : {}),
      message: input.message ?? `Merge branch '${mr.sourceBranch}' into '${mr.targetBranch}'`,
    });
    const made = project.repo.commits.get(sha);
    if (made !== undefined) project.repo.commits.set(sha, { ...made, parentIds: [target, head] });
    mr.state = 'merged';
    mr.updatedAt = this.now();
    return sha;
  }

  /** The MR's head: the live source branch head, else the last one seen. */
  mergeRequestSha(mr: SimMergeRequest): string {
    const project = this.projects.get(mr.projectId);
    const head = project?.repo.branches.get(mr.sourceBranch);
    if (head !== undefined) mr.sha = head;
    return mr.sha;
  }

  addNote(
    project: SimProject,
    kind: NoteableKind,
    noteable: { id: number; iid: number },
    authorId: number,
    body: string,
    system = false,
  ): SimNote {
    const at = this.now();
    const note: SimNote = {
      id: this.nextId.note++,
      projectId: project.id,
      kind,
      noteableId: noteable.id,
      noteableIid: noteable.iid,
      body,
      authorId,
      system,
      createdAt: at,
      updatedAt: at,
    };
    this.notes.push(note);
    return note;
  }

  notesOf(project: SimProject, kind: NoteableKind, iid: number): SimNote[] {
    return this.notes.filter((n) => n.projectId === project.id && n.kind === kind && n.noteableIid === iid);
  }

  /** GitLab's system notes for label changes, so note lists contain what the bot must skip. */
  labelSystemNote(
    project: SimProject,
    kind: NoteableKind,
    noteable: { id: number; iid: number },
    actor: Actor,
    before: readonly number[],
    after: readonly number[],
  ): void {
    const ref = (id: number): string => `~${id}`;
    const added = after.filter((id) => !before.includes(id)).map(ref);
    const removed = before.filter((id) => !after.includes(id)).map(ref);
    const parts: string[] = [];
    if (added.length > 0) parts.push(`added ${added.join(' ')} label${added.length > 1 ? 's' : ''}`);
    if (removed.length > 0) parts.push(`removed ${removed.join(' ')} label${removed.length > 1 ? 's' : ''}`);
    if (parts.length > 0) this.addNote(project, kind, noteable, actor.user.id, parts.join(' and '), true);
  }

  // ── boards ──────────────────────────────────────────────────────────────────────────────────

  addBoard(project: SimProject, name: string): SimBoard {
    const board: SimBoard = { id: this.nextId.board++, projectId: project.id, name, lists: [] };
    this.boards.push(board);
    return board;
  }

  newListId(): number {
    return this.nextId.list++;
  }

  // ── violations ──────────────────────────────────────────────────────────────────────────────

  recordViolation(actor: Actor, kind: ViolationKind, project: SimProject, target: string, text: string): void {
    this.violations.push({ seq: actor.seq, kind, project: project.path, target, user: actor.user.username, text });
  }

  /** Records quick-action-like lines and mass mentions in text written through the API. */
  checkText(actor: Actor, project: SimProject, target: string, text: string): void {
    for (const line of quickActionLines(text)) this.recordViolation(actor, 'quick-action', project, target, line);
    for (const mention of massMentions(text, this.groupPaths(project)))
      this.recordViolation(actor, 'mass-mention', project, target, mention);
  }
}
