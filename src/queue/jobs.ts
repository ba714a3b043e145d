import { createHash } from 'node:crypto';

/**
 * Queue names, job names and payloads: the contract between the web process (producers), the CLI
 * (`sync`, `replay`) and the workers. Payloads carry ids and commits, never page text: workers read
 * pages from GitLab at the commit they are given, so a job is small and replayable.
 */

/** The one queue every job goes through; job names tell the processors apart. */
export const QUEUE_NAME = 'work';

export type ProjectId = number | string;

export type PageChange = 'added' | 'modified' | 'removed';

/** GitLab's "no commit": `before` of a branch creation, `after` of a branch deletion. */
export const ZERO_SHA = '0000000000000000000000000000000000000000';

/** Why a job exists; `sync`, `recheck` and `replay` are explicit re-runs that must run again. */
export type Trigger = 'webhook' | 'sync' | 'reconcile' | 'recheck' | 'replay' | 'push-resolve';

/**
 * A trigger to reconcile one page (DESIGN §4, level-triggered): the worker reads the page at the
 * branch head when the job runs, not at `commit`, and applies the difference to what the bot last
 * applied. Order, duplication or loss of these jobs therefore never decides the outcome.
 */
export interface PageSyncData {
  projectId: ProjectId;
  path: string;
  /** What the event said happened to the page; informative only (the head decides). */
  change: PageChange;
  /** The commit of the event that triggered the job (logs, job id); the page is read at the head. */
  commit: string;
  /** The branch to read (`refs/heads/…` or a name); `handbook.branch` or the default branch when absent. */
  ref?: string;
  /** The page's path before a rename in the same change (compare's `old_path`). */
  oldPath?: string;
  /**
   * What tells this delivery apart from every other trigger of the same page (webhook delivery id, or
   * the push's `before..after`): part of the job id, so a later trigger is never swallowed by a
   * finished job for the same commit (a force-push back).
   */
  delivery?: string;
  trigger: Trigger;
}

export interface PushResolveData {
  projectId: ProjectId;
  ref: string;
  before: string;
  after: string;
  /** The webhook delivery id, when known (see PageSyncData.delivery). */
  delivery?: string;
  trigger: Trigger;
}

/**
 * The merge request's checklist job. Its first step lists the MR's changed pages in the worker and
 * adds one `page-review` child per page; it then waits for them and writes one note from their results.
 */
export interface MrChecklistData {
  projectId: ProjectId;
  mrIid: number;
  headSha: string;
  targetBranch: string;
  trigger: Trigger;
  /** Step state, advanced by the processor (BullMQ "process step jobs" pattern). */
  step?: 'list-pages' | 'write-note';
}

export interface PageReviewData {
  projectId: ProjectId;
  mrIid: number;
  /** Path at the merge base (differs from `path` for a rename); absent for a new page. */
  oldPath?: string;
  /** Path at the head commit; absent when the MR deletes the page. */
  path?: string;
  targetBranch: string;
  headSha: string;
  /**
   * Where the old version is read: the merge request's `diff_refs.base_sha` (the merge base, what
   * GitLab's diff compares). Absent in jobs queued before it existed: the target branch then.
   */
  baseSha?: string;
}

/** A person ticked or unticked a box of the checklist note: re-evaluate the merge gate from the note. */
export interface MrGateData {
  projectId: ProjectId;
  mrIid: number;
  /** The note whose edit raised the event. */
  noteId: number;
  /** `object_attributes.url` of the Note Hook: the note's address, linked from the status. */
  noteUrl?: string;
  /** The merge request's source branch (the status's `ref`). */
  sourceBranch?: string;
  trigger: Trigger;
}

export interface RecruitingIssueData {
  projectId: ProjectId;
  issueIid: number;
  /** `object_attributes.action` of the Issue Hook (open, update, reopen, …). */
  action: string;
  /** Labels added by this event (from `changes.labels`), to tell which stage was "just added". */
  addedLabels: string[];
  updatedAt: string;
  trigger: Trigger;
}

