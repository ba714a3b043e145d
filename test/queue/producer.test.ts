import type { FlowProducer } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRedisConnection } from '../../src/queue/connection.js';
import { pageSyncJob } from '../../src/queue/job-specs.js';
import { createProducer, QueueUnavailableError, type Producer } from '../../src/queue/producer.js';
import { DEFAULT_JOB_OPTIONS, createFlowProducer, createQueue, queuePrefix, type WorkQueue } from '../../src/queue/queues.js';
import { removePrefix, startRedisProxy, testRedis, uniquePrefix } from '../support/redis.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const spec = (path: string, commit = 'c1') =>
  pageSyncJob({ projectId: 9, path: `content/job-families/${path}.md`, change: 'modified', commit, trigger: 'webhook' });

describe('producer', () => {
  const prefix = uniquePrefix('producer');
  let connection: Redis;
  let admin: Redis;
  let queue: WorkQueue;
  let flows: FlowProducer;
  let producer: Producer;

  beforeAll(async () => {
    admin = testRedis();
    connection = createRedisConnection(REDIS_URL, 'producer');
    queue = createQueue(connection, { prefix });
    flows = createFlowProducer(connection, prefix);
    producer = createProducer({ queue, flows, connection });
    await queue.waitUntilReady();
  });
  beforeEach(async () => {
    await removePrefix(admin, prefix);
  });
  afterAll(async () => {
    await queue.close();
    await flows.close();
    connection.disconnect();
    await removePrefix(admin, prefix);
    admin.disconnect();
  });

  it('keeps the queue under its hash-tagged prefix', async () => {
    expect(queuePrefix('handbook-bot')).toBe('{handbook-bot}');
    expect(queuePrefix('{x}')).toBe('{x}');
    await producer.enqueue([spec('a')]);
    const keys = await admin.keys(`*${prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((key) => key.startsWith(`{${prefix}}:work:`))).toBe(true);
  });

  it('queues several jobs in one MULTI/EXEC, with the default options, and returns their ids', async () => {
    const monitor = await admin.monitor();
    const commands: string[] = [];
    monitor.on('monitor', (_time: string, args: string[]) => {
      const name = (args[0] ?? '').toLowerCase();
      if (['multi', 'exec', 'evalsha', 'eval'].includes(name)) commands.push(name);
    });
    const specs = [spec('a'), spec('b'), spec('c')];
    const ids = await producer.enqueue(specs);
    await new Promise((resolve) => setTimeout(resolve, 100));
    monitor.disconnect();

    expect(ids).toEqual(specs.map((s) => s.id));
    const first = commands.indexOf('multi');
    expect(first).toBeGreaterThanOrEqual(0);
    expect(commands.slice(first, first + 5)).toEqual(['multi', 'evalsha', 'evalsha', 'evalsha', 'exec']);
    const job = await queue.getJob(specs[1]?.id ?? '');
    expect(job?.data).toEqual(specs[1]?.data);
    expect(job?.opts).toMatchObject({ attempts: DEFAULT_JOB_OPTIONS.attempts, backoff: DEFAULT_JOB_OPTIONS.backoff });
  });

  it('adds a job whose id exists only once, and still answers its id', async () => {
    await producer.enqueue([spec('a'), spec('b')]);
    expect(await producer.enqueue([spec('a')])).toEqual([spec('a').id]);
    expect(await producer.enqueue([spec('a'), spec('b')])).toEqual([spec('a').id, spec('b').id]);
    expect(await queue.getWaitingCount()).toBe(2);
  });

  it('queues a re-run once while the same re-run is pending, and answers the pending id', async () => {
    const rerun = (path: string, nonce: string) =>
      pageSyncJob({ projectId: 9, path: `content/job-families/${path}.md`, change: 'modified', commit: 'c1', trigger: 'sync' }, nonce);
    const [first] = await producer.enqueue([rerun('a', 'n1')]);
    expect(first).toBe(`${spec('a').id}.rerun-n1`);
    expect(await producer.enqueue([rerun('a', 'n2')])).toEqual([first]);
    expect(await producer.enqueue([rerun('a', 'n3'), rerun('b', 'n3')])).toEqual([first, `${spec('b').id}.rerun-n3`]);
    // `sync` is backfill: its jobs wait in BullMQ's prioritized set, behind interactive work.
    expect(await queue.getPrioritizedCount()).toBe(2);
    // Once it is no longer pending, a new re-run of the same work queues again.
    await (await queue.getJob(first ?? ''))?.remove();
    expect(await producer.enqueue([rerun('a', 'n4')])).toEqual([`${spec('a').id}.rerun-n4`]);
  });

  it('queues nothing for no jobs', async () => {
    expect(await producer.enqueue([])).toEqual([]);
  });

  it('fails fast with QueueUnavailableError when Redis is unreachable', async () => {
    const proxy = await startRedisProxy();
    const offline = createRedisConnection(proxy.url, 'producer', { redis: { retryStrategy: () => 50 } });
    const offlineQueue = createQueue(offline, { prefix });
    const offlineFlows = createFlowProducer(offline, prefix);
    offlineQueue.on('error', () => undefined);
    offlineFlows.on('error', () => undefined);
    await offlineQueue.waitUntilReady();
    await proxy.stop();
    while (offline.status === 'ready') await new Promise((resolve) => setTimeout(resolve, 10));
    const unreachable = createProducer({ queue: offlineQueue, flows: offlineFlows, connection: offline });
    try {
      // Rejected while Redis is still unreachable: enqueue does not wait for a reconnect.
      await expect(unreachable.enqueue([spec('x')])).rejects.toBeInstanceOf(QueueUnavailableError);
      await expect(unreachable.enqueue([spec('x'), spec('y')])).rejects.toBeInstanceOf(QueueUnavailableError);
    } finally {
      await proxy.start();
      await offlineQueue.close();
      await offlineFlows.close();
      offline.disconnect();
      await proxy.stop();
    }
  });
});
