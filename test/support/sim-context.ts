import type { ActionContext } from '../../src/actions/shared/context.js';
import type { Config } from '../../src/config/types.js';
import { GitLabClient } from '../../src/gitlab/client.js';
import { createLogger } from '../../src/log.js';
import type { RedisClient } from '../../src/queue/connection.js';

/**
 * An action context on the GitLab simulator (its bot token), with real Redis under `lockPrefix`, a
 * fixed clock and no queue: enqueued jobs are only named. `instantRetries` skips the client's
 * back-off waits (tests); benchmarks keep them.
 */
export function simActionContext(
  sim: { url: string; token: string },
  options: { redis: RedisClient; lockPrefix: string; config: Config; now: string; instantRetries?: boolean },
): ActionContext & { gitlab: GitLabClient } {
  const logger = createLogger('silent');
  const sleep = options.instantRetries === true ? { sleep: () => Promise.resolve() } : {};
  return {
    gitlab: new GitLabClient({ url: sim.url, token: sim.token, dryRun: false, logger, ...sleep }),
    config: options.config,
    logger,
    redis: options.redis,
    lockPrefix: options.lockPrefix,
    now: () => new Date(options.now),
    enqueue: (specs) => Promise.resolve(specs.map((spec) => spec.id)),
  };
}
