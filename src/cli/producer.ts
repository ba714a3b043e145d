import type { Settings } from '../config/types.js';
import type { Logger } from '../log.js';
import { createRedisConnection, isConnected, redisTopologyOf } from '../queue/connection.js';
import type { JobSpec } from '../queue/jobs.js';
import { createProducer } from '../queue/producer.js';
import { createFlowProducer, createQueue } from '../queue/queues.js';

/** A producer for one CLI run (`sync`, `replay`): the same queue and job ids as the server's. */
export interface CliProducer {
  /** Queues the jobs; `added` counts those that were not already there under the same id. */
  enqueueCounting(specs: readonly JobSpec[]): Promise<{ ids: string[]; added: number }>;
  close(): Promise<void>;
}

export async function openProducer(settings: Settings, logger: Logger): Promise<CliProducer | undefined> {
  const connection = createRedisConnection(redisTopologyOf(settings.env), 'producer', { logger, name: 'handbook-bot-cli' });
  const ready = await new Promise<boolean>((resolve) => {
    if (isConnected(connection)) resolve(true);
    connection.once('ready', () => resolve(true));
    connection.once('end', () => resolve(false));
    setTimeout(() => resolve(isConnected(connection)), 3_000).unref();
  });
  if (!ready) {
    connection.disconnect();
    return undefined;
  }
  const queue = createQueue(connection, { prefix: settings.env.queuePrefix });
  const flows = createFlowProducer(connection, settings.env.queuePrefix);
  const producer = createProducer({ queue, flows, connection });
  return {
    async enqueueCounting(specs) {
      // Pending already: a job under the same id, or a re-run of the same work not yet finished.
      const pending = await Promise.all(
        specs.map(async (spec) =>
          spec.deduplicationId !== undefined
            ? (await queue.getDeduplicationJobId(spec.deduplicationId)) !== null
            : (await queue.getJob(spec.id)) !== undefined,
        ),
      );
      const ids = await producer.enqueue(specs);
      return { ids, added: pending.filter((isPending) => !isPending).length };
    },
    async close() {
      await Promise.allSettled([queue.close(), flows.close()]);
      connection.disconnect();
    },
  };
}
