import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { loadSettings } from '../../../src/config/load.js';
import type { Config } from '../../../src/config/types.js';
import { createRedisConnection } from '../../../src/queue/connection.js';
import { createQueue, type WorkQueue } from '../../../src/queue/queues.js';
import { startGitLabSim, type GitLabSim } from '../../support/gitlab-sim/server.js';
import type { FaultOptions, SimDump } from '../../support/gitlab-sim/types.js';
import { REDIS_URL, removePrefix, uniquePrefix } from '../../support/redis.js';
import { startBotProcess, type BotProcess } from './bot-process.js';
import { killAllChildren } from './children.js';
import { BRANCH, HANDBOOK, HUMAN, RECRUITING, SHORT_DAY, buildDay, type Day, type DaySize } from './day.js';
import { Deliverer, inParallel, type Delivery } from './deliver.js';
import { failedJobs, queueCounts, waitForDrain, type QueueCounts } from './drain.js';
import { finalStateProblems } from './final-state.js';
import { freePort } from './free-port.js';
import { startPrivateRedis, type PrivateRedis } from './private-redis.js';
import { createPrng, shuffled } from './prng.js';

/**
 * One scripted day against real processes: the simulator (in this process, so the script can act on
 * it directly), Redis (the shared one under a unique prefix, or a private one to restart), 2 web and 2
 * worker processes of the bot. `play()` builds the day, delivers every event twice across both web
 * processes, runs the scenario's fault in the middle, and waits for the queue to drain. `close()` stops
 * everything it started and deletes the prefix's keys, whatever state the run ended in.
 */

export const SECRET = 'e2e-webhook-secret';

export interface ScenarioOptions {
  name: string;
  size?: DaySize;
  /** `private`: a Redis of its own (to restart); default: the shared one at REDIS_URL. */
  redis?: 'shared' | 'private';
  /** HANDBOOK_BOT_WORKER_LOCK_MS for the workers. */
  workerLockMs?: number;
  /** HANDBOOK_BOT_WORKER_CONCURRENCY for the workers. */
  workerConcurrency?: number;
  /** Latency the simulator adds to every API call. */
  simLatencyMs?: number;
  /** Faults set once the processes are ready (their start-up calls are not faulted). */
  faults?: FaultOptions;
  /** `shuffled` (default): every copy of every event in a seeded random order; `script`: in order, duplicates soon after. */
  order?: 'shuffled' | 'script';
  /** Deliveries in flight at once. */
  deliveryConcurrency?: number;
  /** Start deliveries at this rate (per second) instead of as fast as they are answered. */
  deliveriesPerSecond?: number;
  /** Runs alongside the second half of the deliveries. */
  midway?: (run: DayRun) => Promise<void>;
  drainTimeoutMs?: number;
  /** Bot config overrides (YAML object merged at the top level). */
  config?: Record<string, unknown>;
  entry?: 'tsx' | 'dist';
  seed?: number;
}

export interface DayReport {
  events: number;
  deliveries: number;
  /** Copies delivered beyond the first of each event. */
  duplicatesDelivered: number;
  redeliveries: number;
  answers: Record<string, number>;
  faults: SimDump['faults'];
  counts: QueueCounts;
  /** ms from the first delivery to the drained queue. */
  elapsedMs: number;
  pageChanges: number;
}

function configYaml(overrides: Record<string, unknown>): string {
  const config: Record<string, unknown> = {
    handbook: { project: HANDBOOK.path, branch: BRANCH },
    okr: { project: HANDBOOK.path },
    recruiting: { project: RECRUITING.path, board: 'Hiring pipeline' },
    review: {
      rules: [
        { when: 'grade-changed', reviewers: ['total-rewards-lead'], labels: ['job-family::grade-change'] },
        { when: 'hiring-process-changed', reviewers: ['recruiting-lead'], labels: ['job-family::hiring-process'] },
        { when: 'role-added', reviewers: ['people-business-partner'] },
        { when: 'role-removed', reviewers: ['people-business-partner'] },
        { when: 'performance-indicators-changed', reviewers: ['okr-coach'] },
        { when: 'problems', labels: ['job-family::needs-fix'] },
      ],
    },
    ...overrides,
  };
  // JSON is YAML: no serializer needed, and no YAML quoting surprises.
  return `${JSON.stringify(config, null, 2)}\n`;
}

