import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Job } from 'bullmq';
import type { RedisTopology } from '../../src/config/redis-topology.js';
import type { Settings } from '../../src/config/types.js';
import { createLogger } from '../../src/log.js';
import { createRedisConnection, type RedisClient } from '../../src/queue/connection.js';
import { createProducer } from '../../src/queue/producer.js';
import { createFlowProducer, createQueue, type AnyJobData, type WorkQueue } from '../../src/queue/queues.js';
import { createApp, type WebApp } from '../../src/webhook/app.js';
import { serve, type RunningServer } from '../../src/webhook/server.js';
import { REDIS_URL } from '../support/redis.js';
import { TEST_SECRET, testSettings } from '../support/settings.js';

/**
 * A running web role for HTTP tests: the real app on a loopback port, real Redis under the test's
 * prefix, logs captured. `path` picks which server runs: `fast` is production's listener (webhook on
 * the lean path), `express` serves everything through the express app (the reference route).
 */

export type ServedPath = 'fast' | 'express';
export const PATHS: ServedPath[] = ['fast', 'express'];

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

export interface PostOptions {
  /** Headers to add or, with `undefined`, remove from the defaults. */
  headers?: Record<string, string | undefined>;
}

export interface BotUnderTest {
  url: string;
  web: WebApp;
  queue: WorkQueue;
  /** The producer connection (the one the app uses). */
  redis: RedisClient;
  logs: LogLine[];
  settings: Settings;
  post(event: string | undefined, body: unknown, options?: PostOptions): Promise<Reply>;
  get(path: string): Promise<Reply>;
  jobs(): Promise<Array<Job<AnyJobData, unknown, string>>>;
  jobCount(): Promise<number>;
  server: Server;
  running?: RunningServer;
  close(): Promise<void>;
}

export interface StartOptions {
  path: ServedPath;
  prefix: string;
  settings?: Settings;
  redisUrl?: string;
  /** A Cluster or Sentinel group instead of the single node at `redisUrl`. */
  topology?: RedisTopology;
  botUserId?: number;
  bodyLimitBytes?: number;
  drainDelayMs?: number;
  admin?: { adminToken: string; readOnly: boolean };
}

export async function startBot(options: StartOptions): Promise<BotUnderTest> {
  const settings = options.settings ?? testSettings({ env: { queuePrefix: options.prefix } });
  const logs: LogLine[] = [];
  const logger = createLogger('debug', { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
  const topology: RedisTopology = options.topology ?? { kind: 'single', url: options.redisUrl ?? REDIS_URL };
  const redis = createRedisConnection(topology, 'producer', {
    logger,
    // A Cluster reconnects through its own strategy (production's), nodes through slot refreshes.
    ...(topology.kind === 'cluster' ? {} : { redis: { retryStrategy: () => 50 } }),
  });
  const queue = createQueue(redis, { prefix: settings.env.queuePrefix });
  const flows = createFlowProducer(redis, settings.env.queuePrefix);
  queue.on('error', () => undefined);
  flows.on('error', () => undefined);
  const web = createApp({
    settings,
    queue,
    producer: createProducer({ queue, flows, connection: redis }),
    redis,
    logger,
    ...(options.botUserId !== undefined ? { botUserId: options.botUserId } : {}),
    ...(options.bodyLimitBytes !== undefined ? { bodyLimitBytes: options.bodyLimitBytes } : {}),
    ...(options.admin !== undefined ? { admin: options.admin } : {}),
  });
  await queue.waitUntilReady();

  let server: Server;
  let running: RunningServer | undefined;
  if (options.path === 'fast') {
    running = await serve(web, { port: 0, host: '127.0.0.1', logger, drainDelayMs: options.drainDelayMs ?? 0, shutdownTimeoutMs: 2_000 });
    server = running.server;
  } else {
    server = createServer(web.express);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  }
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const reply = async (response: Response): Promise<Reply> => {
    const text = await response.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // not JSON (metrics)
    }
    return { status: response.status, headers: response.headers, text, json };
  };

  return {
    url,
    web,
    queue,
    redis,
    logs,
    settings,
    server,
    ...(running ? { running } : {}),
    async post(event, body, postOptions = {}) {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'x-gitlab-token': TEST_SECRET,
        'x-gitlab-event-uuid': randomUUID(),
        'x-gitlab-instance': 'https://gitlab.example.com',
      };
      if (event !== undefined) headers['x-gitlab-event'] = event;
      for (const [name, value] of Object.entries(postOptions.headers ?? {})) {
        if (value === undefined) delete headers[name];
        else headers[name] = value;
      }
      const payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
      return reply(await fetch(`${url}/webhooks/gitlab`, { method: 'POST', headers, body: payload }));
    },
    async get(path) {
      return reply(await fetch(`${url}${path}`));
    },
    jobs: () => queue.getJobs(['waiting', 'prioritized', 'delayed', 'active', 'waiting-children', 'completed', 'failed']),
    async jobCount() {
      const counts = await queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'waiting-children', 'completed', 'failed');
      return Object.values(counts).reduce((sum, count) => sum + count, 0);
    },
    async close() {
      if (running) await running.shutdown();
      else {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      await queue.close();
      await flows.close();
      redis.disconnect();
    },
  };
}

export function deliveryLines(logs: LogLine[]): LogLine[] {
  return logs.filter((line) => line.msg === 'webhook delivery');
}
