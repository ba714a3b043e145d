import { Worker } from 'bullmq';
import { describe, expect, it } from 'vitest';
import type { RedisTopology } from '../../src/config/redis-topology.js';
import { createLogger } from '../../src/log.js';
import { createRedisConnection, probeRedis, redisStartupError } from '../../src/queue/connection.js';
import { createWorkerRunner, errorStreakLog, type Processors } from '../../src/queue/worker.js';
import { freePort } from '../e2e/support/free-port.js';
import { REDIS_URL, uniquePrefix } from '../support/redis.js';

/** Startup errors name the topology and the address that failed; worker errors are logged once a streak. */

interface Line {
  level: number;
  msg: string;
  [key: string]: unknown;
}

function captureLogger(): { logger: ReturnType<typeof createLogger>; lines: Line[] } {
  const lines: Line[] = [];
  return { lines, logger: createLogger('debug', { write: (line: string) => void lines.push(JSON.parse(line) as Line) }) };
}

describe('a Redis that cannot be used at start', () => {
  it('names the cluster nodes and the variable, with the cause and how to fix it', async () => {
    const [a, b] = [await freePort(), await freePort()];
    const topology: RedisTopology = {
      kind: 'cluster',
      nodes: [
        { host: '127.0.0.1', port: a },
        { host: '127.0.0.1', port: b },
      ],
      password: 'never-shown',
    };
    const reason = await probeRedis(topology);
    expect(reason).toBe(`127.0.0.1:${a}: ECONNREFUSED, 127.0.0.1:${b}: ECONNREFUSED`);
    const message = redisStartupError(topology, reason ?? '');
    expect(
      message.startsWith(
        `cannot reach Redis Cluster at 127.0.0.1:${a},127.0.0.1:${b} (REDIS_CLUSTER_NODES): 127.0.0.1:${a}: ECONNREFUSED, `,
      ),
    ).toBe(true);
    expect(message).toContain('Check that REDIS_CLUSTER_NODES lists reachable cluster nodes as host:port');
    expect(message).not.toContain('never-shown');
  });

  it('names the sentinels and the master name', async () => {
    const port = await freePort();
    const topology: RedisTopology = { kind: 'sentinel', sentinels: [{ host: '127.0.0.1', port }], name: 'bot-master' };
    const reason = await probeRedis(topology);
    expect(reason).toBe(`127.0.0.1:${port}: ECONNREFUSED`);
    expect(redisStartupError(topology, reason ?? '')).toBe(
      `cannot reach Redis Sentinel master "bot-master" via 127.0.0.1:${port} (REDIS_SENTINELS): 127.0.0.1:${port}: ECONNREFUSED. ` +
        'Check that REDIS_SENTINELS lists reachable sentinels as host:port, that REDIS_SENTINEL_NAME is the name they monitor ' +
        '(`redis-cli -p <port> sentinel masters`), and that REDIS_PASSWORD (master) and REDIS_SENTINEL_PASSWORD (sentinels) are right.',
    );
  });

  it('names the single node with its password masked', async () => {
    const port = await freePort();
    const topology: RedisTopology = { kind: 'single', url: `redis://:hunter2@127.0.0.1:${port}` };
    const reason = await probeRedis(topology);
    expect(reason).toBe(`connect ECONNREFUSED 127.0.0.1:${port}`);
    expect(redisStartupError(topology, reason ?? '')).toBe(
      `cannot reach Redis at redis://:***@127.0.0.1:${port} (REDIS_URL): connect ECONNREFUSED 127.0.0.1:${port}. ` +
        'Start one (for example `redis-server`, or `docker compose up redis`), or set REDIS_URL to where it runs ' +
        '(REDIS_CLUSTER_NODES for a Redis Cluster, REDIS_SENTINELS for Sentinel).',
    );
  });

  it('passes a healthy single node', async () => {
    expect(await probeRedis({ kind: 'single', url: REDIS_URL })).toBeUndefined();
  });
});

describe('worker errors', () => {
  it('are logged once per streak of consecutive errors, again after a success', () => {
    const { logger, lines } = captureLogger();
    const streak = errorStreakLog(logger, 'worker error', 'worker recovered');
    streak.error(new Error('Connection is closed.'));
    streak.error(new Error('Connection is closed.'));
    streak.error(new Error('READONLY You can’t write against a read only replica.'));
    streak.success();
    streak.success();
    streak.error(new Error('ECONNREFUSED'));
    expect(lines.map(({ level, msg, err, errors }) => ({ level, msg, err, errors }))).toEqual([
      { level: 40, msg: 'worker error', err: 'Connection is closed.', errors: undefined },
      { level: 30, msg: 'worker recovered', err: undefined, errors: 3 },
      { level: 40, msg: 'worker error', err: 'ECONNREFUSED', errors: undefined },
    ]);
  });

  it('the worker runner logs a streak of BullMQ errors once, and again after a completed job', async () => {
    const { logger, lines } = captureLogger();
    const connection = createRedisConnection(REDIS_URL, 'worker');
    const unused = () => Promise.resolve();
    const processors: Processors = {
      'page-sync': unused,
      'push-resolve': unused,
      'mr-checklist': unused,
      'page-review': unused,
      'recruiting-issue': unused,
      command: unused,
      'sync-all': unused,
      'mr-gate': unused,
      'quarter-rollover': unused,
    };
    const worker = createWorkerRunner({ connection, prefix: uniquePrefix('streak'), processors, logger, autorun: false });
    try {
      expect(worker).toBeInstanceOf(Worker);
      for (let job = 0; job < 5; job++) worker.emit('error', new Error('Connection is closed.'));
      worker.emit('completed', {} as never, undefined, 'active');
      for (let job = 0; job < 5; job++) worker.emit('error', new Error('Connection is closed.'));
      expect(lines.filter((line) => line.msg === 'worker error')).toHaveLength(2);
      expect(lines.filter((line) => line.msg === 'worker recovered').map((line) => line.errors)).toEqual([5]);
    } finally {
      await worker.close();
      connection.disconnect();
    }
  });
});
