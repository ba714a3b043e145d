import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { RedisClient } from '../queue/connection.js';
import { deploymentKeys } from '../queue/keys.js';

/**
 * Remembers deliveries for 24 h so a redelivered webhook is answered `duplicate` (DESIGN §1), with one
 * `SET k 1 NX EX 86400` sent in the same round trip as the delivery's jobs (see delivery.ts).
 *
 * What makes that safe is the rule for answering, not the order of the writes: every delivery queues
 * its jobs, even one seen before, and is answered only once that add succeeded. The add is idempotent
 * (deterministic job ids), so for a known delivery it queues nothing new, and `duplicate` is never said
 * of a delivery whose jobs are not in Redis. When the add fails the key is deleted again (best effort)
 * and the answer is 503; should the delete be lost with Redis, GitLab's redelivery still queues the
 * jobs, because the key never stops a delivery from queueing, it only names the answer.
 *
 * Two identical deliveries at once (GitLab retrying a slow answer, two web replicas) both add the same
 * ids, so the jobs are queued once; the one that set the key answers 202, the other `duplicate`, each
 * only after its own add succeeded. If the first then fails (Redis flapping), the second's add already
 * queued the jobs.
 */

export const DELIVERY_TTL_SECONDS = 24 * 3600;

export interface DeliveryDedupe {
  /** True the first time the delivery is seen (within the TTL). */
  remember(deliveryId: string): Promise<boolean>;
  /** Undo `remember` for a delivery that could not be queued. */
  forget(deliveryId: string): Promise<void>;
}

/** `Idempotency-Key` (same on GitLab's retries), else `X-Gitlab-Event-UUID`; undefined when neither. */
export function deliveryId(headers: IncomingHttpHeaders): string | undefined {
  const value = headers['idempotency-key'] ?? headers['x-gitlab-event-uuid'];
  const id = Array.isArray(value) ? value[0] : value;
  return id ? id.trim() || undefined : undefined;
}

/**
 * @param queuePrefix the deployment's queue prefix (`handbook-bot` or `{handbook-bot}`): the keys live
 *   under its hash tag, in the queue's cluster slot, and are removed with it.
 */
export function createDeliveryDedupe(redis: RedisClient, queuePrefix: string, ttlSeconds = DELIVERY_TTL_SECONDS): DeliveryDedupe {
  const keys = deploymentKeys(queuePrefix);
  // The id is sender-controlled: hash it into a fixed-size, charset-safe key.
  const key = (id: string) => keys.delivery(createHash('sha256').update(id).digest('base64url').slice(0, 32));
  return {
    async remember(id) {
      return (await redis.set(key(id), '1', 'EX', ttlSeconds, 'NX')) === 'OK';
    },
    async forget(id) {
      await redis.del(key(id));
    },
  };
}
