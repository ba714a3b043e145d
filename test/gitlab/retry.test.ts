import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, decideRetry, parseRetryAfter, type AttemptFailure } from '../../src/gitlab/retry.js';

const serverError: AttemptFailure = { kind: 'server-error', status: 502 };

function decide(method: string, failure: AttemptFailure, attempt = 1, waitedMs = 0, random = () => 0.5) {
  return decideRetry(DEFAULT_RETRY_POLICY, { method, failure, attempt, waitedMs, random });
}

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-20T10:00:00Z');

  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Fri, 20 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
  });

  it('gives undefined for absent or unreadable values, and never a negative delay', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('Fri, 20 Nov 2026 09:00:00 GMT', now)).toBe(0);
  });
});

describe('decideRetry', () => {
  it('honours Retry-After exactly', () => {
    expect(decide('GET', { kind: 'rate-limited', retryAfterMs: 2000 })).toEqual({ retry: true, delayMs: 2000 });
  });

  it('backs off on 429 without Retry-After, never close to zero, growing per attempt', () => {
    const low = (attempt: number) => decide('GET', { kind: 'rate-limited', retryAfterMs: undefined }, attempt, 0, () => 0);
    const high = (attempt: number) => decide('GET', { kind: 'rate-limited', retryAfterMs: undefined }, attempt, 0, () => 1);
    expect(low(1)).toEqual({ retry: true, delayMs: 2000 });
    expect(high(1)).toEqual({ retry: true, delayMs: 4000 });
    expect(low(2)).toEqual({ retry: true, delayMs: 4000 });
    expect(high(2)).toEqual({ retry: true, delayMs: 8000 });
  });

  it('uses full jitter for 5xx on idempotent methods, capped', () => {
    expect(decide('GET', serverError, 1, 0, () => 0)).toEqual({ retry: true, delayMs: 0 });
    expect(decide('PUT', serverError, 2, 0, () => 1)).toEqual({ retry: true, delayMs: 2000 });
    expect(decide('DELETE', { kind: 'network', reachedServer: true }, 1, 0, () => 0.5)).toEqual({ retry: true, delayMs: 500 });
    const capped = decideRetry(
      { ...DEFAULT_RETRY_POLICY, maxAttempts: 10 },
      { method: 'GET', failure: serverError, attempt: 8, waitedMs: 0, random: () => 1 },
    );
    expect(capped).toEqual({ retry: true, delayMs: DEFAULT_RETRY_POLICY.maxDelayMs });
  });

  it('never re-sends a POST that may have reached GitLab', () => {
    expect(decide('POST', serverError)).toMatchObject({ retry: false, reason: 'unsafe-to-resend' });
    expect(decide('POST', { kind: 'network', reachedServer: true })).toMatchObject({ retry: false, reason: 'unsafe-to-resend' });
  });

  it('re-sends a POST that GitLab refused (429) or that never left (connection refused)', () => {
    expect(decide('POST', { kind: 'rate-limited', retryAfterMs: 1000 })).toEqual({ retry: true, delayMs: 1000 });
    expect(decide('POST', { kind: 'network', reachedServer: false })).toMatchObject({ retry: true });
  });

  it('stops after maxAttempts, or when the wait would exceed the allowance, with a delay for BullMQ', () => {
    expect(decide('GET', serverError, 3)).toMatchObject({ retry: false, reason: 'attempts-exhausted' });
    expect(decide('GET', { kind: 'rate-limited', retryAfterMs: 25_000 }, 2, 10_000)).toEqual({
      retry: false,
      delayMs: 25_000,
      reason: 'wait-too-long',
    });
  });
});
