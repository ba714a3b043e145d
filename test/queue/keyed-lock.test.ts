import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { LockBusyError, withKeyedLock } from '../../src/queue/keyed-lock.js';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = `hbt-test-lock-${randomUUID()}`;

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe('withKeyedLock', () => {
  it('serializes two holders of the same key', async () => {
    const key = `${prefix}:a`;
    const events: string[] = [];
    const work = (name: string) =>
      withKeyedLock(redis, key, async () => {
        events.push(`${name}:start`);
        await new Promise((resolve) => setTimeout(resolve, 50));
        events.push(`${name}:end`);
      });
    await Promise.all([work('one'), work('two')]);
    // Whichever ran first finished before the other started.
    expect(events[1]).toBe(`${events[0]?.split(':')[0]}:end`);
    expect(await redis.exists(key)).toBe(0);
  });

  it('gives up with a retryable LockBusyError when the key stays busy', async () => {
    const key = `${prefix}:b`;
    await redis.set(key, 'someone-else', 'PX', 5_000);
    const attempt = withKeyedLock(redis, key, async () => 'ran', { waitMs: 120 });
    await expect(attempt).rejects.toBeInstanceOf(LockBusyError);
    await expect(attempt).rejects.toMatchObject({ permanent: false });
    // Never frees a lock it does not hold.
    expect(await redis.get(key)).toBe('someone-else');
  });

  it('releases the lock when the work throws', async () => {
    const key = `${prefix}:c`;
    await expect(withKeyedLock(redis, key, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await redis.exists(key)).toBe(0);
  });
});

describe('withKeyedLock renewal', () => {
  it('keeps a short lock while the work runs longer than its TTL', async () => {
    const key = `${prefix}:renew`;
    let stolen = false;
    await withKeyedLock(
      redis,
      key,
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        stolen = (await redis.set(key, 'intruder', 'PX', 1_000, 'NX')) === 'OK';
      },
      { ttlMs: 1_000 },
    );
    expect(stolen).toBe(false);
  });
});
