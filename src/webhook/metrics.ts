import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { WorkQueue } from '../queue/queues.js';

/** Events the `event` label may take; anything else is `other`, so a sender cannot grow the label set. */
const KNOWN_EVENTS = new Set([
  'Push Hook',
  'Tag Push Hook',
  'Merge Request Hook',
  'Issue Hook',
  'Confidential Issue Hook',
  'Note Hook',
  'Confidential Note Hook',
  'Pipeline Hook',
  'Job Hook',
  'Wiki Page Hook',
  'Deployment Hook',
  'Release Hook',
  'Emoji Hook',
  'Member Hook',
  'Milestone Hook',
  'System Hook',
]);

export type DeliveryOutcome =
  'queued' | 'duplicate' | 'ignored' | 'unauthorized' | 'invalid' | 'too-large' | 'unsupported' | 'unavailable' | 'aborted' | 'error';

const COLLECT_TIMEOUT_MS = 1_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed', 'completed'] as const;

export interface WebMetrics {
  /** Its own registry: several apps (tests) in one process never share or clash on metric names. */
  registry: Registry;
  recordDelivery(event: string | undefined, outcome: DeliveryOutcome): void;
  /** Seconds spent in Redis for one delivery (dedupe claim, jobs, commit). */
  observeEnqueue(seconds: number): void;
}

export interface MetricsOptions {
  /** Queue whose job counts are read on each scrape. */
  queue?: WorkQueue;
  /** Process metrics (CPU, memory, event loop lag); default true. */
  defaultMetrics?: boolean;
}

export function createWebMetrics(options: MetricsOptions = {}): WebMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'handbook_bot_' });

  const deliveries = new Counter({
    name: 'handbook_bot_webhook_deliveries_total',
    help: 'Webhook deliveries by GitLab event and outcome.',
    labelNames: ['event', 'outcome'] as const,
    registers: [registry],
  });
  const enqueue = new Histogram({
    name: 'handbook_bot_webhook_enqueue_seconds',
    help: 'Time spent queueing the jobs of one delivery (dedupe claim, jobs, commit).',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const queue = options.queue;
  new Gauge({
    name: 'handbook_bot_queue_jobs',
    help: 'Jobs in the work queue by state, read from Redis on each scrape.',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      if (!queue) return;
      try {
        // Bounded: a scrape must not hang on a Redis that never came up (BullMQ waits for it).
        const counts = await withTimeout(queue.getJobCounts(...QUEUE_STATES), COLLECT_TIMEOUT_MS);
        for (const state of QUEUE_STATES) this.set({ state }, counts[state] ?? 0);
      } catch {
        // Redis down: the scrape still answers (readyz tells the outage); stale depths are dropped.
        this.reset();
      }
    },
  });

  return {
    registry,
    recordDelivery(event, outcome) {
      deliveries.inc({ event: event === undefined ? 'none' : KNOWN_EVENTS.has(event) ? event : 'other', outcome });
    },
    observeEnqueue(seconds) {
      enqueue.observe(seconds);
    },
  };
}
