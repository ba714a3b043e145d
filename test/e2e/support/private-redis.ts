import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { startRedisProcess } from '../../support/redis-servers.js';
import { exited, stopChild } from './children.js';
import { freePort } from './free-port.js';

/**
 * A Redis of the scenario's own, to restart in the middle of a run without touching the shared one at
 * 6379 (other test files use it). With an append-only file, as production runs with persistence, so
 * the queue survives the restart. Started like the topology tests' servers (test/support/redis-servers.ts);
 * `REDIS_SERVER` names the binary when it is not `redis-server`.
 */

export interface PrivateRedis {
  url: string;
  port: number;
  /** `SHUTDOWN` (the AOF is flushed), then waits for the process to end. */
  shutdown(): Promise<void>;
  /** Starts it again on the same port and directory. */
  start(): Promise<void>;
  /** Stops it and removes its directory. */
  close(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'hbt-e2e-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;

  const start = async () => {
    const started = await startRedisProcess(port, [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'yes',
      '--dir',
      dir,
      '--logfile',
      join(dir, 'redis.log'),
    ]);
    child = started.child;
  };

  const shutdown = async () => {
    const running = child;
    if (running === undefined) return;
    const client = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    // The server closes the connection instead of answering SHUTDOWN.
    await client.call('SHUTDOWN').catch(() => undefined);
    client.disconnect();
    await Promise.race([exited(running), sleep(5_000)]);
    await stopChild(running, 'SIGKILL');
    child = undefined;
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    shutdown,
    start,
    async close() {
      if (child !== undefined) await stopChild(child, 'SIGKILL');
      child = undefined;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