export class DayRun {
  readonly prefix: string;
  sim: GitLabSim | undefined;
  privateRedis: PrivateRedis | undefined;
  redisUrl = REDIS_URL;
  config: Config | undefined;
  day: Day | undefined;
  webs: BotProcess[] = [];
  workers: BotProcess[] = [];
  deliverer: Deliverer | undefined;
  report: DayReport | undefined;
  dump: SimDump | undefined;
  /** performance.now() of each delivery's first attempt is in deliverer.results; this is the start. */
  startedAt = 0;
  private dir: string | undefined;
  private queueConnection: Redis | undefined;
  queue: WorkQueue | undefined;
  private env: Record<string, string> = {};

  constructor(readonly options: ScenarioOptions) {
    this.prefix = uniquePrefix(`e2e-${options.name}`);
  }

  /** Simulator, Redis, config, processes. */
  async start(): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), `hbt-e2e-${this.options.name}-`));
    this.sim = await startGitLabSim({
      latencyMs: this.options.simLatencyMs ?? 0,
      seed: this.options.seed ?? 7,
      initialState: {
        users: [{ username: HUMAN, name: 'Alice Recruiter' }],
        projects: [
          {
            id: HANDBOOK.id,
            path: HANDBOOK.path,
            files: { [BRANCH]: { 'README.md': '# Handbook\n' } },
            members: { 'handbook-bot': 40, [HUMAN]: 30 },
          },
          {
            id: RECRUITING.id,
            path: RECRUITING.path,
            files: { [BRANCH]: { 'README.md': '# Recruiting\n' } },
            members: { 'handbook-bot': 40, [HUMAN]: 20 },
          },
        ],
      },
    });
    if (this.options.redis === 'private') {
      this.privateRedis = await startPrivateRedis();
      this.redisUrl = this.privateRedis.url;
    }
    const configPath = join(this.dir, 'handbook-bot.yml');
    await writeFile(configPath, configYaml(this.options.config ?? {}));
    this.env = {
      GITLAB_URL: this.sim.url,
      GITLAB_TOKEN: this.sim.token,
      WEBHOOK_SECRET: SECRET,
      REDIS_URL: this.redisUrl,
      HANDBOOK_BOT_CONFIG: configPath,
      HANDBOOK_BOT_QUEUE_PREFIX: this.prefix,
      LOG_LEVEL: 'info',
    };
    this.config = loadSettings({ env: { ...this.env, PORT: '3000' } }).config;
    this.queueConnection = createRedisConnection(this.redisUrl, 'worker', { name: 'e2e-observer' });
    this.queue = createQueue(this.queueConnection, { prefix: this.prefix });

    const workerEnv: Record<string, string> = {
      ...this.env,
      // `job paused` (a merge-request parent waiting for its children) is a debug line.
      LOG_LEVEL: 'debug',
      ...(this.options.workerLockMs !== undefined ? { HANDBOOK_BOT_WORKER_LOCK_MS: String(this.options.workerLockMs) } : {}),
      ...(this.options.workerConcurrency !== undefined ? { HANDBOOK_BOT_WORKER_CONCURRENCY: String(this.options.workerConcurrency) } : {}),
    };
    const entry = this.options.entry;
    const ports = [await freePort(), await freePort()];
    const [webs, workers] = await Promise.all([
      Promise.all(
        ports.map((port, i) =>
          startBotProcess({ name: `web-${i + 1}`, role: 'web', env: { ...this.env, PORT: String(port) }, ...(entry ? { entry } : {}) }),
        ),
      ),
      Promise.all([1, 2].map((i) => startBotProcess({ name: `worker-${i}`, role: 'worker', env: workerEnv, ...(entry ? { entry } : {}) }))),
    ]);
    this.webs = webs;
    this.workers = workers;
    if (this.options.faults !== undefined) this.sim.setFaults(this.options.faults);
  }

  /** The deliveries: every event twice (same Idempotency-Key and X-Gitlab-Event-UUID), spread over both web processes. */
  deliveries(day: Day): Delivery[] {
    const random = createPrng(this.options.seed ?? 7);
    const copies = day.events.map((event, index) => {
      const uuid = Deliverer.uuid();
      const body = JSON.stringify(event.body);
      return [0, 1].map((copy): Delivery => ({ eventId: event.id, event: event.event, body, uuid, web: (index + copy) % 2 }));
    });
    if ((this.options.order ?? 'shuffled') === 'shuffled') return shuffled(copies.flat(), random);
    // In order, each duplicate a few deliveries after its first copy (GitLab retrying a slow answer).
    const out: Delivery[] = [];
    const pending: Array<{ at: number; delivery: Delivery }> = [];
    copies.forEach(([first, second], index) => {
      if (first !== undefined) out.push(first);
      if (second !== undefined) pending.push({ at: index + 1 + Math.floor(random() * 4), delivery: second });
      for (const due of pending.filter((p) => p.at <= index)) out.push(due.delivery);
      pending.splice(0, pending.length, ...pending.filter((p) => p.at > index));
    });
    out.push(...pending.map((p) => p.delivery));
    return out;
  }

  async play(): Promise<DayReport> {
    if (this.sim === undefined) await this.start();
    const sim = this.sim as GitLabSim;
    const queue = this.queue as WorkQueue;
    const day = buildDay(sim, this.options.size ?? SHORT_DAY);
    this.day = day;
    const deliveries = this.deliveries(day);
    const deliverer = new Deliverer({ webUrls: () => this.webs.map((web) => web.url ?? ''), secret: SECRET });
    this.deliverer = deliverer;
    const concurrency = this.options.deliveryConcurrency ?? 4;
    const half = Math.ceil(deliveries.length / 2);
    this.startedAt = performance.now();
    const rate = this.options.deliveriesPerSecond;
    const send = async (delivery: Delivery, index: number) => {
      if (rate !== undefined) {
        const due = this.startedAt + (index * 1000) / rate - performance.now();
        if (due > 0) await sleep(due);
      }
      await deliverer.send(delivery);
    };
    await inParallel(deliveries.slice(0, half), concurrency, send);
    await Promise.all([
      this.options.midway?.(this),
      inParallel(deliveries.slice(half), concurrency, (delivery, index) => send(delivery, half + index)),
    ]);
    const drained = await waitForDrain(queue, { timeoutMs: this.options.drainTimeoutMs ?? 150_000 });
    const elapsedMs = performance.now() - this.startedAt;
    if (drained.failed > 0) throw new Error(`failed jobs:\n${(await failedJobs(queue)).join('\n')}`);
    this.dump = sim.dump();
    this.report = {
      events: day.events.length,
      deliveries: deliverer.stats.deliveries,
      duplicatesDelivered: deliverer.stats.deliveries - day.events.length,
      redeliveries: deliverer.stats.redeliveries,
      answers: deliverer.stats.byAnswer,
      faults: this.dump.faults,
      counts: await queueCounts(queue),
      elapsedMs,
      pageChanges: day.truth.pageChanges,
    };
    return this.report;
  }

  /** The oracle's verdict on the final state (see final-state.ts): one line per problem, none when exact. */
  async finalStateProblems(): Promise<string[]> {
    if (this.sim === undefined || this.dump === undefined || this.day === undefined || this.config === undefined)
      throw new Error('the day did not run');
    return finalStateProblems({ sim: this.sim, dump: this.dump, day: this.day, config: this.config });
  }

  /** Stops everything this run started; safe to call whatever state the run is in. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.webs, ...this.workers].map((proc) => proc.stop()));
    // While Redis is still up: the observer's queue, then every key of the run's prefix (queue,
    // delivery dedupe, locks, page index, GitLab budget).
    await withTimeout(this.queue?.close(), 5_000);
    if (this.queueConnection !== undefined) {
      await withTimeout(removePrefix(this.queueConnection, this.prefix), 5_000);
      this.queueConnection.disconnect();
    }
    await this.privateRedis?.close().catch(() => undefined);
    await this.sim?.close().catch(() => undefined);
    await killAllChildren().catch(() => undefined);
    if (this.dir !== undefined) await rm(this.dir, { recursive: true, force: true });
  }
}

/** Waits for `promise` at most `ms`; its failure or lateness only ends the wait (cleanup goes on). */
async function withTimeout(promise: Promise<unknown> | undefined, ms: number): Promise<void> {
  if (promise === undefined) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** One line for the test log: what the run did. */
export function describeReport(name: string, report: DayReport): string {
  const faults =
    report.faults.injected429 + report.faults.injected500 + report.faults.injectedActionLimit429 + report.faults.injected502AfterApply;
  return (
    `[e2e ${name}] ${report.events} events, ${report.deliveries} deliveries (${report.duplicatesDelivered} duplicates, ` +
    `${report.redeliveries} redeliveries), answers ${JSON.stringify(report.answers)}, ${faults} GitLab faults, ` +
    `${report.counts.completed} jobs completed, ${report.counts.failed} failed, drained in ${Math.round(report.elapsedMs)} ms`
  );
}
