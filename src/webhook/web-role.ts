import type { FlowProducer } from 'bullmq';
import type { RedisOptions } from 'ioredis';
import type { Settings } from '../config/types.js';
import type { Logger } from '../log.js';
import { createRedisConnection, redisTopologyOf, type RedisClient } from '../queue/connection.js';
import { createProducer } from '../queue/producer.js';
import { createFlowProducer, createQueue, type WorkQueue } from '../queue/queues.js';
import { errorStreakLog } from '../queue/worker.js';
import { createApp, type AppDeps, type WebApp } from './app.js';
import { serve, type RunningServer, type ServeOptions } from './server.js';

/** The web role wired from Settings: one producer connection, the queue, the app, the server. */
export interface WebRole {
  web: WebApp;
  server: RunningServer;
  queue: WorkQueue;
  redis: RedisClient;
  /** Graceful shutdown, then the queue and its connection. */
  stop(): Promise<void>;
}

export interface WebRoleOptions extends Partial<Pick<AppDeps, 'botUsername' | 'botUserId' | 'bodyLimitBytes' | 'admin'>> {
  logger: Logger;
  /** Extra ioredis options for the producer connection (TLS, tuning). */
  redis?: RedisOptions;
  port?: number;
  host?: string;
  drainDelayMs?: ServeOptions['drainDelayMs'];
  shutdownTimeoutMs?: ServeOptions['shutdownTimeoutMs'];
}

export async function startWebRole(settings: Settings, options: WebRoleOptions): Promise<WebRole> {
  const { logger } = options;
  const redis = createRedisConnection(redisTopologyOf(settings.env), 'producer', {
    logger,
    name: 'handbook-bot-web',
    ...(options.redis ? { redis: options.redis } : {}),
  });
  const queue = createQueue(redis, { prefix: settings.env.queuePrefix });
  const flows: FlowProducer = createFlowProducer(redis, settings.env.queuePrefix);
  // An outage or failover makes BullMQ emit an error per attempt: one line a streak, until Redis is back.
  const queueErrors = errorStreakLog(logger, 'queue error', 'queue recovered');
  queue.on('error', (err) => queueErrors.error(err));
  flows.on('error', (err) => queueErrors.error(err));
  redis.on('ready', () => queueErrors.success());
  const producer = createProducer({ queue, flows, connection: redis });
  const web = createApp({
    settings,
    queue,
    producer,
    redis,
    logger,
    ...(options.botUsername !== undefined ? { botUsername: options.botUsername } : {}),
    ...(options.botUserId !== undefined ? { botUserId: options.botUserId } : {}),
    ...(options.bodyLimitBytes !== undefined ? { bodyLimitBytes: options.bodyLimitBytes } : {}),
    ...(options.admin !== undefined ? { admin: options.admin } : {}),
  });
  const server = await serve(web, {
    port: options.port ?? settings.env.port,
    logger,
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.drainDelayMs !== undefined ? { drainDelayMs: options.drainDelayMs } : {}),
    ...(options.shutdownTimeoutMs !== undefined ? { shutdownTimeoutMs: options.shutdownTimeoutMs } : {}),
  });
  return {
    web,
    server,
    queue,
    redis,
    async stop() {
      await server.shutdown();
      await Promise.allSettled([queue.close(), flows.close()]);
      redis.disconnect();
    },
  };
}
