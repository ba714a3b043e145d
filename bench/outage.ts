/**
 * Redis outage (`npm run bench:outage`): how fast the bot says "not now" while Redis is unreachable,
 * which the tests only check for the answer itself (test/webhook/redis-outage.test.ts,
 * test/queue/producer.test.ts). Redis is the one at REDIS_URL behind a loopback TCP proxy that is
 * stopped for the measurement (the real server keeps running); keys go under a unique prefix and are
 * removed afterwards.
 *
 *   npm run bench:outage                   # 200 deliveries / enqueues
 *   npm run bench:outage -- --requests 1000
 *
 * Prints p50/p99/max of: a webhook delivery answered 503 (production's listener), and a producer
 * enqueue rejected with QueueUnavailableError. Budget (what the tests used to assert): under 500 ms.
 */
import { randomUUID } from 'node:crypto';
import { QueueUnavailableError, createProducer } from '../src/queue/producer.js';
import { createRedisConnection } from '../src/queue/connection.js';
import { createFlowProducer, createQueue } from '../src/queue/queues.js';
import { pageSyncJob } from '../src/queue/job-specs.js';
import { HANDBOOK, handbookPush } from '../test/support/fixtures.js';
import { removePrefix, startRedisProxy, testRedis, uniquePrefix } from '../test/support/redis.js';
import { testSettings } from '../test/support/settings.js';
import { startBot } from '../test/webhook/harness.js';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

const requests = option('--requests', 200);
const BUDGET_MS = 500;

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 10_000) throw new Error('Redis connection did not notice the outage within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function summary(name: string, times: number[]): boolean {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const max = sorted.at(-1) ?? 0;
  const within = max < BUDGET_MS;
  console.log(
    `${name.padEnd(36)} p50 ${at(0.5).toFixed(2).padStart(7)} ms  p99 ${at(0.99).toFixed(2).padStart(7)} ms  max ${max.toFixed(2).padStart(7)} ms  ${within ? 'ok' : `OVER the ${BUDGET_MS} ms budget`}`,
  );
  return within;
}

const elapsed = async (run: () => Promise<unknown>): Promise<number> => {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
};

const prefix = uniquePrefix('bench-outage');
const admin = testRedis();
const proxy = await startRedisProxy();
const settings = testSettings({ config: { handbook: { project: HANDBOOK.path } }, env: { queuePrefix: prefix } });
const bot = await startBot({ path: 'fast', prefix, settings, redisUrl: proxy.url });
const connection = createRedisConnection(proxy.url, 'producer', { redis: { retryStrategy: () => 50 } });
const queue = createQueue(connection, { prefix });
const flows = createFlowProducer(connection, prefix);
queue.on('error', () => undefined);
flows.on('error', () => undefined);
const producer = createProducer({ queue, flows, connection });

let ok = true;
try {
  await queue.waitUntilReady();
  await proxy.stop();
  await until(() => bot.redis.status !== 'ready' && connection.status !== 'ready');
  console.log(`${requests} of each with Redis unreachable (node ${process.version})`);

  const push = handbookPush();
  const answers: number[] = [];
  for (let i = 0; i < requests; i += 1) {
    answers.push(
      await elapsed(async () => {
        const reply = await bot.post('Push Hook', push, { headers: { 'idempotency-key': randomUUID() } });
        if (reply.status !== 503) throw new Error(`expected 503 while Redis is down, got ${reply.status}`);
      }),
    );
  }
  ok = summary('webhook delivery → 503', answers) && ok;

  const rejections: number[] = [];
  for (let i = 0; i < requests; i += 1) {
    const spec = pageSyncJob({
      projectId: HANDBOOK.id,
      path: `content/job-families/bench-${i}.md`,
      change: 'modified',
      commit: 'c0ffee',
      trigger: 'webhook',
    });
    rejections.push(
      await elapsed(async () => {
        const outcome = await producer.enqueue([spec]).then(
          () => 'queued',
          (error: unknown) => error,
        );
        if (!(outcome instanceof QueueUnavailableError)) throw new Error(`expected QueueUnavailableError, got ${String(outcome)}`);
      }),
    );
  }
  ok = summary('producer enqueue → QueueUnavailable', rejections) && ok;
} finally {
  await proxy.start();
  await bot.close();
  await Promise.allSettled([queue.close(), flows.close()]);
  connection.disconnect();
  await proxy.stop();
  await removePrefix(admin, prefix);
  admin.disconnect();
}
if (!ok) process.exitCode = 1;
