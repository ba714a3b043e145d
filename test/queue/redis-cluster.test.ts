import type { Worker } from 'bullmq';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterTopology } from '../../src/config/redis-topology.js';
import { createRedisBudget } from '../../src/gitlab/budget.js';
import { createLogger } from '../../src/log.js';
import { writeFamily } from '../../src/actions/shared/page-index.js';
import { createRedisConnection, probeRedis, type RedisClient } from '../../src/queue/connection.js';
import { withKeyedLock } from '../../src/queue/keyed-lock.js';
import { deploymentKeys } from '../../src/queue/keys.js';
import { createWorkerRunner, type JobOf } from '../../src/queue/worker.js';
import type { JobName } from '../../src/queue/jobs.js';
import { HANDBOOK, PAGE_A, PAGE_B, handbookPush, inProject, loadFixture } from '../support/fixtures.js';
import { command, startRedisCluster, waitFor, type RedisClusterUnderTest } from '../support/redis-servers.js';
import { uniquePrefix } from '../support/redis.js';
import { testSettings } from '../support/settings.js';
import { startBot, type BotUnderTest } from '../webhook/harness.js';
import { everyProcessor } from '../support/processors.js';

/**
 * The bot on a real 3-master Redis Cluster (private redis-server processes on free loopback ports):
 * the webhook app queues, the worker processes, a redelivery is answered duplicate, as on one node;
 * every key the bot writes hashes to the deployment's slot.
 */

const PUSH_AFTER = 'c1a5e0c1a5e0c1a5e0c1a5e0c1a5e0c1a5e0c1a5';
const MR_HEAD = 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7';

