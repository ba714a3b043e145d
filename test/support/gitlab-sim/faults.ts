import { z } from 'zod';
import { createPrng } from './prng.js';
import type { FaultOptions } from './types.js';

/** Validates faults that arrive as JSON (`POST /__sim/faults`, `--faults`). */
export const faultsSchema = z.strictObject({
  rate429: z.number().min(0).max(1).optional(),
  rate500: z.number().min(0).max(1).optional(),
  rateActionLimit429: z.number().min(0).max(1).optional(),
  failAfterApply: z.number().min(0).max(1).optional(),
  retryAfterSeconds: z.number().int().min(0).optional(),
  latencyMs: z.number().min(0).optional(),
  seed: z.number().int().optional(),
});

export type FaultDecision = 'none' | '429' | 'action-429' | '500';

/** Picks, with a seeded PRNG, which requests fail; the same seed and request order fail the same way. */
export class FaultInjector {
  private options: FaultOptions = {};
  private random: () => number;

  constructor(options: FaultOptions = {}, seed = 1) {
    this.random = createPrng(options.seed ?? seed);
    this.set(options);
  }

  set(options: FaultOptions): void {
    this.options = { ...options };
    if (options.seed !== undefined) this.random = createPrng(options.seed);
  }

  get current(): FaultOptions {
    return { ...this.options };
  }

  get retryAfterSeconds(): number {
    return this.options.retryAfterSeconds ?? 1;
  }

  get latencyMs(): number {
    return this.options.latencyMs ?? 0;
  }

  private hit(rate: number | undefined): boolean {
    // Rates of 0 and 1 consume no randomness, so they never shift the sequence for other rates.
    if (rate === undefined || rate <= 0) return false;
    if (rate >= 1) return true;
    return this.random() < rate;
  }

  /** Decided before the request is handled: nothing is applied when it fails this way. */
  before(method: string, actionLimited: boolean): FaultDecision {
    if (this.hit(this.options.rate429)) return '429';
    if (method === 'POST' && actionLimited && this.hit(this.options.rateActionLimit429)) return 'action-429';
    if (this.hit(this.options.rate500)) return '500';
    return 'none';
  }

  /** Decided after a successful POST was applied: the client sees 502 and cannot know it worked. */
  afterApply(method: string): boolean {
    return method === 'POST' && this.hit(this.options.failAfterApply);
  }
}
