import { randomBytes } from 'node:crypto';
import {
  BACKFILL_PRIORITY,
  isBackfill,
  isExplicitRerun,
  jobId,
  type CommandData,
  type JobSpec,
  type MrChecklistData,
  type MrGateData,
  type PageReviewData,
  type PageSyncData,
  type PushResolveData,
  type QuarterRolloverData,
  type RecruitingIssueData,
  type SyncAllData,
  type Trigger,
} from './jobs.js';

/**
 * One builder per job name: the payload and its id, decided in one place.
 *
 * Ids are deterministic, from what identifies the work (project, page or merge request, commit), so a
 * redelivered webhook or a repeated push maps to the id of a job that exists already and BullMQ drops it.
 * BullMQ drops it just as silently while a *finished* job keeps the id (completed: 24 h, failed: 14 days,
 * see queues.ts). An explicit re-run (`isExplicitRerun`) is asked for precisely because that work ran
 * already, so its id gets a unique `.rerun-…` suffix: it always queues, and two re-runs never collide.
 */

/** Time-ordered and random: unique across processes without coordination. */
export function rerunNonce(): string {
  return `${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}

function finalId(trigger: Trigger, base: string, nonce?: string): Pick<JobSpec, 'id' | 'deduplicationId' | 'priority'> {
  const priority = isBackfill(trigger) ? { priority: BACKFILL_PRIORITY } : {};
  return isExplicitRerun(trigger)
    ? { id: `${base}.rerun-${nonce ?? rerunNonce()}`, deduplicationId: base, ...priority }
    : { id: base, ...priority };
}

/**
 * `nonce` pins the re-run suffix (tests, or a caller that must retry an add with the same id).
 *
 * A page-sync is identified by the page and the *delivery* that triggered it (`data.delivery`, else the
 * commit), never by the commit alone: the job reads the branch head when it runs, so every distinct
 * trigger must run, and a force-push back to a commit synced before must not map to that finished job.
 * The same delivery again (a redelivered webhook) keeps its id and is dropped, as before.
 */
export function pageSyncJob(data: PageSyncData, nonce?: string): JobSpec<'page-sync'> {
  return {
    name: 'page-sync',
    data,
    ...finalId(data.trigger, jobId('page-sync', data.projectId, data.path, data.delivery ?? data.commit), nonce),
  };
}

export function pushResolveJob(data: PushResolveData, nonce?: string): JobSpec<'push-resolve'> {
  const parts = data.delivery === undefined ? [data.before, data.after] : [data.delivery];
  return {
    name: 'push-resolve',
    data,
    ...finalId(data.trigger, jobId('push-resolve', data.projectId, ...parts), nonce),
  };
}

export function mrChecklistJob(data: MrChecklistData, nonce?: string): JobSpec<'mr-checklist'> {
  return {
    name: 'mr-checklist',
    data,
    ...finalId(data.trigger, jobId('mr-checklist', data.projectId, data.mrIid, data.headSha), nonce),
  };
}

/**
 * A child's id derives from its parent's, so a re-run parent (unique id) gets fresh children instead of
 * being handed the finished children of an earlier run, and a retried fan-out step re-adds nothing.
 */
export function pageReviewJob(data: PageReviewData, parentId: string): JobSpec<'page-review'> {
  return { name: 'page-review', data, id: jobId('page-review', parentId, data.path ?? data.oldPath ?? '') };
}

/**
 * One edit of the checklist note: its id, its edit time and a hash of its text (GitLab's `updated_at`
 * has one-second resolution). A redelivered event queues nothing; each tick queues one job, which
 * reads the note as it is when it runs.
 */
export function mrGateJob(data: MrGateData, edit: { updatedAt: string; body: string }, nonce?: string): JobSpec<'mr-gate'> {
  return {
    name: 'mr-gate',
    data,
    ...finalId(data.trigger, jobId('mr-gate', data.projectId, data.mrIid, data.noteId, `${edit.updatedAt}\u0000${edit.body}`), nonce),
  };
}

/**
 * An issue event is identified by its time and what it changed: GitLab's `updated_at` has one-second
 * resolution, so two edits within a second are told apart by action and added labels.
 */
export function recruitingIssueJob(data: RecruitingIssueData, nonce?: string): JobSpec<'recruiting-issue'> {
  const change = `${data.action}|${data.addedLabels.join('\n')}`;
  return {
    name: 'recruiting-issue',
    data,
    ...finalId(data.trigger, jobId('recruiting-issue', data.projectId, data.issueIid, data.updatedAt, change), nonce),
  };
}

/** A note is one command: its id is enough (a replay runs it again; its reply is posted once). */
export function commandJob(data: CommandData, nonce?: string): JobSpec<'command'> {
  return { name: 'command', data, ...finalId(data.trigger ?? 'webhook', jobId('command', data.projectId, data.noteId), nonce) };
}

/** One rollover per run of the scheduler; an explicit run (`sync`) gets the re-run suffix. */
export function quarterRolloverJob(data: QuarterRolloverData, nonce?: string): JobSpec<'quarter-rollover'> {
  return { name: 'quarter-rollover', data, ...finalId(data.trigger, jobId('quarter-rollover', 'all'), nonce) };
}

export function syncAllJob(data: SyncAllData, nonce?: string): JobSpec<'sync-all'> {
  return { name: 'sync-all', data, ...finalId(data.trigger, jobId('sync-all', data.only ?? 'all'), nonce) };
}
