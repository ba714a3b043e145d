/**
 * Interactive first: how long a merge request's checklist waits when it arrives behind a 1,000-page
 * `sync`. Real Redis (REDIS_URL) and BullMQ, the product's producer, job specs and worker runner; the
 * processors only sleep for a page-sync's GitLab time (`--latency`, default 40 ms: two reads at ~20 ms),
 * so the figure is the queue's, not GitLab's.
 *
 *   npm run bench:priority                         # table
 *   npm run bench:priority -- --pages 1000 --latency 40 --concurrency 4 --json
 *
 * Two runs: `priority` (the product: backfill carries BACKFILL_PRIORITY) and `fifo` (the same specs with
 * the priority removed: what happened before). In each, the checklist is queued once the worker has
 * started 100 backfill jobs; the run stops when the checklist has finished. Exits 1 when, with
 * priorities, the checklist waits longer than 3 s to start.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { createLogger } from '../src/log.js';
import { createRedisConnection } from '../src/queue/connection.js';
import { mrChecklistJob, pageSyncJob } from '../src/queue/job-specs.js';
import type { JobName, JobSpec } from '../src/queue/jobs.js';
import { createProducer } from '../src/queue/producer.js';
import { createFlowProducer, createQueue } from '../src/queue/queues.js';
import { createWorkerRunner, type Processors } from '../src/queue/worker.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number (got ${process.argv[at + 1]})`);
  return value;
}

const PAGES = option('pages', 1000);
const LATENCY_MS = option('latency', 40);
const CONCURRENCY = option('concurrency', 4);
const STARTED_BEFORE_CHECKLIST = Math.min(100, PAGES);
const JSON_OUT = process.argv.includes('--json');

interface Run {
  mode: 'priority' | 'fifo';
  /** Checklist queued → started, and → finished (ms). */
  waitMs: number;
  doneMs: number;
  /** Backfill jobs started between the checklist's arrival and its start. */
  backfillAhead: number;
  /** Backfill jobs still queued when the checklist finished. */
  backfillLeft: number;
}

async function run(mode: Run['mode']): Promise<Run> {
  const prefix = `hbb-priority-${mode}-${process.pid}`;
  const connection = createRedisConnection(REDIS_URL, 'producer');
  const workerConnection = createRedisConnection(REDIS_URL, 'worker');
  const queue = createQueue(connection, { prefix });
  const flows = createFlowProducer(connection, prefix);
  const producer = createProducer({ queue, flows, connection });
  await queue.obliterate({ force: true });

  const strip = (spec: JobSpec): JobSpec => {
    if (mode === 'priority') return spec;
    const { priority: _priority, ...rest } = spec;
    return rest;
  };
  // Queued as `handbook-bot sync` does: 50 at a time.
  const specs = Array.from({ length: PAGES }, (_, index) =>
    strip(pageSyncJob({ projectId: 1, path: `content/job-families/p${index}.md`, change: 'modified', commit: 'c1', trigger: 'sync' })),
  );
  for (let start = 0; start < specs.length; start += 50) await producer.enqueue(specs.slice(start, start + 50));

  const checklist = mrChecklistJob({
    projectId: 1,
    mrIid: 5,
    headSha: `h${mode}`,
    targetBranch: 'main',
    trigger: 'webhook',
    step: 'list-pages',
  });
  let backfillStarted = 0;
  let queuedAt = 0;
  let startedAt = 0;
  let doneAt = 0;
  let backfillAtQueue = 0;
  let backfillAtStart = 0;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));

  const backfillJob = async () => {
    backfillStarted += 1;
    if (backfillStarted === STARTED_BEFORE_CHECKLIST) {
      queuedAt = performance.now();
      backfillAtQueue = backfillStarted;
      void producer.enqueue([checklist]);
    }
    await sleep(LATENCY_MS);
    return null;
  };
  const checklistJob = async () => {
    startedAt = performance.now();
    backfillAtStart = backfillStarted;
    await sleep(LATENCY_MS);
    doneAt = performance.now();
    resolveDone();
    return null;
  };
  const unused = (name: JobName) => () => Promise.reject(new Error(`${name} is not part of this bench`));
  const processors: Processors = {
    'page-sync': backfillJob,
    'push-resolve': unused('push-resolve'),
    'mr-checklist': checklistJob,
    'page-review': unused('page-review'),
    'recruiting-issue': unused('recruiting-issue'),
    command: unused('command'),
    'sync-all': unused('sync-all'),
    'mr-gate': unused('mr-gate'),
    'quarter-rollover': unused('quarter-rollover'),
  };
  const worker = createWorkerRunner({
    connection: workerConnection,
    prefix,
    processors,
    logger: createLogger('silent'),
    concurrency: CONCURRENCY,
  });
  await done;
  await worker.close(true);
  const left = (await queue.getJobCounts('waiting', 'prioritized')) as Record<string, number>;
  await queue.obliterate({ force: true });
  await Promise.allSettled([queue.close(), flows.close()]);
  connection.disconnect();
  workerConnection.disconnect();
  return {
    mode,
    waitMs: Math.round(startedAt - queuedAt),
    doneMs: Math.round(doneAt - queuedAt),
    backfillAhead: backfillAtStart - backfillAtQueue,
    backfillLeft: (left.waiting ?? 0) + (left.prioritized ?? 0),
  };
}

async function main(): Promise<number> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await probe.connect();
    await probe.ping();
  } catch {
    console.error(`bench:priority needs Redis at ${REDIS_URL}: start redis-server or set REDIS_URL`);
    return 2;
  } finally {
    probe.disconnect();
  }
  const runs = [await run('priority'), await run('fifo')];
  if (JSON_OUT) {
    console.log(JSON.stringify({ pages: PAGES, latencyMs: LATENCY_MS, concurrency: CONCURRENCY, runs }, null, 2));
  } else {
    console.log(
      `${PAGES}-page sync queued, worker concurrency ${CONCURRENCY}, ${LATENCY_MS} ms per job; checklist queued after ${STARTED_BEFORE_CHECKLIST} backfill jobs started`,
    );
    console.log('mode       checklist wait   checklist done   backfill started ahead   backfill still queued');
    for (const r of runs) {
      console.log(
        `${r.mode.padEnd(10)} ${`${r.waitMs} ms`.padStart(14)}   ${`${r.doneMs} ms`.padStart(14)}   ${String(r.backfillAhead).padStart(22)}   ${String(r.backfillLeft).padStart(21)}`,
      );
    }
  }
  const prioritized = runs[0];
  return prioritized !== undefined && prioritized.waitMs > 3_000 ? 1 : 0;
}

process.exitCode = await main();
