import { RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Logger } from '../log.js';
import type { RedisClient } from '../queue/connection.js';
import { deploymentKeys } from '../queue/keys.js';
import { RetryableGitLabError } from './errors.js';

/**
 * The request budget shared by every worker process using one GitLab token. GitLab limits per user
 * (GitLab.com: 2,000 API calls a minute, and far fewer note or issue creations), so the limit must be
 * counted in Redis, not per process. Each HTTP attempt takes one point; creating a note or an issue
 * also takes one from the creates budget.
 */

export type BudgetKind = 'request' | 'create';

/** The request about to be sent, named in the error when the budget is exhausted. */
export interface BudgetRequest {
  method: string;
  path: string;
}

export interface RequestBudget {
  /** Resolves when the request may be sent; throws `RetryableGitLabError` when the wait would be long. */
  take(kind: BudgetKind, request: BudgetRequest): Promise<void>;
}

/** No limit: the CLI, one-off scripts and tests that are not about the budget. */
export const UNLIMITED_BUDGET: RequestBudget = { take: () => Promise.resolve() };

export interface BudgetLimits {
  /** Requests per window for all API calls (config `gitlab.requestsPerMinute`, default 1500). */
  requests: number;
  /** Note and issue creations per window (config `gitlab.createsPerMinute`, default 50). */
  creates: number;
  /** The window, in seconds (60: the limits are per minute). */
  windowSeconds?: number;
  /**
   * Waits up to this long in-process for the window to reset; beyond it the job is handed back to
   * BullMQ with the delay, so a worker is not blocked for most of a minute.
   */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  logger?: Logger;
}

export interface RedisBudgetOptions extends BudgetLimits {
  redis: RedisClient;
  /** The deployment's queue prefix: budgets live under its hash tag, so deployments sharing a Redis do not share them. */
  queuePrefix: string;
}

const DEFAULT_MAX_WAIT_MS = 5_000;
const BUDGET_KEY = 'gitlab';

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

class RateLimiterBudget implements RequestBudget {
  private readonly maxWaitMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly requests: RateLimiterAbstract,
    private readonly creates: RateLimiterAbstract,
    private readonly limits: BudgetLimits,
  ) {
    this.maxWaitMs = limits.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    this.sleep = limits.sleep ?? defaultSleep;
  }

  async take(kind: BudgetKind, request: BudgetRequest): Promise<void> {
    // Creates first: they are the scarcer budget, so a refused create does not spend a request point.
    if (kind === 'create') await this.consume(this.creates, 'creates', this.limits.creates, request);
    await this.consume(this.requests, 'requests', this.limits.requests, request);
  }

  private async consume(limiter: RateLimiterAbstract, name: string, points: number, request: BudgetRequest): Promise<void> {
    let waited = 0;
    for (;;) {
      try {
        await limiter.consume(BUDGET_KEY, 1);
        return;
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) {
          // Redis trouble: the budget is a courtesy to GitLab, whose own 429s still protect it, so
          // carry on rather than fail every job while Redis recovers.
          this.limits.logger?.warn({ err: rejection, budget: name }, 'gitlab budget unavailable; sending anyway');
          return;
        }
        const delayMs = Math.max(1, rejection.msBeforeNext);
        if (waited + delayMs > this.maxWaitMs) {
          throw new RetryableGitLabError(
            `GitLab request budget exhausted for ${request.method} ${request.path} (${points} ${name} per ` +
              `${this.limits.windowSeconds ?? 60} s across all workers); retry in ${Math.ceil(delayMs / 1000)} s`,
            { ...request, delayMs },
          );
        }
        await this.sleep(delayMs);
        waited += delayMs;
      }
    }
  }
}

/** The budget shared through Redis by every process of a deployment. */
export function createRedisBudget(options: RedisBudgetOptions): RequestBudget {
  const duration = options.windowSeconds ?? 60;
  const keys = deploymentKeys(options.queuePrefix);
  const limiter = (kind: 'gitlab-requests' | 'gitlab-creates', points: number): RateLimiterRedis =>
    new RateLimiterRedis({ storeClient: options.redis, keyPrefix: keys.budget(kind), points, duration });
  return new RateLimiterBudget(limiter('gitlab-requests', options.requests), limiter('gitlab-creates', options.creates), options);
}
