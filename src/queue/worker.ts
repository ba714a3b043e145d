import { backoffStrategy } from './backoff.js';
import { DelayedError, RateLimitError, UnrecoverableError, WaitingChildrenError, WaitingError, Worker, type Job } from 'bullmq';
import type { RedisClient } from './connection.js';
import type { Logger } from '../log.js';
import { JOB_NAMES, QUEUE_NAME, type JobDataByName, type JobName } from './jobs.js';
import { queuePrefix, type AnyJobData } from './queues.js';

/** What a processor receives for job name N. */
export type JobOf<N extends JobName> = Job<JobDataByName[N]>;

/** One processor per job name; the worker dispatches by `job.name`. */
export type Processors = {
  [N in JobName]: (job: JobOf<N>, token?: string) => Promise<unknown>;
};

/**
 * An error retrying cannot fix (a 4xx from GitLab other than 409/429, a page that no longer parses…):
 * anything with `permanent: true`. The worker turns it into BullMQ's UnrecoverableError, which fails the
 * job at once instead of spending its remaining attempts.
 */
export function isPermanentError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { permanent?: unknown }).permanent === true;
}

/** Signals BullMQ uses for control flow: rethrown untouched, never logged as failures. */
function isControlSignal(err: unknown): boolean {
  return err instanceof WaitingChildrenError || err instanceof DelayedError || err instanceof WaitingError || err instanceof RateLimitError;
}

function isJobName(name: string): name is JobName {
  return (JOB_NAMES as readonly string[]).includes(name);
}

function dispatch<N extends JobName>(processors: Processors, name: N, job: Job<AnyJobData, unknown, string>, token?: string) {
  const processor: Processors[N] = processors[name];
  // The name was checked against JOB_NAMES: the payload is the one that name carries (jobs.ts contract).
  return processor(job as unknown as JobOf<N>, token);
}

export interface WorkerRunnerOptions {
  /** A worker connection (`maxRetriesPerRequest: null`); BullMQ duplicates it for blocking calls. */
  connection: RedisClient;
  /** `HANDBOOK_BOT_QUEUE_PREFIX`, with or without the braces. */
  prefix: string;
  processors: Processors;
  logger: Logger;
  /** Jobs processed at once by this process (default 4: the work is GitLab I/O, not CPU). */
  concurrency?: number;
  /** Start fetching jobs at once (default true). */
  autorun?: boolean;
  /**
   * BullMQ's job lock, which is also the stalled-check interval: a job whose worker died is taken up
   * again within about twice this (default: BullMQ's 30 s). Tests shorten it.
   */
  lockDurationMs?: number;
}

/** The worker runner: one BullMQ Worker for the queue, jobs dispatched by name. */
export function createWorkerRunner(options: WorkerRunnerOptions): Worker<AnyJobData, unknown, string> {
  const { processors, logger } = options;

  const worker = new Worker<AnyJobData, unknown, string>(
    QUEUE_NAME,
    async (job, token) => {
      const name = job.name;
      if (!isJobName(name)) throw new UnrecoverableError(`no processor for job "${name}"`);
      const attempt = job.attemptsMade + 1;
      const context = { job: job.id, name, attempt, attempts: job.opts.attempts ?? 1 };
      const started = performance.now();
      logger.info(context, 'job started');
      try {
        const result = await dispatch(processors, name, job, token);
        logger.info({ ...context, ms: Math.round(performance.now() - started) }, 'job finished');
        return result;
      } catch (err) {
        if (isControlSignal(err)) {
          logger.debug({ ...context, signal: (err as Error).name }, 'job paused');
          throw err;
        }
        const permanent = isPermanentError(err) || err instanceof UnrecoverableError;
        const message = err instanceof Error ? err.message : String(err);
        logger.warn(
          {
            ...context,
            ms: Math.round(performance.now() - started),
            err: message,
            permanent,
            willRetry: !permanent && attempt < context.attempts,
          },
          'job failed',
        );
        if (permanent && !(err instanceof UnrecoverableError)) throw new UnrecoverableError(message);
        throw err;
      }
    },
    {
      connection: options.connection,
      prefix: queuePrefix(options.prefix),
      concurrency: options.concurrency ?? 4,
      settings: { backoffStrategy },
      autorun: options.autorun ?? true,
      ...(options.lockDurationMs !== undefined ? { lockDuration: options.lockDurationMs, stalledInterval: options.lockDurationMs } : {}),
    },
  );
  // Without a listener an 'error' event (Redis gone) would crash the process; the worker reconnects.
  // An outage or failover makes BullMQ emit an error per attempt and per job, so one line a streak.
  const streak = errorStreakLog(logger, 'worker error', 'worker recovered');
  worker.on('error', (err) => streak.error(err));
  worker.on('completed', () => streak.success());
  worker.on('failed', () => streak.success());
  worker.on('ready', () => streak.success());
  return worker;
}

export interface ErrorStreakLog {
  error(err: unknown): void;
  /** Ends the streak: the next error is logged again. */
  success(): void;
}

/**
 * Logs the first error of a streak of consecutive errors (with its message), and the end of the
 * streak with how many errors it held; nothing in between.
 */
export function errorStreakLog(logger: Logger, errorMsg: string, recoveredMsg: string): ErrorStreakLog {
  let count = 0;
  return {
    error(err) {
      count += 1;
      if (count === 1) logger.warn({ err: err instanceof Error ? err.message : String(err) }, errorMsg);
    },
    success() {
      if (count > 0) logger.info({ errors: count }, recoveredMsg);
      count = 0;
    },
  };
}
