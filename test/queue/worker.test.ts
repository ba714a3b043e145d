import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { createRedisConnection } from '../../src/queue/connection.js';
import { pageSyncJob } from '../../src/queue/job-specs.js';
import type { PageSyncData } from '../../src/queue/jobs.js';
import { GITLAB_AWARE_BACKOFF } from '../../src/queue/backoff.js';
import { createQueue, type WorkQueue } from '../../src/queue/queues.js';
import { createWorkerRunner, isPermanentError, type Processors } from '../../src/queue/worker.js';
import { removePrefix, testRedis, uniquePrefix } from '../support/redis.js';
import { everyProcessor } from '../support/processors.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Line {
  msg: string;
  [key: string]: unknown;
}

async function settled(queue: WorkQueue, id: string, timeoutMs = 10_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await queue.getJob(id);
    const state = job ? await job.getState() : 'missing';
    if (job && (state === 'completed' || state === 'failed')) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${state}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const pageSync = (commit: string, path = 'content/job-families/a.md') =>
  pageSyncJob({ projectId: 1, path, change: 'modified', commit, trigger: 'webhook' });

describe('worker runner', () => {
  const prefix = uniquePrefix('worker');
  let producer: Redis;
  let workerConnection: Redis;
  let admin: Redis;
  let queue: WorkQueue;
  const lines: Line[] = [];
  const logger = createLogger('debug', { write: (line: string) => void lines.push(JSON.parse(line) as Line) });
  const workers: Array<{ close(): Promise<void> }> = [];

  const unused = (name: string) => () => Promise.reject(new Error(`${name} should not run`));
  const processors = (overrides: Partial<Processors>): Processors => everyProcessor(unused, overrides);
  const start = (p: Processors) => {
    const worker = createWorkerRunner({ connection: workerConnection, prefix, processors: p, logger, concurrency: 2 });
    workers.push(worker);
    return worker;
  };

  beforeAll(() => {
    admin = testRedis();
    producer = createRedisConnection(REDIS_URL, 'producer');
    workerConnection = createRedisConnection(REDIS_URL, 'worker');
    // Short backoff so retries happen within the test; the shape (exponential, jitter) is production's.
    queue = createQueue(producer, {
      prefix,
      defaultJobOptions: { attempts: 3, backoff: { type: GITLAB_AWARE_BACKOFF, delay: 200 }, removeOnFail: false, removeOnComplete: false },
    });
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.close()));
    lines.length = 0;
  });
  afterAll(async () => {
    await queue.close();
    producer.disconnect();
    workerConnection.disconnect();
    await removePrefix(admin, prefix);
    admin.disconnect();
  });

  it('retries a failing job with exponential backoff, then completes', async () => {
    const attempts: number[] = [];
    start(
      processors({
        'page-sync': async (job) => {
          attempts.push(Date.now());
          if (attempts.length < 3) throw new Error('GitLab answered 502');
          return { synced: job.data.path };
        },
      }),
    );
    const spec = pageSync('retry1');
    await queue.add(spec.name, spec.data, { jobId: spec.id });
    const job = await settled(queue, spec.id);

    expect(await job.getState()).toBe('completed');
    expect(job.returnvalue).toEqual({ synced: 'content/job-families/a.md' });
    expect(attempts).toHaveLength(3);
    // 200 ms then 400 ms, each with up to 50 % jitter taken off.
    const [a = 0, b = 0, c = 0] = attempts;
    const gaps = `gaps between attempts: ${b - a} ms, ${c - b} ms`;
    expect(b - a, gaps).toBeGreaterThanOrEqual(100);
    expect(c - b, gaps).toBeGreaterThanOrEqual(200);
    const failures = lines.filter((line) => line.msg === 'job failed');
    expect(failures.map((line) => line.willRetry)).toEqual([true, true]);
    expect(lines.filter((line) => line.msg === 'job finished')).toHaveLength(1);
  });

  it('waits as long as GitLab asked (Retry-After carried by the error) before the next attempt', async () => {
    const attempts: number[] = [];
    start(
      processors({
        'page-sync': async (job) => {
          attempts.push(Date.now());
          if (attempts.length === 1) throw Object.assign(new Error('GitLab answered 429, Retry-After: 1.5 s'), { delayMs: 1_500 });
          return { synced: job.data.path };
        },
      }),
    );
    const spec = pageSync('retryafter1');
    await queue.add(spec.name, spec.data, { jobId: spec.id });
    const job = await settled(queue, spec.id);
    expect(await job.getState()).toBe('completed');
    const [a = 0, b = 0] = attempts;
    // The job's own backoff would have been 100–200 ms.
    expect(b - a).toBeGreaterThanOrEqual(1_500);
  });

  it('fails at once, without retries, on a permanent error', async () => {
    let calls = 0;
    start(
      processors({
        'page-sync': async () => {
          calls += 1;
          throw Object.assign(new Error('GitLab answered 404: project not found'), { permanent: true });
        },
      }),
    );
    const spec = pageSync('permanent1');
    await queue.add(spec.name, spec.data, { jobId: spec.id });
    const job = await settled(queue, spec.id);

    expect(await job.getState()).toBe('failed');
    expect(job.failedReason).toBe('GitLab answered 404: project not found');
    expect(calls).toBe(1);
    expect(job.attemptsMade).toBe(1);
    expect(lines.find((line) => line.msg === 'job failed')).toMatchObject({ permanent: true, willRetry: false });
  });

  it('spends every attempt on a transient error, then keeps the job as failed', async () => {
    let calls = 0;
    start(
      processors({
        'page-sync': async () => {
          calls += 1;
          throw new Error('ECONNRESET');
        },
      }),
    );
    const spec = pageSync('transient1');
    await queue.add(spec.name, spec.data, { jobId: spec.id, backoff: { type: 'fixed', delay: 10 } });
    const job = await settled(queue, spec.id);
    expect(await job.getState()).toBe('failed');
    expect(calls).toBe(3);
  });

  it('dispatches by job name and refuses names it does not know', async () => {
    const seen: string[] = [];
    start(
      processors({
        'page-sync': async (job) => {
          seen.push(`page-sync:${job.data.path}`);
        },
        command: async (job) => {
          seen.push(`command:${job.data.commandText}`);
        },
      }),
    );
    const sync = pageSync('dispatch1', 'content/job-families/b.md');
    await queue.add(sync.name, sync.data, { jobId: sync.id });
    await queue.add(
      'command',
      { projectId: 1, noteableKind: 'Issue', noteableIid: 2, noteId: 3, authorId: 4, authorUsername: 'alice', commandText: 'help' },
      { jobId: 'command.1.3' },
    );
    // A name outside the contract (an older or newer producer): failed for good, not retried.
    await queue.add('mystery' as 'command', {} as PageSyncData, { jobId: 'mystery.1' });
    await settled(queue, sync.id);
    await settled(queue, 'command.1.3');
    const mystery = await settled(queue, 'mystery.1');
    expect(seen.sort()).toEqual(['command:help', 'page-sync:content/job-families/b.md']);
    expect(mystery.failedReason).toBe('no processor for job "mystery"');
    expect(mystery.attemptsMade).toBe(1);
  });
});

describe('isPermanentError', () => {
  it('is true only for permanent === true', () => {
    expect(isPermanentError(Object.assign(new Error('x'), { permanent: true }))).toBe(true);
    expect(isPermanentError({ permanent: true })).toBe(true);
    expect(isPermanentError(Object.assign(new Error('x'), { permanent: 'yes' }))).toBe(false);
    expect(isPermanentError(new Error('x'))).toBe(false);
    expect(isPermanentError(null)).toBe(false);
  });
});
