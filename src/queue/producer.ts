import type { FlowProducer, JobsOptions } from 'bullmq';
import { isConnected, type RedisClient } from './connection.js';
import type { JobSpec } from './jobs.js';
import type { WorkQueue } from './queues.js';

/** Thrown when Redis cannot take the jobs now; the web role answers 503 so GitLab redelivers. */
export class QueueUnavailableError extends Error {
  override readonly name = 'QueueUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface Producer {
  /**
   * Queues the jobs and resolves with their ids, in order. All or nothing: several jobs go in one
   * MULTI/EXEC. A job whose id exists already is not added again, and its id is still returned; a
   * re-run swallowed by a pending one (`deduplicationId`) returns the pending job's id.
   */
  enqueue: (specs: readonly JobSpec[]) => Promise<string[]>;
}

export interface ProducerDeps {
  queue: WorkQueue;
  /** For several jobs at once (MULTI/EXEC); see createFlowProducer. */
  flows: FlowProducer;
  /** The queue's connection: checked first so an outage fails now instead of waiting for a reconnect. */
  connection: RedisClient;
}

/**
 * A pending re-run of the same work swallows a new one (see JobSpec.deduplicationId); backfill gets
 * its priority (JobSpec.priority), everything else none, which BullMQ serves first.
 */
function jobOptions(spec: JobSpec): Pick<JobsOptions, 'deduplication' | 'priority'> {
  return {
    ...(spec.deduplicationId === undefined ? {} : { deduplication: { id: spec.deduplicationId } }),
    ...(spec.priority === undefined ? {} : { priority: spec.priority }),
  };
}

export function createProducer({ queue, flows, connection }: ProducerDeps): Producer {
  return {
    async enqueue(specs) {
      if (specs.length === 0) return [];
      // BullMQ waits for a connection that never became ready instead of failing: do not let it.
      if (!isConnected(connection)) throw new QueueUnavailableError(`redis is ${connection.status}`);
      try {
        const [only] = specs;
        if (only !== undefined && specs.length === 1) {
          // One Lua script: atomic by itself, and the cheapest path for the common one-page push.
          const job = await queue.add(only.name, only.data, { jobId: only.id, ...jobOptions(only) });
          return [job.id ?? only.id];
        }
        // Queue.addBulk pipelines without MULTI, so a connection lost midway could leave half the
        // delivery queued; FlowProducer.addBulk wraps the same scripts in MULTI/EXEC. It does not
        // apply the queue's defaults, hence the explicit options.
        const defaults: JobsOptions = queue.defaultJobOptions;
        const nodes = await flows.addBulk(
          specs.map((spec) => ({
            name: spec.name,
            queueName: queue.name,
            data: spec.data,
            prefix: queue.opts.prefix,
            opts: { ...defaults, jobId: spec.id, ...jobOptions(spec) },
          })),
        );
        // A deduplicated re-run answers with the id of the pending job that swallowed it.
        return specs.map((spec, index) => nodes?.[index]?.job.id ?? spec.id);
      } catch (err) {
        throw new QueueUnavailableError(`could not queue ${specs.length} job(s): ${(err as Error).message}`, { cause: err });
      }
    },
  };
}
