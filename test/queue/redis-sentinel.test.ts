import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SentinelTopology } from '../../src/config/redis-topology.js';
import { createLogger } from '../../src/log.js';
import { createRedisConnection, probeRedis, type RedisClient } from '../../src/queue/connection.js';
import type { JobName } from '../../src/queue/jobs.js';
import { createWorkerRunner, type JobOf } from '../../src/queue/worker.js';
import { HANDBOOK, handbookPush } from '../support/fixtures.js';
import { startSentinelGroup, waitFor, type SentinelGroupUnderTest } from '../support/redis-servers.js';
import { uniquePrefix } from '../support/redis.js';
import { testSettings } from '../support/settings.js';
import { startBot, type BotUnderTest, type Reply } from '../webhook/harness.js';
import { everyProcessor } from '../support/processors.js';

/**
 * The bot on a Sentinel group (master, one replica, three sentinels; private redis-server processes
 * on free loopback ports). Deliveries keep coming while the master is SIGKILLed: the server keeps
 * answering (503 while there is no master, so GitLab redelivers), the sentinels promote the replica,
 * and every job of every accepted (202) delivery runs exactly once.
 */

const ANSWER_WITHIN_MS = 10_000;

/** A distinct 40-hex commit per delivery, so each queues jobs of its own. */
const commit = (n: number) => n.toString(16).padStart(40, 'a');

