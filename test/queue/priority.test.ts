import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { createRedisConnection } from '../../src/queue/connection.js';
import { commandJob, mrChecklistJob, pageSyncJob, recruitingIssueJob, syncAllJob } from '../../src/queue/job-specs.js';
import { BACKFILL_PRIORITY, type JobName } from '../../src/queue/jobs.js';
import { createProducer, type Producer } from '../../src/queue/producer.js';
import { createFlowProducer, createQueue, type WorkQueue } from '../../src/queue/queues.js';
import { createWorkerRunner } from '../../src/queue/worker.js';
import { removePrefix, testRedis, uniquePrefix, REDIS_URL } from '../support/redis.js';
import { everyProcessor } from '../support/processors.js';

/**
 * Interactive first: backfill (`sync`, the periodic reconcile) is queued with a BullMQ priority, and
 * BullMQ serves every job without one first. The assertions are about order, never time; the time it
 * buys is measured by `npm run bench:priority`.
 */

const backfill = (index: number, trigger: 'sync' | 'reconcile' = 'sync') =>
  pageSyncJob({ projectId: 1, path: `content/job-families/p${index}.md`, change: 'modified', commit: 'c1', trigger }, `n${index}`);
const checklist = mrChecklistJob({ projectId: 1, mrIid: 5, headSha: 'abc', targetBranch: 'main', trigger: 'webhook', step: 'list-pages' });
const issueEvent = recruitingIssueJob({
  projectId: 2,
  issueIid: 7,
  action: 'update',
  addedLabels: ['hiring-stage::offer'],
  updatedAt: '2026-12-03T09:00:00Z',
  trigger: 'webhook',
});
const command = commandJob({
  projectId: 2,
  noteableKind: 'Issue',
  noteableIid: 7,
  noteId: 77,
  authorId: 5,
  authorUsername: 'alice',
  commandText: 'stage offer',
});

describe('job priorities', () => {
  it('backfill specs carry the backfill priority; interactive and push work carries none', () => {
    expect(backfill(1, 'sync').priority).toBe(10);
    expect(backfill(1, 'reconcile').priority).toBe(10);
    expect(BACKFILL_PRIORITY).toBe(10);
    expect(pageSyncJob({ projectId: 1, path: 'a.md', change: 'modified', commit: 'c1', trigger: 'webhook' }).priority).toBeUndefined();
    expect(pageSyncJob({ projectId: 1, path: 'a.md', change: 'modified', commit: 'c1', trigger: 'replay' }, 'x').priority).toBeUndefined();
    expect(checklist.priority).toBeUndefined();
    expect(issueEvent.priority).toBeUndefined();
    expect(command.priority).toBeUndefined();
    expect(mrChecklistJob({ ...checklist.data, trigger: 'recheck' }, 'x').priority).toBeUndefined();
    expect(syncAllJob({ trigger: 'reconcile' }, 'x').priority).toBe(10);
  });
});

describe('interactive work runs ahead of a queued backfill (real Redis and BullMQ)', () => {
  const prefix = uniquePrefix('priority');
  let connection: Redis;
  let workerConnection: Redis;
  let admin: Redis;
  let queue: WorkQueue;
  let producer: Producer;
  const logger = createLogger('silent');

  beforeAll(async () => {
    admin = testRedis();
    connection = createRedisConnection(REDIS_URL, 'producer');
    workerConnection = createRedisConnection(REDIS_URL, 'worker');
    queue = createQueue(connection, { prefix });
    producer = createProducer({ queue, flows: createFlowProducer(connection, prefix), connection });
    await queue.waitUntilReady();
  });
  beforeEach(async () => {
    await removePrefix(admin, prefix);
  });
  afterAll(async () => {
    await queue.close();
    connection.disconnect();
    workerConnection.disconnect();
    await removePrefix(admin, prefix);
    admin.disconnect();
  });

  /** A worker with one slot that records job names in the order it starts them. */
  function recordingWorker(order: string[], onStart?: (count: number) => Promise<void>) {
    const record = (name: JobName) => async (job: { id?: string | undefined }) => {
      order.push(`${name}:${job.id ?? ''}`);
      await onStart?.(order.length);
      return null;
    };
    const processors = everyProcessor(record);
    return createWorkerRunner({ connection: workerConnection, prefix, processors, logger, concurrency: 1 });
  }

  async function until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  it('a checklist, a recruiting-issue event and a command queued after 300 sync page-syncs run first', async () => {
    // One bulk add, as the sync command does, then the interactive jobs one by one, as webhooks do.
    await producer.enqueue(Array.from({ length: 300 }, (_, index) => backfill(index)));
    await producer.enqueue([checklist]);
    await producer.enqueue([issueEvent]);
    await producer.enqueue([command]);
    expect(await queue.getPrioritizedCount()).toBe(300);
    expect(await queue.getWaitingCount()).toBe(3);

    const order: string[] = [];
    const worker = recordingWorker(order);
    await until(() => order.length === 303);
    await worker.close();

    expect(order.slice(0, 3)).toEqual([`mr-checklist:${checklist.id}`, `recruiting-issue:${issueEvent.id}`, `command:${command.id}`]);
    expect(order.slice(3).every((entry) => entry.startsWith('page-sync:'))).toBe(true);
  });

  it('arriving while the backfill is being worked through, a checklist is the very next job started', async () => {
    await producer.enqueue(Array.from({ length: 200 }, (_, index) => backfill(index, 'reconcile')));
    const order: string[] = [];
    let added = -1;
    const worker = recordingWorker(order, async (count) => {
      // While the 20th backfill job runs, a merge request is opened.
      if (count === 20) {
        await producer.enqueue([checklist]);
        added = count;
      }
    });
    await until(() => order.length === 201);
    await worker.close();

    expect(added).toBe(20);
    expect(order[20]).toBe(`mr-checklist:${checklist.id}`);
    expect(order.filter((entry) => entry.startsWith('page-sync:'))).toHaveLength(200);
  });
});
