import type { RedisClient } from '../../queue/connection.js';
import type { Config } from '../../config/types.js';
import type { GitLabApi } from '../../gitlab/api.js';
import type { Logger } from '../../log.js';
import type { JobSpec } from '../../queue/jobs.js';
import type { LockOptions } from '../../queue/keyed-lock.js';

/**
 * What every action receives: GitLab, the configuration, a logger, Redis for per-key locks, the clock,
 * and a way to queue follow-up jobs. Built once per worker process (see src/worker/processors.ts).
 */
export interface ActionContext {
  gitlab: GitLabApi;
  config: Config;
  logger: Logger;
  redis: RedisClient;
  /** Prefix for lock keys, inside the queue prefix's hash tag: `{handbook-bot}:lock:`. */
  lockPrefix: string;
  now(): Date;
  enqueue(specs: readonly JobSpec[]): Promise<string[]>;
  /** Options of the per-key locks (`HANDBOOK_BOT_WORKER_LOCK_MS` shortens their TTL); defaults when absent. */
  lockOptions?: LockOptions;
}
