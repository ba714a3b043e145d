import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ActionContext } from '../../../src/actions/shared/context.js';
import type { Config } from '../../../src/config/types.js';
import { GitLabClient } from '../../../src/gitlab/client.js';
import { createLogger } from '../../../src/log.js';
import type { JobName, JobSpec } from '../../../src/queue/jobs.js';
import { createFlowProducer, queuePrefix } from '../../../src/queue/queues.js';
import { createRouter } from '../../../src/webhook/routes.js';
import { createProcessors } from '../../../src/worker/processors.js';
import { removePrefix, testRedis, uniquePrefix } from '../redis.js';

/**
 * The bot's real processors (src/worker/processors.ts) and real router, run in this process one job
 * at a time against a simulator, with real Redis for the page locks and the page index. What BullMQ
 * adds is emulated where it matters for convergence: a job whose id was queued before is dropped
 * (BullMQ keeps finished jobs 24 h under their id), follow-up jobs run after the current one.
 * Merge-request flows need BullMQ's parent/child machinery and are not run here.
 */

export interface InProcessBot {
  ctx: ActionContext;
  /** Routes one webhook as the server would and runs every job it leads to. */
  deliver(event: string, body: unknown): Promise<void>;
  /** Runs jobs (and their follow-ups) to completion. */
  run(specs: readonly JobSpec[]): Promise<void>;
  /** Jobs run, and jobs dropped because their id had been queued before. */
  stats: { ran: number; dropped: number; byName: Record<string, number> };
  close(): Promise<void>;
}

export interface InProcessBotOptions {
  gitlabUrl: string;
  token: string;
  config: Config;
  now?: () => Date;
  /** Default: a connection of its own to REDIS_URL. */
  redis?: Redis;
  name?: string;
}

export function startInProcessBot(options: InProcessBotOptions): InProcessBot {
  const logger = createLogger('silent');
  const redis = options.redis ?? testRedis();
  const prefix = uniquePrefix(options.name ?? 'inproc');
  const pending: JobSpec[] = [];
  const seen = new Set<string>();
  const stats = { ran: 0, dropped: 0, byName: {} as Record<string, number> };
  const add = (specs: readonly JobSpec[]): string[] => {
    const ids: string[] = [];
    for (const spec of specs) {
      const key = spec.deduplicationId ?? spec.id;
      if (seen.has(key)) {
        stats.dropped += 1;
        continue;
      }
      seen.add(key);
      pending.push(spec);
      ids.push(spec.id);
    }
    return ids;
  };
  const ctx: ActionContext = {
    gitlab: new GitLabClient({ url: options.gitlabUrl, token: options.token, dryRun: false, logger, retry: { maxAttempts: 1 } }),
    config: options.config,
    logger,
    redis,
    lockPrefix: `${queuePrefix(prefix)}:lock:`,
    now: options.now ?? (() => new Date()),
    enqueue: (specs) => Promise.resolve(add(specs)),
  };
  const flows = createFlowProducer(redis, prefix);
  const processors = createProcessors(ctx, { flows });
  const router = createRouter(options.config, { bot: { username: 'handbook-bot' } });

  const runOne = async (spec: JobSpec): Promise<void> => {
    if (spec.name === 'mr-checklist' || spec.name === 'page-review') throw new Error(`${spec.name} needs BullMQ flows: not run in process`);
    const processor = processors[spec.name] as (job: Job) => Promise<unknown>;
    const job = { id: spec.id, name: spec.name as JobName, data: spec.data, attemptsMade: 0, opts: {} } as unknown as Job;
    stats.byName[spec.name] = (stats.byName[spec.name] ?? 0) + 1;
    stats.ran += 1;
    await processor(job);
  };

  return {
    ctx,
    stats,
    async run(specs) {
      add(specs);
      for (let spec = pending.shift(); spec !== undefined; spec = pending.shift()) await runOne(spec);
    },
    async deliver(event, body) {
      const routed = router(event, body);
      if (routed.kind === 'jobs') await this.run(routed.jobs);
    },
    async close() {
      await flows.close().catch(() => undefined);
      await removePrefix(redis, prefix);
      if (options.redis === undefined) redis.disconnect();
    },
  };
}
