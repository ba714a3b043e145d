import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HANDBOOK, handbookPush } from '../support/fixtures.js';
import { removePrefix, startRedisProxy, testRedis, uniquePrefix, type RedisProxy } from '../support/redis.js';
import { testSettings } from '../support/settings.js';
import { PATHS, deliveryLines, startBot, type BotUnderTest } from './harness.js';

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Redis goes away (a proxy in front of the shared server stops: the shared Redis itself keeps running
 * for the other test files) and comes back.
 */
describe.each(PATHS)('Redis outage (%s path)', (path) => {
  const prefix = uniquePrefix(`outage-${path}`);
  let proxy: RedisProxy;
  let bot: BotUnderTest;
  let admin: Redis;

  beforeAll(async () => {
    admin = testRedis();
    proxy = await startRedisProxy();
    const settings = testSettings({ config: { handbook: { project: HANDBOOK.path } }, env: { queuePrefix: prefix } });
    bot = await startBot({ path, prefix, settings, redisUrl: proxy.url });
  });
  afterEach(async () => {
    await proxy.start();
  });
  afterAll(async () => {
    await bot.close();
    await proxy.stop();
    await removePrefix(admin, prefix);
    admin.disconnect();
  });

  it('answers 503 at once, queues nothing, and queues the redelivery once Redis is back', async () => {
    await proxy.stop();
    await until(() => bot.redis.status !== 'ready');

    const push = handbookPush();
    const headers = { 'idempotency-key': randomUUID() };
    // Answered while Redis is still down: the delivery does not wait for it to come back.
    const down = await bot.post('Push Hook', push, { headers });
    expect(down.status).toBe(503);
    expect(down.json).toEqual({ status: 'error', message: 'queue unavailable, try again later' });
    expect(deliveryLines(bot.logs).at(-1)).toMatchObject({ outcome: 'unavailable', status: 503 });

    const readyWhileDown = await bot.get('/readyz');
    expect(readyWhileDown.status).toBe(503);
    expect(readyWhileDown.json.status).toBe('unavailable');

    // Nothing half-queued: the shared Redis (seen directly) holds no job and no delivery key.
    const keys = await admin.keys(`{${prefix}}*`);
    expect(keys.filter((key) => !key.endsWith(':meta') && !key.endsWith(':events'))).toEqual([]);

    await proxy.start();
    await until(() => bot.redis.status === 'ready');
    const back = await bot.post('Push Hook', push, { headers });
    expect(back.status).toBe(202);
    expect(await bot.jobCount()).toBe(2);
    expect((await bot.get('/readyz')).status).toBe(200);
  });

  it('answers 503 for a multi-job delivery without leaving part of it queued', async () => {
    await proxy.stop();
    await until(() => bot.redis.status !== 'ready');
    const reply = await bot.post('Push Hook', { ...handbookPush(), after: 'c0ffee'.padEnd(40, '0') });
    expect(reply.status).toBe(503);
    await proxy.start();
    await until(() => bot.redis.status === 'ready');
    expect((await bot.jobs()).filter((job) => (job.id ?? '').endsWith('c0ffee'.padEnd(40, '0')))).toEqual([]);
  });
});
