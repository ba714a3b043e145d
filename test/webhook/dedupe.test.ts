import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryDedupe, deliveryId } from '../../src/webhook/dedupe.js';
import { HANDBOOK, handbookPush } from '../support/fixtures.js';
import { removePrefix, testRedis, uniquePrefix } from '../support/redis.js';
import { testSettings } from '../support/settings.js';
import { startBot } from './harness.js';

describe('delivery dedupe', () => {
  const prefix = uniquePrefix('dedupe');
  let admin: Redis;
  beforeAll(() => {
    admin = testRedis();
  });
  afterAll(async () => {
    await removePrefix(admin, prefix);
    admin.disconnect();
  });

  it('prefers Idempotency-Key, then X-Gitlab-Event-UUID', () => {
    expect(deliveryId({ 'idempotency-key': 'k', 'x-gitlab-event-uuid': 'u' })).toBe('k');
    expect(deliveryId({ 'x-gitlab-event-uuid': 'u' })).toBe('u');
    expect(deliveryId({ 'idempotency-key': '  ' })).toBeUndefined();
    expect(deliveryId({})).toBeUndefined();
  });

  it('remembers a delivery for 24 h, and forgets it on request', async () => {
    const dedupe = createDeliveryDedupe(admin, `{${prefix}}`);
    const id = randomUUID();
    expect(await dedupe.remember(id)).toBe(true);
    expect(await dedupe.remember(id)).toBe(false);
    const [key] = await admin.keys(`{${prefix}}:delivery:*`);
    expect(await admin.ttl(key ?? '')).toBeGreaterThan(24 * 3600 - 5);
    await dedupe.forget(id);
    expect(await dedupe.remember(id)).toBe(true);
  });

  it('answers duplicate only with the jobs in Redis, even when the first attempt queued nothing', async () => {
    const settings = testSettings({ config: { handbook: { project: HANDBOOK.path } }, env: { queuePrefix: prefix } });
    const bot = await startBot({ path: 'fast', prefix, settings });
    try {
      const key = randomUUID();
      // A first attempt remembered the delivery, then failed to queue and could not forget it.
      expect(await createDeliveryDedupe(admin, `{${prefix}}`).remember(key)).toBe(true);
      const push = { ...handbookPush(), after: 'f'.repeat(40) };
      const reply = await bot.post('Push Hook', push, { headers: { 'idempotency-key': key } });
      expect(reply.json).toEqual({ status: 'duplicate' });
      // Its jobs (ids by delivery) were queued all the same: one per page.
      expect(
        await bot.jobs().then((jobs) => jobs.filter((job) => (job.data as { commit?: string }).commit === 'f'.repeat(40)).length),
      ).toBe(2);
    } finally {
      await bot.close();
    }
  });

  it('queues concurrent identical deliveries once: one 202, the others duplicate', async () => {
    const settings = testSettings({ config: { handbook: { project: HANDBOOK.path } }, env: { queuePrefix: prefix } });
    const bot = await startBot({ path: 'fast', prefix, settings });
    try {
      for (let round = 0; round < 5; round++) {
        const push = { ...handbookPush(), after: randomUUID().replace(/-/g, '').padEnd(40, '0') };
        const headers = { 'idempotency-key': randomUUID() };
        const replies = await Promise.all([1, 2, 3].map(() => bot.post('Push Hook', push, { headers })));
        const statuses = replies.map((reply) => reply.json.status).sort();
        expect(statuses).toEqual(['duplicate', 'duplicate', 'queued']);
      }
      expect(
        await bot.jobs().then((jobs) => jobs.filter((job) => (job.data as { commit?: string }).commit !== 'f'.repeat(40)).length),
      ).toBe(10);
    } finally {
      await bot.close();
    }
  });
});
