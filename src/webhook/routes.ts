import type { z } from 'zod';
import type { ProjectRef } from '../config/schema.js';
import { pageMatcher } from '../config/page-matcher.js';
import { withoutMovedAway } from '../jobfamily/page-moves.js';
import type { Config } from '../config/types.js';
import { CHECKLIST_MARKER_KIND } from '../actions/review/checklist-render.js';
import { hasMarker } from '../gitlab/markers.js';
import { commandJob, mrChecklistJob, mrGateJob, pageSyncJob, pushResolveJob, recruitingIssueJob } from '../queue/job-specs.js';
import { ZERO_SHA, type JobSpec, type PageChange, type Trigger } from '../queue/jobs.js';
import {
  issuePayload,
  mergeRequestPayload,
  notePayload,
  parsePayload,
  pushPayload,
  type IssuePayload,
  type MergeRequestPayload,
  type NotePayload,
  type PushPayload,
} from './payloads.js';

/**
 * Which work an event asks for (DESIGN §1): pure, from the event name, the parsed body and the config.
 * Everything that can be prepared once (glob matchers, project matchers, the bot's identity) is
 * prepared by createRouter, not per delivery.
 */

export type RouteResult =
  | { kind: 'jobs'; jobs: JobSpec[]; project: string }
  | { kind: 'ignored'; reason: string; project?: string }
  | { kind: 'invalid'; message: string };

/**
 * `delivery`: the webhook delivery's id (Idempotency-Key / X-Gitlab-Event-UUID), when known. Page-sync
 * job ids are per delivery, so a redelivery is dropped and every other trigger runs.
 */
export type Router = (event: string, body: unknown, delivery?: string) => RouteResult;

/** Who the bot is, to ignore events it caused itself (its label edits raise Issue Hooks). */
export interface BotIdentity {
  username: string;
  userId?: number;
}

export interface RouterOptions {
  bot: BotIdentity;
  /** `replay` for a saved payload queued again from the CLI (its ids then get a re-run suffix). */
  trigger?: Trigger;
}

export const HANDLED_EVENTS = [
  'Push Hook',
  'Merge Request Hook',
  'Issue Hook',
  'Confidential Issue Hook',
  'Note Hook',
  'Confidential Note Hook',
] as const;

const handled: ReadonlySet<string> = new Set(HANDLED_EVENTS);

/** Lets the web role skip parsing bodies it would ignore anyway (pipeline and job hooks are frequent). */
export function isHandledEvent(event: string): boolean {
  return handled.has(event);
}

interface ProjectLike {
  id: number;
  path_with_namespace: string;
}

type ProjectMatcher = (project: ProjectLike) => boolean;

/** A configured project (path or numeric id) against a payload's project; undefined matches any. */
export function projectMatcher(ref: ProjectRef | undefined): ProjectMatcher {
  if (ref === undefined) return () => true;
  if (typeof ref === 'number' || /^\d+$/.test(ref)) {
    const id = Number(ref);
    return (project) => project.id === id;
  }
  const path = ref.toLowerCase();
  return (project) => project.path_with_namespace.toLowerCase() === path;
}

/** The page paths a push changed, each with its last change (added then removed → removed); moves count once. */
export function changedPages(commits: PushPayload['commits'], isPage: (path: string) => boolean): Map<string, PageChange> {
  const changes = new Map<string, PageChange>();
  const verdict = new Map<string, boolean>();
  const note = (path: string, change: PageChange) => {
    let page = verdict.get(path);
    if (page === undefined) verdict.set(path, (page = isPage(path)));
    if (page) changes.set(path, change);
  };
  for (const commit of commits) {
    for (const path of commit.added) note(path, 'added');
    for (const path of commit.modified) note(path, 'modified');
    for (const path of commit.removed) note(path, 'removed');
  }
  return withoutMovedAway(changes);
}

const JOB_FAMILY_PREFIX = 'job-family::';
const STAGE_PREFIX = 'hiring-stage::';
const PAGE_LINK = /job-families\//u;

/**
 * Whether an Issue Hook of the recruiting project can concern the bot, from the payload alone: the issue
 * has (or had) a `job-family::` label, a `hiring-stage::` label was added or removed, or its description
 * links a job-family page (recruiting issues may name their family that way). Anything else (most of a
 * busy recruiting project's traffic) is answered `ignored` and queues no job.
 */
export function issueMayMatter(payload: IssuePayload): boolean {
  const titles = (list: ReadonlyArray<{ title: string }> | null | undefined) => (list ?? []).map((label) => label.title);
  const previous = titles(payload.changes?.labels?.previous);
  const current = titles(payload.changes?.labels?.current);
  const now = [...titles(payload.labels), ...titles(payload.object_attributes.labels)];
  if ([...previous, ...current, ...now].some((title) => title.startsWith(JOB_FAMILY_PREFIX))) return true;
  const before = new Set(previous.filter((title) => title.startsWith(STAGE_PREFIX)));
  const after = new Set(current.filter((title) => title.startsWith(STAGE_PREFIX)));
  if (before.size !== after.size || [...after].some((title) => !before.has(title))) return true;
  return PAGE_LINK.test(payload.object_attributes.description ?? '');
}

