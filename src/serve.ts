import { setTimeout as sleep } from 'node:timers/promises';
import type { Settings } from './config/types.js';
import { assertServeRequirements } from './config/serve-requirements.js';
import { describeRedisTopology, type RedisTopology } from './config/redis-topology.js';
import { createRedisBudget } from './gitlab/budget.js';
import { GitLabClient } from './gitlab/client.js';
import { createLogger, type Logger } from './log.js';
import { createRedisConnection, probeRedis, redisStartupError, redisTopologyOf } from './queue/connection.js';
import { startWebRole, type WebRole } from './webhook/web-role.js';
import { startWorkerRole, type WorkerRole } from './worker/worker-role.js';

/**
 * `npm start` / `handbook-bot serve`: the composition root. Web and workers in one process by default,
 * split by HANDBOOK_BOT_ROLE. Exits 0 after a graceful SIGTERM/SIGINT, 1 when it cannot start; throws a
 * ConfigError (exit 2 from the CLI) when a live run lacks what it needs (src/config/serve-requirements.ts).
 */

const SHUTDOWN_LIMIT_MS = 25_000;

export async function serve(settings: Settings, logger: Logger = createLogger(settings.env.logLevel)): Promise<number> {
  const { env, config } = settings;
  // Before any network call: a live bot without WEBHOOK_SECRET or handbook.project is refused with a
  // ConfigError (the CLI prints it, exit 2) rather than after GitLab and Redis round trips.
  assertServeRequirements(settings);
  // The first line says whether anything will be written, and how to change that.
  if (env.dryRun) {
    logger.info(
      { mode: 'dry-run', role: env.role, gitlab: env.gitlabUrl },
      'handbook-bot starting in DRY-RUN: no GITLAB_TOKEN, so every GitLab write is only logged as a plan. ' +
        'To go live set GITLAB_TOKEN (a token with the api scope), WEBHOOK_SECRET and handbook.project in the config file.',
    );
  } else {
    logger.info({ mode: 'live', role: env.role, gitlab: env.gitlabUrl }, `handbook-bot starting: writing to ${env.gitlabUrl}`);
  }
  if (!env.configFileLoaded)
    logger.warn({ configPath: env.configPath }, 'no config file: using built-in defaults (see config/handbook-bot.example.yml)');

  const topology = redisTopologyOf(env);
  if (!(await waitForRedis(topology, redisWaitSeconds(), logger))) return 1;

  const budgetRedis = createRedisConnection(topology, 'producer', { logger, name: 'handbook-bot-budget' });
  const gitlab = new GitLabClient({
    url: env.gitlabUrl,
    token: env.gitlabToken,
    dryRun: env.dryRun,
    logger,
    budget: createRedisBudget({
      redis: budgetRedis,
      queuePrefix: env.queuePrefix,
      requests: config.gitlab.requestsPerMinute,
      creates: config.gitlab.createsPerMinute,
      logger,
    }),
  });

  let web: WebRole | undefined;
  let worker: WorkerRole | undefined;
  try {
    // The bot ignores events it caused itself, so it must know who it is before accepting any.
    const botUser = env.dryRun ? undefined : await gitlab.currentUser();
    if (env.role !== 'worker') {
      web = await startWebRole(settings, {
        logger,
        ...(botUser !== undefined ? { botUsername: botUser.username, botUserId: botUser.id } : {}),
        ...(env.adminToken !== undefined ? { admin: { adminToken: env.adminToken, readOnly: config.admin.readOnly } } : {}),
      });
    }
    if (env.role !== 'web') worker = await startWorkerRole(settings, { logger, gitlab });
  } catch (error) {
    logger.error({ err: error instanceof Error ? error.message : String(error) }, 'handbook-bot could not start');
    await Promise.allSettled([web?.stop(), worker?.stop()]);
    budgetRedis.disconnect();
    return 1;
  }
  logger.info({ role: env.role, port: web?.server.port }, 'handbook-bot ready');

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  logger.info({ signal }, 'shutting down');
  const stopped = Promise.allSettled([web?.stop(), worker?.stop()]).then(() => 'stopped' as const);
  const outcome = await Promise.race([stopped, sleep(SHUTDOWN_LIMIT_MS, 'timeout' as const, { ref: false })]);
  budgetRedis.disconnect();
  if (outcome === 'timeout') {
    logger.warn({ limitMs: SHUTDOWN_LIMIT_MS }, 'shutdown took too long; exiting anyway (active jobs will be retried as stalled)');
    return 1;
  }
  logger.info('stopped cleanly');
  return 0;
}

/** `HANDBOOK_BOT_REDIS_WAIT`: seconds to keep retrying an unreachable Redis at start (default 0: fail at once). */
function redisWaitSeconds(): number {
  const value = Number(process.env.HANDBOOK_BOT_REDIS_WAIT ?? '0');
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/**
 * Says which topology, where it looked and how to fix it, instead of a stack trace from deep inside
 * ioredis; also catches a topology that is not what the environment says (a Cluster node in REDIS_URL).
 */
async function waitForRedis(topology: RedisTopology, waitSeconds: number, logger: Logger): Promise<boolean> {
  const deadline = Date.now() + waitSeconds * 1000;
  const where = describeRedisTopology(topology);
  for (let attempt = 1, delayMs = 500; ; attempt += 1, delayMs = Math.min(delayMs * 2, 10_000)) {
    const failure = await probeRedis(topology);
    if (failure === undefined) return true;
    if (Date.now() + delayMs > deadline) {
      logger.error(
        { redis: where, reason: failure },
        `${redisStartupError(topology, failure)} Set HANDBOOK_BOT_REDIS_WAIT=<seconds> to wait for it at start.`,
      );
      return false;
    }
    logger.warn({ redis: where, reason: failure, attempt, retryInMs: delayMs }, `waiting for ${where}`);
    await sleep(delayMs);
  }
}
