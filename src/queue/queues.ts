import { GITLAB_AWARE_BACKOFF } from './backoff.js';
import { FlowProducer, Queue, type DefaultJobOptions } from 'bullmq';
import type { RedisClient } from './connection.js';
import { deploymentKeys } from './keys.js';
import { QUEUE_NAME, type JobDataByName, type JobName } from './jobs.js';

/** Any job's payload; the job name tells which one. */
export type AnyJobData = JobDataByName[JobName];

export type WorkQueue = Queue<AnyJobData, unknown, JobName>;

/**
 * Retention doubles as the id-based deduplication window, so it is chosen for both:
 *
 * - completed jobs are kept up to 24 h (the delivery dedupe window) and at most 10,000, so memory stays
 *   bounded (past that, a redelivery re-runs work that is idempotent anyway):
 *   while a finished job holds its deterministic id, BullMQ drops a re-add of the same work, which is
 *   what makes a redelivered webhook or a repeated push queue nothing new;
 * - failed jobs are kept 14 days for inspection; meanwhile the same webhook work is not re-queued (it
 *   would fail the same way). Explicit re-runs (`sync`, `recheck`, `replay`, `reconcile`) carry a unique
 *   id suffix (see job-specs.ts), so neither kind of retained job can swallow them.
 *
 * Retries: 8 attempts, exponential from 5 s (5, 10, 20 … 320 s ≈ 10 min in all) with 50 % jitter so
 * jobs failing together (GitLab down, rate limited) do not retry in lockstep, and never sooner than a
 * GitLab `Retry-After` the job failed on (backoff.ts; the worker runner registers the strategy).
 */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: GITLAB_AWARE_BACKOFF, delay: 5_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 14 * 24 * 3600, count: 5_000 },
} as const satisfies DefaultJobOptions;

/**
 * `{name}`: the braces are a Redis Cluster hash tag, so all keys of the queue (and every other key of
 * the deployment, see keys.ts) hash to one slot, as BullMQ's multi-key Lua scripts require.
 */
export function queuePrefix(prefix: string): string {
  return deploymentKeys(prefix).queuePrefix;
}

export interface QueueOptions {
  /** `HANDBOOK_BOT_QUEUE_PREFIX`, with or without the braces. */
  prefix: string;
  defaultJobOptions?: DefaultJobOptions;
}

export function createQueue(connection: RedisClient, options: QueueOptions): WorkQueue {
  return new Queue<AnyJobData, unknown, JobName>(QUEUE_NAME, {
    connection,
    prefix: queuePrefix(options.prefix),
    defaultJobOptions: options.defaultJobOptions ?? DEFAULT_JOB_OPTIONS,
  });
}

/** Adds several jobs in one MULTI/EXEC (all or none) and parent/child flows. */
export function createFlowProducer(connection: RedisClient, prefix: string): FlowProducer {
  return new FlowProducer({ connection, prefix: queuePrefix(prefix) });
}