describe('on a Redis Cluster', () => {
  const prefix = uniquePrefix('cluster');
  let cluster: RedisClusterUnderTest;
  let topology: ClusterTopology;
  let bot: BotUnderTest;
  let workerConnection: RedisClient;
  let worker: Worker | undefined;
  let admin: Cluster;
  /** Processor invocations: [job name, job id, page path or MR iid]. */
  const runs: Array<[string, string, string]> = [];

  const record = (name: JobName) => (job: JobOf<JobName>) => {
    const data = job.data as { path?: string; mrIid?: number };
    runs.push([name, job.id ?? '', data.path ?? String(data.mrIid ?? '')]);
    return Promise.resolve();
  };
  const processors = everyProcessor(record);

  beforeAll(async () => {
    cluster = await startRedisCluster();
    topology = { kind: 'cluster', nodes: cluster.nodes };
    const settings = testSettings({ config: { handbook: { project: HANDBOOK.path } }, env: { queuePrefix: prefix } });
    bot = await startBot({ path: 'fast', prefix, settings, topology });
    workerConnection = createRedisConnection(topology, 'worker', { name: 'cluster-test-worker' });
    worker = createWorkerRunner({ connection: workerConnection, prefix, processors, logger: createLogger('silent'), concurrency: 2 });
    admin = new Cluster(cluster.nodes);
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    workerConnection?.disconnect();
    await bot?.close();
    admin?.disconnect();
    await cluster?.close();
  }, 30_000);

  it('builds producer and worker connections with their opposite policies', () => {
    expect(bot.redis).toBeInstanceOf(Cluster);
    expect(workerConnection).toBeInstanceOf(Cluster);
    const producer = bot.redis as Cluster;
    const consumer = workerConnection as Cluster;
    expect(producer.options.enableOfflineQueue).toBe(false);
    expect(producer.options.redisOptions?.maxRetriesPerRequest).toBe(1);
    expect(consumer.options.enableOfflineQueue).toBe(true);
    // BullMQ looks for this on a Cluster's redisOptions, and refuses blocking calls without it.
    expect(consumer.options.redisOptions?.maxRetriesPerRequest).toBeNull();
  });

  it('queues a push and a merge request, processes them, and answers a redelivery duplicate', async () => {
    const push = { ...handbookPush(), after: PUSH_AFTER };
    const pushHeaders = { 'x-gitlab-event-uuid': 'cluster-push-1' };
    const first = await bot.post('Push Hook', push, { headers: pushHeaders });
    expect(first.status).toBe(202);
    expect((first.json.jobs as string[]).length).toBe(2);

    const mr = inProject(loadFixture('merge_request'), HANDBOOK);
    const mrReply = await bot.post('Merge Request Hook', mr, { headers: { 'x-gitlab-event-uuid': 'cluster-mr-1' } });
    expect(mrReply.status).toBe(202);
    expect(mrReply.json).toEqual({ status: 'queued', jobs: [`mr-checklist.${HANDBOOK.id}.1.${MR_HEAD}`] });

    await waitFor('3 jobs processed', () => Promise.resolve(runs.length >= 3), 20_000);

    // GitLab redelivers both: nothing new is queued or run.
    expect((await bot.post('Push Hook', push, { headers: pushHeaders })).json).toEqual({ status: 'duplicate' });
    expect((await bot.post('Merge Request Hook', mr, { headers: { 'x-gitlab-event-uuid': 'cluster-mr-1' } })).json).toEqual({
      status: 'duplicate',
    });
    const counts = await bot.queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
    expect(counts).toEqual({ waiting: 0, paused: 0, active: 0, delayed: 0, completed: 3, failed: 0 });

    expect(runs.map(([name, , detail]) => [name, detail]).sort()).toEqual([
      ['mr-checklist', '1'],
      ['page-sync', PAGE_A],
      ['page-sync', PAGE_B],
    ]);
    expect(runs.map(([, id]) => id).sort()).toEqual([...(first.json.jobs as string[]), `mr-checklist.${HANDBOOK.id}.1.${MR_HEAD}`].sort());
    expect((await bot.get('/readyz')).json).toEqual({ status: 'ready' });
  });

  it('keeps every key the bot writes in the deployment hash tag’s slot', async () => {
    const keys = deploymentKeys(prefix);
    // The rest of what workers write: a keyed lock, the page index, the GitLab budget.
    await withKeyedLock(workerConnection, `${keys.lockPrefix}okr-issue:4242:backend-engineer`, async () => {
      await writeFamily(workerConnection, keys.lockPrefix, {
        slug: 'backend-engineer',
        path: PAGE_A,
        title: 'Backend Engineer',
        commit: PUSH_AFTER,
        roles: [],
      });
    });
    await createRedisBudget({ redis: bot.redis, queuePrefix: prefix, requests: 10, creates: 10 }).take('create', {
      method: 'POST',
      path: '/projects/1/notes',
    });

    const slot = Number(await admin.cluster('KEYSLOT', `{${prefix}}`));
    const holders: Array<{ port: number; keys: string[] }> = [];
    for (const { port } of cluster.nodes) {
      const found = (await command(port, 'KEYS', `*${prefix}*`)) as string[];
      holders.push({ port, keys: found });
    }
    const all = holders.flatMap((holder) => holder.keys);
    // One node holds them all, and each key is in the tag's slot.
    expect(holders.filter((holder) => holder.keys.length > 0)).toHaveLength(1);
    for (const key of all) expect([key, Number(await admin.cluster('KEYSLOT', key))]).toEqual([key, slot]);
    const kinds = new Set(all.map((key) => key.replace(`{${prefix}}:`, '').replace(/:.*$/, '')));
    expect([...kinds].sort()).toEqual(['delivery', 'gitlab-creates', 'gitlab-requests', 'lock', 'work'].sort());
    expect(all).toContain(`{${prefix}}:lock:pages`);
  });

  it('refuses at start a cluster node given as REDIS_URL, saying what to set instead', async () => {
    const [node] = cluster.nodes;
    const reason = await probeRedis({ kind: 'single', url: `redis://127.0.0.1:${node?.port ?? 0}` });
    expect(reason).toBe(
      'it is a Redis Cluster node (cluster_enabled:1), which REDIS_URL cannot use: unset REDIS_URL and list the cluster nodes in REDIS_CLUSTER_NODES=host:port,host:port',
    );
    expect(await probeRedis(topology)).toBeUndefined();
  });
});
