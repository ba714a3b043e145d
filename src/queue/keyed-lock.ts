import { randomUUID } from 'node:crypto';
import type { RedisClient } from './connection.js';

/**
 * A per-key mutex in Redis, so two workers never reconcile the same page or merge request at once
 * (they would both find no issue and both create one). `SET NX PX` takes it; a Lua compare-and-delete
 * releases only our own token, so a lock that expired and was taken by another worker is never freed by us.
 * The TTL bounds how long a crashed worker can hold it.
 */

const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;

export class LockBusyError extends Error {
  /** Retryable: the job should run again later, when the holder is done. */
  readonly permanent = false;
  constructor(
    readonly key: string,
    waitedMs: number,
  ) {
    super(`another worker is working on ${key} (waited ${waitedMs} ms); the job will be retried`);
    this.name = 'LockBusyError';
  }
}

export interface LockOptions {
  /** How long the lock lives without renewal; renewed every third of it while `fn` runs. */
  ttlMs?: number;
  /** How long to wait for a busy lock before giving up with `LockBusyError`. */
  waitMs?: number;
  pollMs?: number;
}

export async function withKeyedLock<T>(redis: RedisClient, key: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const ttlMs = options.ttlMs ?? 60_000;
  const waitMs = options.waitMs ?? 15_000;
  const pollMs = options.pollMs ?? 50;
  const token = randomUUID();
  const started = Date.now();

  while ((await redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') {
    const waited = Date.now() - started;
    if (waited >= waitMs) throw new LockBusyError(key, waited);
    await new Promise((resolve) => setTimeout(resolve, pollMs + Math.floor(Math.random() * pollMs)));
  }

  // Renewed every third of the TTL (no floor that could reach the TTL itself), so two renewals may
  // fail before the lock lapses.
  const renew = setInterval(
    () => {
      redis.eval(EXTEND, 1, key, token, String(ttlMs)).catch(() => undefined);
    },
    Math.max(10, Math.floor(ttlMs / 3)),
  );
  renew.unref();
  try {
    return await fn();
  } finally {
    clearInterval(renew);
    await redis.eval(RELEASE, 1, key, token).catch(() => undefined);
  }
}