export function createRouter(config: Config, options: RouterOptions): Router {
  const trigger = options.trigger ?? 'webhook';
  const isPage = pageMatcher(config);
  const isHandbook = projectMatcher(config.handbook.project);
  const isRecruiting = projectMatcher(config.recruiting.project);
  const isOkr = projectMatcher(config.okr.project);
  const botName = options.bot.username.toLowerCase();
  const commandWord = config.bot.commandWord.toLowerCase();

  const isBot = (username: string | null | undefined, userId: number | null | undefined) =>
    (username != null && username.toLowerCase() === botName) || (userId != null && userId === options.bot.userId);

  const ignored = (reason: string, project?: ProjectLike): RouteResult =>
    project ? { kind: 'ignored', reason, project: project.path_with_namespace } : { kind: 'ignored', reason };

  function push(payload: PushPayload, deliveryId: string | undefined): RouteResult {
    const { project } = payload;
    if (!isHandbook(project)) return ignored(`project ${project.path_with_namespace} is not the handbook project`, project);
    if (isBot(payload.user_username, payload.user_id)) return ignored('event caused by the bot itself', project);
    if (!payload.ref.startsWith('refs/heads/')) return ignored(`${payload.ref} is not a branch`, project);
    const branch = payload.ref.slice('refs/heads/'.length);
    const defaultBranch = config.handbook.branch ?? project.default_branch;
    if (!defaultBranch) return ignored('the default branch is unknown (set handbook.branch)', project);
    if (branch !== defaultBranch) return ignored(`push to ${branch}, not the default branch ${defaultBranch}`, project);
    if (payload.after === ZERO_SHA) return ignored('branch deletion', project);

    const delivery = deliveryId ?? `${payload.before}..${payload.after}`;
    const resolve = (): RouteResult => ({
      kind: 'jobs',
      jobs: [pushResolveJob({ projectId: project.id, ref: payload.ref, before: payload.before, after: payload.after, delivery, trigger })],
      project: project.path_with_namespace,
    });

    // GitLab lists at most 20 commits, and none for a force push back to an older commit: then the
    // change is only known from the compare API, in a worker. A page added or removed may be half of a
    // rename, which the payload lists under `added` only: compare tells (`renamed_file`, `old_path`).
    const previousCommit = payload.before === ZERO_SHA ? undefined : payload.before;
    if (payload.total_commits_count > payload.commits.length || (payload.commits.length === 0 && previousCommit)) return resolve();
    const changes = changedPages(payload.commits, isPage);
    if (changes.size === 0) return ignored('no job-family page changed', project);
    if (previousCommit !== undefined && [...changes.values()].some((change) => change !== 'modified')) return resolve();
    // Each job reads the branch head when it runs; its id names this delivery, so a later push back to
    // the same commit still queues one (the head is what counts, not the commit).
    const jobs: JobSpec[] = [];
    for (const [path, change] of changes) {
      jobs.push(pageSyncJob({ projectId: project.id, path, change, commit: payload.after, ref: payload.ref, delivery, trigger }));
    }
    return { kind: 'jobs', jobs, project: project.path_with_namespace };
  }

  function mergeRequest(payload: MergeRequestPayload): RouteResult {
    const { project, object_attributes: mr } = payload;
    if (!isHandbook(project)) return ignored(`project ${project.path_with_namespace} is not the handbook project`, project);
    if (isBot(payload.user?.username, payload.user?.id)) return ignored('event caused by the bot itself', project);
    const action = mr.action ?? '';
    if (action === 'update' && !mr.oldrev) return ignored('merge request update without new commits', project);
    if (action !== 'open' && action !== 'reopen' && action !== 'update') {
      return ignored(`merge request action "${action}" needs no review`, project);
    }
    if (!mr.last_commit) return ignored('merge request has no commits yet', project);
    const job = mrChecklistJob({
      projectId: project.id,
      mrIid: mr.iid,
      headSha: mr.last_commit.id,
      targetBranch: mr.target_branch,
      trigger,
      step: 'list-pages',
    });
    return { kind: 'jobs', jobs: [job], project: project.path_with_namespace };
  }

  function issue(payload: IssuePayload): RouteResult {
    const { project, object_attributes: attrs } = payload;
    if (!isRecruiting(project)) return ignored(`project ${project.path_with_namespace} is not the recruiting project`, project);
    if (isBot(payload.user?.username, payload.user?.id)) return ignored('event caused by the bot itself', project);
    const action = attrs.action ?? 'update';
    if (action === 'close') return ignored('issue closed', project);
    const previous = new Set((payload.changes?.labels?.previous ?? []).map((label) => label.title));
    const addedLabels = (payload.changes?.labels?.current ?? []).map((label) => label.title).filter((title) => !previous.has(title));
    if (!issueMayMatter(payload))
      return ignored(
        'not a recruiting issue: no job-family:: label before or after, no hiring-stage:: change, no job-family page linked',
        project,
      );
    const job = recruitingIssueJob({
      projectId: project.id,
      issueIid: attrs.iid,
      action,
      addedLabels,
      updatedAt: attrs.updated_at,
      trigger,
    });
    return { kind: 'jobs', jobs: [job], project: project.path_with_namespace };
  }

  function note(payload: NotePayload): RouteResult {
    const { project, object_attributes: attrs } = payload;
    if (!isHandbook(project) && !isRecruiting(project) && !isOkr(project)) {
      return ignored(`project ${project.path_with_namespace} is not a project the bot manages`, project);
    }
    if (attrs.action === 'update' && attrs.noteable_type === 'MergeRequest' && hasMarker(attrs.note, CHECKLIST_MARKER_KIND)) {
      return checklistEdited(payload);
    }
    const text = attrs.note.trimStart();
    const next = text.charAt(commandWord.length);
    if (!text.toLowerCase().startsWith(commandWord) || (next !== '' && !/\s/.test(next))) {
      return ignored(`note does not start with ${config.bot.commandWord}`, project);
    }
    if (isBot(payload.user.username, payload.user.id)) return ignored('event caused by the bot itself', project);
    if (attrs.system) return ignored('system note', project);
    if (attrs.action && attrs.action !== 'create') return ignored(`note ${attrs.action} (only new notes run commands)`, project);
    const base = {
      projectId: project.id,
      noteId: attrs.id,
      authorId: payload.user.id,
      authorUsername: payload.user.username,
      commandText: text.slice(commandWord.length).trim(),
      ...(trigger === 'webhook' ? {} : { trigger }),
    };
    if (attrs.noteable_type === 'MergeRequest') {
      const mr = payload.merge_request;
      if (!mr) return { kind: 'invalid', message: 'merge_request: required (expected object)' };
      const job = commandJob({
        ...base,
        noteableKind: 'MergeRequest',
        noteableIid: mr.iid,
        ...(mr.last_commit ? { mergeRequest: { headSha: mr.last_commit.id, targetBranch: mr.target_branch } } : {}),
      });
      return { kind: 'jobs', jobs: [job], project: project.path_with_namespace };
    }
    if (attrs.noteable_type === 'Issue') {
      if (!payload.issue) return { kind: 'invalid', message: 'issue: required (expected object)' };
      const job = commandJob({ ...base, noteableKind: 'Issue', noteableIid: payload.issue.iid });
      return { kind: 'jobs', jobs: [job], project: project.path_with_namespace };
    }
    return ignored(`commands are not run on a ${attrs.noteable_type} note`, project);
  }

  /** A person ticked or unticked a box of the bot's checklist: the merge gate is evaluated again. */
  function checklistEdited(payload: NotePayload): RouteResult {
    const { project, object_attributes: attrs } = payload;
    if (!isHandbook(project)) return ignored(`project ${project.path_with_namespace} is not the handbook project`, project);
    // The bot's own edits (a new push rewrites the note) set the status themselves.
    if (isBot(payload.user.username, payload.user.id)) return ignored('event caused by the bot itself', project);
    if (attrs.system) return ignored('system note', project);
    const mr = payload.merge_request;
    if (!mr) return { kind: 'invalid', message: 'merge_request: required (expected object)' };
    const job = mrGateJob(
      {
        projectId: project.id,
        mrIid: mr.iid,
        noteId: attrs.id,
        ...(attrs.url ? { noteUrl: attrs.url } : {}),
        ...(mr.source_branch ? { sourceBranch: mr.source_branch } : {}),
        trigger,
      },
      { updatedAt: attrs.updated_at ?? '', body: attrs.note },
    );
    return { kind: 'jobs', jobs: [job], project: project.path_with_namespace };
  }

  function run<T>(schema: z.ZodType<T>, body: unknown, handle: (payload: T) => RouteResult): RouteResult {
    const parsed = parsePayload(schema, body);
    return parsed.ok ? handle(parsed.data) : { kind: 'invalid', message: parsed.message };
  }

  return (event, body, delivery) => {
    switch (event) {
      case 'Push Hook':
        return run(pushPayload, body, (payload) => push(payload, delivery));
      case 'Merge Request Hook':
        return run(mergeRequestPayload, body, mergeRequest);
      case 'Issue Hook':
      case 'Confidential Issue Hook':
        return run(issuePayload, body, issue);
      case 'Note Hook':
      case 'Confidential Note Hook':
        return run(notePayload, body, note);
      default:
        return { kind: 'ignored', reason: `event "${event}" is not handled` };
    }
  };
}
