import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';

/** Tests share the Redis at REDIS_URL; each file works under its own prefix and removes it afterwards. */

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export function uniquePrefix(name = 'test'): string {
  return `hbt-${name}-${randomBytes(4).toString('hex')}`;
}

export function testRedis(): Redis {
  return new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
}

/**
 * A test file's Redis connection and prefix; everything under the prefix is removed after the file.
 * (ioredis connects lazily, so creating the client at import costs nothing until it is used.)
 */
export function useTestRedis(name: string): { redis: Redis; prefix: string } {
  const redis = testRedis();
  const prefix = uniquePrefix(name);
  afterAll(async () => {
    await removePrefix(redis, prefix);
    redis.disconnect();
  });
  return { redis, prefix };
}

/** Deletes every key of a queue prefix (`x` or `{x}`): queue keys and delivery dedupe keys alike. */
export async function removePrefix(redis: Redis, prefix: string): Promise<number> {
  const bare = prefix.replace(/^\{|\}$/g, '');
  let removed = 0;
  for (const pattern of [`{${bare}}*`, `${bare}:*`]) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) removed += await redis.del(...keys);
    } while (cursor !== '0');
  }
  return removed;
}

/**
 * A TCP proxy in front of Redis, to simulate an outage without stopping the shared server: `stop()`
 * refuses connections and cuts the open ones, `start()` listens again on the same port.
 */
export interface RedisProxy {
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startRedisProxy(target = REDIS_URL): Promise<RedisProxy> {
  const { hostname, port: targetPort } = new URL(target);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;

  const listen = async () => {
    if (server) return; // already up
    server = createServer((client) => {
      const upstream = connect(Number(targetPort || 6379), hostname);
      sockets.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
    });
    const srv = server;
    await new Promise<void>((resolve, reject) => {
      srv.once('error', (err) => {
        server = undefined;
        reject(err);
      });
      srv.listen(port, '127.0.0.1', () => resolve());
    });
    port = (srv.address() as AddressInfo).port;
  };

  await listen();
  return {
    get url() {
      return `redis://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    async stop() {
      const srv = server;
      server = undefined;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      if (srv) await new Promise<void>((resolve) => srv.close(() => resolve()));
    },
    start: listen,
  };
}
