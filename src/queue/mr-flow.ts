import { WaitingChildrenError, type FlowProducer, type JobsOptions } from 'bullmq';
import { pageReviewJob } from './job-specs.js';
import { QUEUE_NAME, type MrChecklistData } from './jobs.js';
import { DEFAULT_JOB_OPTIONS } from './queues.js';
import type { JobOf } from './worker.js';

/**
 * The merge-request flow, run by the `mr-checklist` processor (BullMQ "process step jobs" pattern).
 * A Merge Request Hook carries no file list, so the web role queues only the parent; its first step lists
 * the changed pages and adds one `page-review` child per page, then the parent waits in
 * `waiting-children` and resumes, at the `write-note` step, once every child has finished.
 */

/**
 * One changed page: `oldPath` at the merge base (absent for a new page), `path` at the head, and the
 * merge base itself (`diff_refs.base_sha`) when GitLab has computed it.
 */
export interface PageReviewTarget {
  oldPath?: string;
  path?: string;
  baseSha?: string;
}

export interface ChildResults {
  /** Return values of the children that completed, by child job id. */
  values: Record<string, unknown>;
  /** Failure reasons of the children that failed for good, by child job id. */
  failures: Record<string, string>;
}

export interface MrChecklistSteps<R> {
  listPages(data: MrChecklistData): Promise<PageReviewTarget[]>;
  writeNote(data: MrChecklistData, results: ChildResults): Promise<R>;
}

export interface MrFlowDeps {
  flows: FlowProducer;
  /** Options of the children (default: the queue's defaults; FlowProducer does not apply them itself). */
  jobOptions?: JobsOptions;
}

/** Adds the children in one MULTI/EXEC; a retried step re-adds nothing (ids derive from the parent's). */
export async function addPageReviews(
  job: JobOf<'mr-checklist'>,
  targets: readonly PageReviewTarget[],
  deps: MrFlowDeps,
): Promise<string[]> {
  if (job.id === undefined) throw new Error('mr-checklist job has no id');
  const parent = { id: job.id, queue: job.queueQualifiedName };
  const { projectId, mrIid, targetBranch, headSha } = job.data;
  const specs = targets.map((target) => pageReviewJob({ projectId, mrIid, targetBranch, headSha, ...target }, parent.id));
  if (specs.length === 0) return [];
  await deps.flows.addBulk(
    specs.map((spec) => ({
      name: spec.name,
      queueName: QUEUE_NAME,
      data: spec.data,
      // A failed page review must not leave the checklist waiting forever: the parent goes on and
      // reports the failure (`failures`) next to the other pages.
      opts: { ...(deps.jobOptions ?? DEFAULT_JOB_OPTIONS), jobId: spec.id, parent, ignoreDependencyOnFailure: true },
    })),
  );
  return specs.map((spec) => spec.id);
}

/**
 * Moves the parent to `waiting-children` when a child is still pending, by throwing the signal BullMQ
 * expects; returns when every child has finished (possibly before the parent even asked).
 */
export async function waitForChildren(job: JobOf<'mr-checklist'>, token: string | undefined): Promise<void> {
  if (token === undefined) throw new Error('waiting for children needs the worker lock token');
  if (await job.moveToWaitingChildren(token)) throw new WaitingChildrenError();
}

export async function childResults(job: JobOf<'mr-checklist'>): Promise<ChildResults> {
  const strip = (key: string) => key.slice(key.lastIndexOf(':') + 1);
  const [values, failures] = await Promise.all([job.getChildrenValues(), job.getIgnoredChildrenFailures()]);
  return {
    values: Object.fromEntries(Object.entries(values).map(([key, value]) => [strip(key), value as unknown])),
    failures: Object.fromEntries(Object.entries(failures).map(([key, reason]) => [strip(key), reason])),
  };
}

/** The whole parent processor: list → fan out → wait → write, resumable at each step. */
export async function runMrChecklist<R>(
  job: JobOf<'mr-checklist'>,
  token: string | undefined,
  steps: MrChecklistSteps<R>,
  deps: MrFlowDeps,
): Promise<R> {
  if ((job.data.step ?? 'list-pages') === 'list-pages') {
    const targets = await steps.listPages(job.data);
    await addPageReviews(job, targets, deps);
    // Recorded before waiting: when the parent resumes it must not list and fan out again.
    await job.updateData({ ...job.data, step: 'write-note' });
  }
  await waitForChildren(job, token);
  return steps.writeNote(job.data, await childResults(job));
}
