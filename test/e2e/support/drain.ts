import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkQueue } from '../../../src/queue/queues.js';

/**
 * Waits until nothing is left to run: no job waiting, active, delayed (a retry's backoff), prioritized
 * or waiting for children, in a few reads in a row (a finishing job may queue follow-ups between two
 * reads). Bounded: a queue that does not drain in time is a failure, with the counts in the message.
 * A job scheduler (the quarter rollover, on by default; the periodic reconcile) always keeps its next
 * run as one delayed job: that is not pending work, so one delayed job per scheduler is allowed.
 */

const PENDING = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'paused'] as const;
const ALL = [...PENDING, 'completed', 'failed'] as const;

export type QueueCounts = Record<(typeof ALL)[number], number>;

export async function queueCounts(queue: WorkQueue): Promise<QueueCounts> {
  const counts = await queue.getJobCounts(...ALL);
  return Object.fromEntries(ALL.map((state) => [state, counts[state] ?? 0])) as QueueCounts;
}

/**
 * Delayed jobs that are a job scheduler's next occurrence (the periodic reconcile, a daily job) are not
 * work left to do: BullMQ keeps one delayed per scheduler at all times.
 */
async function scheduledOccurrences(queue: WorkQueue, delayed: number): Promise<number> {
  if (delayed === 0) return 0;
  const jobs = await queue.getJobs(['delayed'], 0, delayed);
  return jobs.filter((job) => job.repeatJobKey !== undefined || (job.id ?? '').startsWith('repeat:')).length;
}

export async function waitForDrain(
  queue: WorkQueue,
  options: { timeoutMs: number; pollMs?: number; quietPolls?: number },
): Promise<QueueCounts> {
  const deadline = Date.now() + options.timeoutMs;
  const quiet = options.quietPolls ?? 3;
  let idle = 0;
  let counts: QueueCounts | undefined;
  for (;;) {
    try {
      counts = await queueCounts(queue);
      const scheduled = await scheduledOccurrences(queue, counts.delayed);
      const pending = { ...counts, delayed: counts.delayed - scheduled };
      idle = PENDING.every((state) => pending[state] === 0) ? idle + 1 : 0;
      if (idle >= quiet) return counts;
    } catch {
      // Redis restarting: read again.
      idle = 0;
    }
    if (Date.now() > deadline) throw new Error(`queue not drained within ${options.timeoutMs} ms: ${JSON.stringify(counts)}`);
    await sleep(options.pollMs ?? 250);
  }
}

/** Failed jobs with their reasons, for a failure message that says what went wrong. */
export async function failedJobs(queue: WorkQueue): Promise<string[]> {
  const jobs = await queue.getJobs(['failed'], 0, 50);
  return jobs.map((job) => `${job.name} ${job.id ?? ''}: ${job.failedReason}`);
}
