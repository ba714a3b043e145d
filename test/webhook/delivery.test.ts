import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import type { JobSpec } from '../../src/queue/jobs.js';
import { QueueUnavailableError, type Producer } from '../../src/queue/producer.js';
import { createDeliveryDedupe } from '../../src/webhook/dedupe.js';
import { createDeliveryHandler } from '../../src/webhook/delivery.js';
import { createWebMetrics } from '../../src/webhook/metrics.js';
import { createRouter } from '../../src/webhook/routes.js';
import { createTokenVerifier } from '../../src/webhook/verify.js';
import { HANDBOOK, handbookPush } from '../support/fixtures.js';
import { removePrefix, testRedis, uniquePrefix } from '../support/redis.js';
import { TEST_SECRET, testSettings } from '../support/settings.js';

/** The delivery core with a producer that fails on demand (Redis itself stays up). */
describe('delivery handler', () => {
  const prefix = uniquePrefix('delivery');
  let admin: Redis;
  beforeAll(() => {
    admin = testRedis();
  });
  afterAll(async () => {
    await removePrefix(admin, prefix);
    admin.disconnect();
  });

  it('forgets a delivery whose jobs could not be queued, so the redelivery is queued and answered 202', async () => {
    let failNext = true;
    const queued: JobSpec[][] = [];
    const producer: Producer = {
      async enqueue(specs) {
        if (failNext) {
          failNext = false;
          throw new QueueUnavailableError('simulated: EXEC aborted');
        }
        queued.push([...specs]);
        return specs.map((spec) => spec.id);
      },
    };
    const dedupe = createDeliveryDedupe(admin, `{${prefix}}`);
    const handler = createDeliveryHandler({
      router: createRouter(testSettings({ config: { handbook: { project: HANDBOOK.path } } }).config, {
        bot: { username: 'handbook-bot' },
      }),
      producer,
      dedupe,
      logger: createLogger('silent'),
      metrics: createWebMetrics({ defaultMetrics: false }),
      bodyLimit: 1024 * 1024,
      verifyToken: createTokenVerifier([TEST_SECRET]),
      verifySignature: undefined,
    });
    const key = randomUUID();
    const headers = {
      'content-type': 'application/json',
      'x-gitlab-token': TEST_SECRET,
      'x-gitlab-event': 'Push Hook',
      'idempotency-key': key,
    };
    const raw = Buffer.from(JSON.stringify(handbookPush()));

    expect(handler.preflight(headers)).toBeUndefined();
    const failed = await handler.process(headers, raw);
    expect(failed).toMatchObject({ status: 503, outcome: 'unavailable', cause: 'simulated: EXEC aborted' });
    // The forget is best effort and not awaited by the answer: give it its round trip.
    await new Promise((resolve) => setTimeout(resolve, 50));

    const again = await handler.process(headers, raw);
    expect(again.status).toBe(202);
    expect(queued).toHaveLength(1);
    expect(queued[0]).toHaveLength(2);
    expect((await handler.process(headers, raw)).body).toEqual({ status: 'duplicate' });
    // The duplicate re-added its jobs (a no-op in BullMQ for existing ids) before answering.
    expect(queued).toHaveLength(2);
  });
});
