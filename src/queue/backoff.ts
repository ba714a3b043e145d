import type { BackoffStrategy } from 'bullmq';

/**
 * The retry delay of a failed job: exponential from the job's `backoff.delay` with jitter, so jobs that
 * failed together (GitLab down) do not retry in lockstep, and never sooner than GitLab asked. An error
 * may carry `delayMs`: a `Retry-After` (or the shared budget's wait) too long to sit out inside the
 * worker, which gave up the attempt instead of blocking. BullMQ's built-in strategies cannot see it.
 */
export const GITLAB_AWARE_BACKOFF = 'gitlab-aware';

export function retryDelay(attemptsMade: number, baseMs: number, err: unknown, random: () => number = Math.random): number {
  const exponential = baseMs * 2 ** Math.max(0, attemptsMade - 1);
  const jittered = Math.round(exponential * (0.5 + random() * 0.5));
  const asked = (err as { delayMs?: unknown } | undefined)?.delayMs;
  return typeof asked === 'number' && Number.isFinite(asked) && asked > jittered ? Math.ceil(asked) : jittered;
}

export const backoffStrategy: BackoffStrategy = (attemptsMade, _type, err, job) => {
  const backoff = job?.opts.backoff;
  const baseMs = typeof backoff === 'object' && backoff.delay !== undefined ? backoff.delay : 5_000;
  return retryDelay(attemptsMade, baseMs, err);
};
