/**
 * The bot's retry policy for one GitLab request, as pure functions (the requester runs them).
 *
 * In-process retries are few and short: a worker should not sit on a job for minutes. When they run
 * out, or GitLab asks for a longer pause than the remaining allowance, the request fails with a
 * retryable error carrying the delay, and BullMQ runs the job again later.
 */

export interface RetryPolicy {
  /** Attempts in this process, the first one included. */
  maxAttempts: number;
  /** 5xx and network errors: full jitter over `baseDelayMs * 2^(attempt-1)`, capped by `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * 429 without `Retry-After` (GitLab's per-action limits on notes and issues): wait
   * `rateLimitDelayMs * 2^(attempt-1)`, at least half of it, so the pause is never near zero.
   */
  rateLimitDelayMs: number;
  /** Total sleep allowed across the attempts of one request. */
  maxTotalWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 10_000,
  rateLimitDelayMs: 4_000,
  maxTotalWaitMs: 30_000,
};

/** Why an attempt failed, as far as retrying is concerned. */
export type AttemptFailure =
  | { kind: 'rate-limited'; retryAfterMs: number | undefined }
  | { kind: 'server-error'; status: number }
  /** `reachedServer: false` when the connection was never made (refused, DNS), so nothing was sent. */
  | { kind: 'network'; reachedServer: boolean };

export type RetryDecision =
  { retry: true; delayMs: number } | { retry: false; delayMs: number; reason: 'attempts-exhausted' | 'wait-too-long' | 'unsafe-to-resend' };

export interface RetryInput {
  method: string;
  failure: AttemptFailure;
  /** 1 for the first attempt. */
  attempt: number;
  /** Sleep already spent on this request. */
  waitedMs: number;
  random: () => number;
}

/**
 * Decides whether to try the same request again and after how long.
 *
 * A POST creates something (an issue, a note). After a 5xx, a timeout or a dropped connection the
 * create may have been applied, so it is never re-sent here: the error goes back to the action, whose
 * next run looks for its marker before creating again. A 429 was refused before anything happened and
 * a refused connection sent nothing, so those are safe to repeat. GET, PUT and DELETE are idempotent.
 */
export function decideRetry(policy: RetryPolicy, input: RetryInput): RetryDecision {
  const { method, failure, attempt, waitedMs, random } = input;
  const delayMs = delayFor(policy, failure, attempt, random);
  const sentSomething = failure.kind === 'server-error' || (failure.kind === 'network' && failure.reachedServer);
  // The job itself is retried later; give GitLab at least the base delay to settle first.
  if (method === 'POST' && sentSomething)
    return { retry: false, delayMs: Math.max(delayMs, policy.baseDelayMs), reason: 'unsafe-to-resend' };
  if (attempt >= policy.maxAttempts) return { retry: false, delayMs, reason: 'attempts-exhausted' };
  if (waitedMs + delayMs > policy.maxTotalWaitMs) return { retry: false, delayMs, reason: 'wait-too-long' };
  return { retry: true, delayMs };
}

function delayFor(policy: RetryPolicy, failure: AttemptFailure, attempt: number, random: () => number): number {
  const exponent = Math.max(0, attempt - 1);
  if (failure.kind === 'rate-limited') {
    if (failure.retryAfterMs !== undefined) return failure.retryAfterMs;
    const ceiling = Math.min(policy.maxDelayMs * 4, policy.rateLimitDelayMs * 2 ** exponent);
    return Math.round(ceiling / 2 + random() * (ceiling / 2));
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  return Math.round(random() * ceiling);
}

/**
 * `Retry-After` in milliseconds: delta-seconds (`120`) or an HTTP date. `undefined` when absent or
 * unreadable, so the caller backs off on its own.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only a real date (with a month name); Date.parse would read "-5" as a year.
  if (!/[A-Za-z]/.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Statuses worth another attempt later (besides 429): GitLab or a proxy failing, not the request. */
export function isServerError(status: number): boolean {
  return status >= 500 || status === 408;
}