describe('on a Sentinel group', () => {
  const prefix = uniquePrefix('sentinel');
  let group: SentinelGroupUnderTest;
  let topology: SentinelTopology;
  let bot: BotUnderTest;
  let workerConnection: RedisClient;
  let worker: Worker | undefined;
  /** Processor invocations per job id. */
  const runs = new Map<string, number>();

  const count = () => (job: JobOf<JobName>) => {
    const id = job.id ?? '';
    runs.set(id, (runs.get(id) ?? 0) + 1);
    return new Promise<void>((resolve) => setTimeout(resolve, 5));
  };
  const processors = everyProcessor(count);

  beforeAll(async () => {
    group = await startSentinelGroup('hbt-master');
    topology = { kind: 'sentinel', sentinels: group.sentinels, name: group.name };
    const settings = testSettings({ config: { handbook: { project: HANDBOOK.path } }, env: { queuePrefix: prefix } });
    bot = await startBot({ path: 'fast', prefix, settings, topology });
    workerConnection = createRedisConnection(topology, 'worker', { name: 'sentinel-test-worker', redis: { retryStrategy: () => 100 } });
    // A job the old master handed to the worker just before dying, whose reply was lost with it, stays
    // "active" on the new master until its lock lapses and the stalled check hands it out again (it runs
    // once, late). A 10 s lock (HANDBOOK_BOT_WORKER_LOCK_MS) bounds that within the test's wait, and is
    // still far longer than a failover, so no live job loses its lock and runs twice.
    worker = createWorkerRunner({
      connection: workerConnection,
      prefix,
      processors,
      logger: createLogger('silent'),
      concurrency: 2,
      lockDurationMs: 10_000,
    });
  }, 60_000);

  afterAll(async () => {
    await worker?.close(true);
    workerConnection?.disconnect();
    await bot?.close();
    await group?.close();
  }, 30_000);

  it('builds producer and worker connections with their opposite policies, through the sentinels', () => {
    const producer = bot.redis as Redis;
    const consumer = workerConnection as Redis;
    expect(producer.options.sentinels).toEqual(group.sentinels);
    expect(producer.options.name).toBe('hbt-master');
    expect(producer.options.enableOfflineQueue).toBe(false);
    expect(producer.options.maxRetriesPerRequest).toBe(1);
    expect(consumer.options.enableOfflineQueue).toBe(true);
    expect(consumer.options.maxRetriesPerRequest).toBeNull();
  });

  it('keeps answering while the master is killed, and runs every accepted job exactly once', async () => {
    const accepted = new Set<string>();
    const statuses = new Map<number, number>();
    let sent = 0;
    let acceptedAfterFailover = 0;
    let failedOver = false;
    let stop = false;

    const deliver = async (): Promise<void> => {
      sent += 1;
      const push = { ...handbookPush(), after: commit(sent) };
      let timer: NodeJS.Timeout | undefined;
      const reply = await Promise.race([
        bot.post('Push Hook', push),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`delivery ${sent} got no answer within ${ANSWER_WITHIN_MS} ms`)), ANSWER_WITHIN_MS);
        }),
      ]).finally(() => clearTimeout(timer));
      record(reply);
    };
    const record = (reply: Reply) => {
      statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
      if (reply.status !== 202) return;
      for (const id of reply.json.jobs as string[]) accepted.add(id);
      if (failedOver) acceptedAfterFailover += 1;
    };
    // Two deliveries in flight at any time, as GitLab sends them, until told to stop.
    const lane = async () => {
      while (!stop) await deliver();
    };
    const lanes = Promise.all([lane(), lane()]);

    try {
      await waitFor('20 jobs accepted before the kill', () => Promise.resolve(accepted.size >= 20), 20_000);
      const oldMaster = group.master.port;
      await group.master.kill();
      await waitFor('the sentinels to promote the replica', async () => (await group.masterPort()) === group.replica.port, 30_000);
      failedOver = true;
      await waitFor('10 deliveries accepted by the new master', () => Promise.resolve(acceptedAfterFailover >= 10), 30_000);
      expect(await group.masterPort()).not.toBe(oldMaster);
    } catch (error) {
      // Say what the bot was doing, so a failure here can be told from a slow failover.
      const answers = [...statuses].map(([status, times]) => `${times}×${status}`).join(', ');
      throw new Error(
        `${(error as Error).message}; answers so far: ${answers}; producer ${bot.redis.status}, worker ${workerConnection.status}`,
        { cause: error },
      );
    } finally {
      stop = true;
      await lanes;
    }

    // Every delivery got an answer: accepted, or 503 (GitLab redelivers) while there was no master.
    expect([...statuses.keys()].filter((status) => status !== 202 && status !== 503)).toEqual([]);
    try {
      await waitFor(`all ${accepted.size} accepted jobs to run`, () => Promise.resolve([...accepted].every((id) => runs.has(id))), 60_000);
    } catch (error) {
      // Lost with the old master, or waiting for a worker that stopped taking jobs? Say which.
      const missing = [...accepted].filter((id) => !runs.has(id));
      const states = await Promise.all(
        missing.slice(0, 5).map(async (id) => `${id}: ${(await (await bot.queue.getJob(id))?.getState()) ?? 'not in Redis'}`),
      );
      throw new Error(
        `${(error as Error).message}; ${missing.length} never ran (${states.join(', ')}); worker connection ${workerConnection.status}`,
        { cause: error },
      );
    }
    // A delivery answered 503 may still have queued its jobs (the connection dropped after the write,
    // before the reply); GitLab's redelivery would then queue nothing new. Those ran once too.
    // A processor counts its run when it starts; its completion is written just after.
    const settled = async () => {
      const counts = await bot.queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
      return { counts, done: counts.waiting === 0 && counts.active === 0 && counts.delayed === 0 };
    };
    await waitFor('the queue to settle', async () => (await settled()).done, 30_000);
    expect((await settled()).counts).toEqual({ waiting: 0, paused: 0, active: 0, delayed: 0, completed: runs.size, failed: 0 });
    const ranOtherThanOnce = [...runs].filter(([, times]) => times !== 1);
    expect(ranOtherThanOnce).toEqual([]);
    expect((await bot.get('/readyz')).json).toEqual({ status: 'ready' });
  }, 150_000);

  it('names the sentinel group at start when its name is wrong', async () => {
    const reason = await probeRedis({ ...topology, name: 'no-such-master' });
    expect(reason).toBe(
      'the sentinels know no master named "no-such-master" (REDIS_SENTINEL_NAME); `redis-cli -p <sentinel port> sentinel masters` lists the names they monitor',
    );
    expect(await probeRedis(topology)).toBeUndefined();
  });
});
