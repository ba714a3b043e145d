import type { Worker } from 'bullmq';
import type { ActionContext } from '../actions/shared/context.js';
import type { Settings } from '../config/types.js';
import type { GitLabApi } from '../gitlab/api.js';
import type { Logger } from '../log.js';
import { createRedisConnection, redisTopologyOf, type RedisClient } from '../queue/connection.js';
import { deploymentKeys } from '../queue/keys.js';
import { quarterRolloverJob, syncAllJob } from '../queue/job-specs.js';
import { createProducer } from '../queue/producer.js';
import { createFlowProducer, createQueue, type WorkQueue } from '../queue/queues.js';
import { createWorkerRunner } from '../queue/worker.js';
import { createProcessors } from './processors.js';

/** The worker role wired from Settings: connections, the queue for follow-up jobs, the runner. */
export interface WorkerRole {
  worker: Worker;
  queue: WorkQueue;
  /** Stops taking jobs, lets active ones finish (bounded by BullMQ's close), then disconnects. */
  stop(): Promise<void>;
}

export interface WorkerRoleOptions {
  logger: Logger;
  gitlab: GitLabApi;
  concurrency?: number;
}

// Named after the job it schedules: one scheduler per deployment (per queue prefix).
const RECONCILE_SCHEDULER = 'sync-all';
const ROLLOVER_SCHEDULER = 'quarter-rollover';

/** The quarter rollover's scheduler: on unless `okr.rollover.enabled` is false; `every` replaces `cron`. */
export async function scheduleRollover(queue: WorkQueue, settings: Settings, logger: Logger): Promise<void> {
  const rollover = settings.config.okr.rollover;
  if (!rollover.enabled) {
    await queue.removeJobScheduler(ROLLOVER_SCHEDULER);
    logger.info('quarter rollover is off (okr.rollover.enabled: false)');
    return;
  }
  const template = quarterRolloverJob({ trigger: 'reconcile' });
  const repeat = rollover.every !== undefined ? { every: rollover.every } : { pattern: rollover.cron };
  await queue.upsertJobScheduler(ROLLOVER_SCHEDULER, repeat, {
    name: template.name,
    data: template.data,
    opts: { priority: template.priority },
  });
  logger.info(repeat, 'quarter rollover scheduled');
}

export async function startWorkerRole(settings: Settings, options: WorkerRoleOptions): Promise<WorkerRole> {
  const { logger } = options;
  const prefix = settings.env.queuePrefix;
  const connection: RedisClient = createRedisConnection(redisTopologyOf(settings.env), 'worker', { logger, name: 'handbook-bot-worker' });
  const queue = createQueue(connection, { prefix });
  const flows = createFlowProducer(connection, prefix);
  const producer = createProducer({ queue, flows, connection });
  const ctx: ActionContext = {
    gitlab: options.gitlab,
    config: settings.config,
    logger,
    redis: connection,
    lockPrefix: deploymentKeys(prefix).lockPrefix,
    now: () => new Date(),
    enqueue: (specs) => producer.enqueue(specs),
    ...(settings.env.workerLockMs !== undefined ? { lockOptions: { ttlMs: settings.env.workerLockMs } } : {}),
  };
  const worker = createWorkerRunner({
    connection,
    prefix,
    processors: createProcessors(ctx, { flows }),
    logger,
    concurrency: options.concurrency ?? settings.env.workerConcurrency ?? 4,
    ...(settings.env.workerLockMs !== undefined ? { lockDurationMs: settings.env.workerLockMs } : {}),
  });

  // The periodic reconcile is a job scheduler in Redis: upserting it from every worker is idempotent.
  const cron = settings.config.sync.cron;
  if (cron !== undefined) {
    const template = syncAllJob({ trigger: 'reconcile' });
    await queue.upsertJobScheduler(
      RECONCILE_SCHEDULER,
      { pattern: cron },
      { name: template.name, data: template.data, opts: { priority: template.priority } },
    );
    logger.info({ cron }, 'periodic reconcile scheduled');
  } else {
    await queue.removeJobScheduler(RECONCILE_SCHEDULER);
  }
  await scheduleRollover(queue, settings, logger);

  return {
    worker,
    queue,
    async stop() {
      await worker.close();
      await Promise.allSettled([queue.close(), flows.close()]);
      connection.disconnect();
    },
  };
}
