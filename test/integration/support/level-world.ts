import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { ActionContext } from '../../../src/actions/shared/context.js';
import { GitLabClient } from '../../../src/gitlab/client.js';
import { createLogger } from '../../../src/log.js';
import type { JobSpec } from '../../../src/queue/jobs.js';
import { createProducer, type Producer } from '../../../src/queue/producer.js';
import { createFlowProducer, createQueue, queuePrefix, type WorkQueue } from '../../../src/queue/queues.js';
import { createWorkerRunner } from '../../../src/queue/worker.js';
import { createProcessors } from '../../../src/worker/processors.js';
import type { DumpIssue, DumpProject } from '../../support/gitlab-sim/types.js';
import { startGitLabSim, type GitLabSim } from '../../support/gitlab-sim/server.js';
import { removePrefix, REDIS_URL, uniquePrefix } from '../../support/redis.js';
import { testSettings } from '../../support/settings.js';

/**
 * A world for the level-triggered scenarios: the GitLab simulator (handbook `acme/handbook` id 15,
 * recruiting `acme/recruiting` id 16), the real Redis under a unique prefix, a BullMQ queue and the
 * real worker processors (src/worker/processors.ts) with one job at a time, so a test decides the
 * order in which deliveries run. The clock is the test's (`world.now`).
 */

export const HANDBOOK = 15;
export const RECRUITING = 16;

export interface LevelWorld {
  sim: GitLabSim;
  ctx: ActionContext;
  /** The worker's clock; tests move it. */
  now: Date;
  /** Queues the jobs and waits until the queue is idle; throws when a job failed. */
  run(specs: readonly JobSpec[]): Promise<void>;
  /** Commits on `main` of the handbook and returns the sha. */
  commit(input: { files?: Record<string, string>; remove?: string[]; message: string; date?: string; parent?: string }): string;
  /** Points `main` at an existing commit (a force push). */
  forcePush(sha: string): void;
  handbook(): DumpProject;
  recruiting(): DumpProject;
  issue(project: DumpProject, iid: number): DumpIssue;
  close(): Promise<void>;
}

export async function startLevelWorld(options: {
  pages: Record<string, string>;
  recruitingIssues?: Array<{ title: string; labels: string[] }>;
}): Promise<LevelWorld> {
  const sim = await startGitLabSim({
    initialState: {
      users: [{ username: 'alice' }],
      projects: [
        { id: HANDBOOK, path: 'acme/handbook', files: { main: options.pages }, members: { 'handbook-bot': 40 } },
        {
          id: RECRUITING,
          path: 'acme/recruiting',
          members: { 'handbook-bot': 40, alice: 20 },
          issues: (options.recruitingIssues ?? []).map((issue) => ({ ...issue, author: 'alice', confidential: true })),
        },
      ],
    },
  });
  const prefix = uniquePrefix('level');
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  await connection.ping();
  const logger = createLogger('silent');
  const queue: WorkQueue = createQueue(connection, {
    prefix,
    defaultJobOptions: { attempts: 1, removeOnComplete: { count: 10_000 }, removeOnFail: { count: 1000 } },
  });
  const flows = createFlowProducer(connection, prefix);
  const producer: Producer = createProducer({ queue, flows, connection });
  const settings = testSettings({
    config: {
      gitlab: { url: sim.url },
      handbook: { project: 'acme/handbook', branch: 'main' },
      recruiting: { project: 'acme/recruiting' },
    },
  });
  const world = { now: new Date('2026-11-20T10:00:00Z') };
  const ctx: ActionContext = {
    gitlab: new GitLabClient({ url: sim.url, token: sim.token, dryRun: false, logger, sleep: () => Promise.resolve() }),
    config: settings.config,
    logger,
    redis: connection,
    lockPrefix: `${queuePrefix(prefix)}:lock:`,
    now: () => world.now,
    enqueue: (specs) => producer.enqueue(specs),
  };
  const worker: Worker = createWorkerRunner({ connection, prefix, processors: createProcessors(ctx, { flows }), logger, concurrency: 1 });

  const failures: string[] = [];
  worker.on('failed', (job, error) => failures.push(`${job?.name ?? '?'} ${job?.id ?? ''}: ${error.message}`));

  async function idle(): Promise<void> {
    for (let round = 0; round < 2000; round += 1) {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'paused');
      if (Object.values(counts).every((count) => count === 0)) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('the queue did not become idle');
  }

  const project = (id: number): DumpProject => {
    const found = sim.dump().projects.find((candidate) => candidate.id === id);
    if (found === undefined) throw new Error(`no project ${id}`);
    return found;
  };

  return Object.assign(world, {
    sim,
    ctx,
    async run(specs: readonly JobSpec[]) {
      await producer.enqueue(specs);
      await idle();
      if (failures.length > 0) throw new Error(`jobs failed: ${failures.splice(0).join('; ')}`);
    },
    commit(input: { files?: Record<string, string>; remove?: string[]; message: string; date?: string; parent?: string }) {
      return sim.state.commit(HANDBOOK, { branch: 'main', ...input });
    },
    forcePush(sha: string) {
      sim.state.createBranch(HANDBOOK, 'main', sha);
    },
    handbook: () => project(HANDBOOK),
    recruiting: () => project(RECRUITING),
    issue(dump: DumpProject, iid: number) {
      const found = dump.issues.find((candidate) => candidate.iid === iid);
      if (found === undefined) throw new Error(`no issue #${iid} in ${dump.path}`);
      return found;
    },
    async close() {
      await worker.close();
      await Promise.allSettled([queue.close(), flows.close()]);
      await removePrefix(connection, prefix);
      connection.disconnect();
      await sim.close();
    },
  });
}
