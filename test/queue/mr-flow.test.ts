import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { createRedisConnection } from '../../src/queue/connection.js';
import { mrChecklistJob, pageReviewJob } from '../../src/queue/job-specs.js';
import type { MrChecklistData } from '../../src/queue/jobs.js';
import { runMrChecklist, type ChildResults } from '../../src/queue/mr-flow.js';
import { createFlowProducer, createQueue, type WorkQueue } from '../../src/queue/queues.js';
import { createWorkerRunner, type Processors } from '../../src/queue/worker.js';
import { removePrefix, testRedis, uniquePrefix } from '../support/redis.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PAGE_A = 'content/job-families/engineering/backend-engineer.md';
const PAGE_B = 'content/job-families/security/security-leadership.md';

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('merge request flow', () => {
  const prefix = uniquePrefix('mrflow');
  let producer: Redis;
  let workerConnection: Redis;
  let admin: Redis;
  let queue: WorkQueue;
  const flows = () => createFlowProducer(producer, prefix);
  const logger = createLogger('silent');

  beforeAll(() => {
    admin = testRedis();
    producer = createRedisConnection(REDIS_URL, 'producer');
    workerConnection = createRedisConnection(REDIS_URL, 'worker');
    queue = createQueue(producer, { prefix, defaultJobOptions: { attempts: 2, backoff: { type: 'fixed', delay: 10 } } });
  });
  afterAll(async () => {
    await queue.close();
    producer.disconnect();
    workerConnection.disconnect();
    await removePrefix(admin, prefix);
    admin.disconnect();
  });

  it('fans out one page-review per page, waits for them, then sees their results', async () => {
    const flowProducer = flows();
    let listed = 0;
    let release!: () => void;
    const childrenMayFinish = new Promise<void>((resolve) => (release = resolve));
    const notes: Array<{ data: MrChecklistData; results: ChildResults }> = [];

    const processors: Processors = {
      'mr-checklist': (job, token) =>
        runMrChecklist(
          job,
          token,
          {
            listPages: async () => {
              listed += 1;
              return [{ oldPath: PAGE_A, path: PAGE_A }, { path: PAGE_B }, { oldPath: 'content/job-families/gone.md' }];
            },
            writeNote: async (data, results) => {
              notes.push({ data, results });
              return { pages: Object.keys(results.values).length, failed: Object.keys(results.failures).length };
            },
          },
          { flows: flowProducer, jobOptions: { attempts: 1 } },
        ),
      'page-review': async (job) => {
        await childrenMayFinish;
        if (job.data.path === undefined) throw Object.assign(new Error('cannot review a deleted page'), { permanent: true });
        return { path: job.data.path, items: job.data.oldPath ? 2 : 1 };
      },
      'page-sync': async () => undefined,
      'push-resolve': async () => undefined,
      'mr-gate': async () => undefined,
      'recruiting-issue': async () => undefined,
      command: async () => undefined,
      'sync-all': async () => undefined,
      'quarter-rollover': async () => undefined,
    };
    const worker = createWorkerRunner({ connection: workerConnection, prefix, processors, logger, concurrency: 4 });

    try {
      const parent = mrChecklistJob({
        projectId: 1,
        mrIid: 7,
        headSha: 'head1',
        targetBranch: 'main',
        trigger: 'webhook',
        step: 'list-pages',
      });
      await queue.add(parent.name, parent.data, { jobId: parent.id });

      // The parent parks in waiting-children while its children run.
      await waitFor(async () => (await queue.getJob(parent.id))?.getState().then((s) => (s === 'waiting-children' ? s : undefined)));
      const stored = await queue.getJob(parent.id);
      expect(stored?.data).toMatchObject({ step: 'write-note' });
      expect(await stored?.getDependenciesCount()).toMatchObject({ unprocessed: 3 });
      release();

      const done = await waitFor(async () => {
        const job = await queue.getJob(parent.id);
        return (await job?.getState()) === 'completed' ? (job as Job) : undefined;
      });
      expect(done.returnvalue).toEqual({ pages: 2, failed: 1 });
      expect(listed).toBe(1); // resumed at write-note, not listed again
      const childA = pageReviewJob({ projectId: 1, mrIid: 7, targetBranch: 'main', headSha: 'head1', path: PAGE_A }, parent.id).id;
      const childB = pageReviewJob({ projectId: 1, mrIid: 7, targetBranch: 'main', headSha: 'head1', path: PAGE_B }, parent.id).id;
      const gone = pageReviewJob(
        { projectId: 1, mrIid: 7, targetBranch: 'main', headSha: 'head1', oldPath: 'content/job-families/gone.md' },
        parent.id,
      ).id;
      expect(notes).toHaveLength(1);
      expect(notes[0]?.results.values).toEqual({ [childA]: { path: PAGE_A, items: 2 }, [childB]: { path: PAGE_B, items: 1 } });
      expect(notes[0]?.results.failures).toEqual({ [gone]: 'cannot review a deleted page' });
      expect((await queue.getJob(childA))?.data).toEqual({
        projectId: 1,
        mrIid: 7,
        targetBranch: 'main',
        headSha: 'head1',
        oldPath: PAGE_A,
        path: PAGE_A,
      });
    } finally {
      await worker.close();
      await flowProducer.close();
    }
  });

  it('writes the note at once when no page changed', async () => {
    const flowProducer = flows();
    const processors = {
      'mr-checklist': (job, token) =>
        runMrChecklist(job, token, { listPages: async () => [], writeNote: async (_data, results) => results }, { flows: flowProducer }),
    } as Partial<Processors> as Processors;
    const worker = createWorkerRunner({ connection: workerConnection, prefix, processors, logger });
    try {
      const parent = mrChecklistJob({
        projectId: 1,
        mrIid: 8,
        headSha: 'head2',
        targetBranch: 'main',
        trigger: 'webhook',
        step: 'list-pages',
      });
      await queue.add(parent.name, parent.data, { jobId: parent.id });
      const done = await waitFor(async () => {
        const job = await queue.getJob(parent.id);
        return (await job?.getState()) === 'completed' ? (job as Job) : undefined;
      });
      expect(done.returnvalue).toEqual({ values: {}, failures: {} });
    } finally {
      await worker.close();
      await flowProducer.close();
    }
  });
});
