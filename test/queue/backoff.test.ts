import { describe, expect, it } from 'vitest';
import { retryDelay } from '../../src/queue/backoff.js';

describe('retryDelay', () => {
  it('grows exponentially from the base, with up to half taken off as jitter', () => {
    expect(retryDelay(1, 5_000, new Error('502'), () => 1)).toBe(5_000);
    expect(retryDelay(3, 5_000, new Error('502'), () => 1)).toBe(20_000);
    expect(retryDelay(3, 5_000, new Error('502'), () => 0)).toBe(10_000);
  });

  it('never retries sooner than GitLab asked', () => {
    expect(retryDelay(1, 5_000, Object.assign(new Error('429'), { delayMs: 120_000 }), () => 1)).toBe(120_000);
    // A shorter wish does not shorten the backoff.
    expect(retryDelay(4, 5_000, Object.assign(new Error('429'), { delayMs: 1_000 }), () => 1)).toBe(40_000);
    expect(retryDelay(1, 5_000, Object.assign(new Error('x'), { delayMs: Number.NaN }), () => 1)).toBe(5_000);
  });
});