export type NoteableKind = 'MergeRequest' | 'Issue';

export interface CommandData {
  projectId: ProjectId;
  noteableKind: NoteableKind;
  noteableIid: number;
  noteId: number;
  authorId: number;
  authorUsername: string;
  /** The comment's text after the command word, trimmed (for example `stage offer`). */
  commandText: string;
  /** For merge requests: what `recheck` needs to queue the checklist again. */
  mergeRequest?: { headSha: string; targetBranch: string };
  /** Absent for a delivered note; `replay` when a saved payload is queued again. */
  trigger?: Trigger;
}

/** The periodic reconcile: list every page of the default branch and queue `page-sync` for each. */
export interface SyncAllData {
  trigger: Trigger;
  only?: string;
}

/** The quarter rollover: opens each page's OKR issue of the new fiscal quarter, closes the old one. */
export interface QuarterRolloverData {
  trigger: Trigger;
}

export interface JobDataByName {
  'page-sync': PageSyncData;
  'push-resolve': PushResolveData;
  'mr-checklist': MrChecklistData;
  'page-review': PageReviewData;
  'mr-gate': MrGateData;
  'recruiting-issue': RecruitingIssueData;
  command: CommandData;
  'sync-all': SyncAllData;
  'quarter-rollover': QuarterRolloverData;
}

export type JobName = keyof JobDataByName;

export const JOB_NAMES = [
  'page-sync',
  'push-resolve',
  'mr-checklist',
  'page-review',
  'mr-gate',
  'recruiting-issue',
  'command',
  'sync-all',
  'quarter-rollover',
] as const satisfies readonly JobName[];

/** A job ready to be added: name, payload and its deterministic id. */
export interface JobSpec<N extends JobName = JobName> {
  name: N;
  data: JobDataByName[N];
  id: string;
  /**
   * Set on explicit re-runs: the deterministic id of the work. While a job with it is still pending
   * (BullMQ deduplication), the same re-run is not queued again; once it finished, a re-run runs.
   */
  deduplicationId?: string;
  /**
   * BullMQ priority, set on backfill only (`BACKFILL_PRIORITY`). BullMQ takes every job without a
   * priority before any prioritized one, so interactive work (checklists, commands, recruiting issues,
   * pushes) jumps a queue of a thousand `sync` page-syncs instead of waiting behind it.
   */
  priority?: number;
}

/**
 * The priority of backfill: `sync`, the periodic reconcile and what they fan out to (and, later, the
 * quarter rollover). Any positive number puts a job behind every unprioritized one; lower is sooner
 * among prioritized jobs, so other background work may take 1–9 to run ahead of backfill.
 */
export const BACKFILL_PRIORITY = 10;

/** Backfill triggers: work nobody is waiting for, run after interactive work. */
export function isBackfill(trigger: Trigger): boolean {
  return trigger === 'sync' || trigger === 'reconcile';
}

/** Tells explicit re-runs apart: they get a unique suffix so a finished job with the same id cannot swallow them. */
export function isExplicitRerun(trigger: Trigger): boolean {
  return trigger === 'sync' || trigger === 'reconcile' || trigger === 'recheck' || trigger === 'replay';
}

/**
 * A deterministic job id from its parts. BullMQ refuses `:` in custom ids and ids should stay short,
 * so free-form parts (paths) are hashed. The same parts always give the same id, which is what makes a
 * redelivered webhook queue nothing new.
 */
export function jobId(name: JobName, ...parts: Array<string | number>): string {
  const safe = parts.map((part) => {
    const text = String(part);
    return /^[A-Za-z0-9._-]{1,48}$/.test(text) ? text : createHash('sha256').update(text).digest('hex').slice(0, 16);
  });
  return [name, ...safe].join('.');
}
