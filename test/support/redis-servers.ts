import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { exited, isRunning, stopChild, track } from '../e2e/support/children.js';
import { freePort } from '../e2e/support/free-port.js';

/**
 * Private `redis-server` processes for tests of the Redis topologies: a Redis Cluster and a Sentinel
 * group, each on free loopback ports (127.0.0.1 only) in a temp dir of its own, so test files run in
 * parallel without touching the shared Redis at 6379. Every process is tracked (children.ts): `close()`
 * stops them, and they are SIGKILLed on exit should a test end without getting there.
 * `REDIS_SERVER` / `REDIS_CLI` name the binaries when they are not on the PATH.
 */

const run = promisify(execFile);
const START_TIMEOUT_MS = 15_000;

export const REDIS_SERVER = process.env.REDIS_SERVER ?? 'redis-server';
export const REDIS_CLI = process.env.REDIS_CLI ?? 'redis-cli';

export interface RedisProcess {
  port: number;
  child: ChildProcess;
  /** Stops it at once, as a crash would (no SHUTDOWN, no goodbye to the replicas). */
  kill(): Promise<void>;
}

/**
 * Polls until `check` holds, failing with `what` (and the last error) after `timeoutMs`, or at once
 * when `hopeless` says why waiting longer is pointless.
 */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = START_TIMEOUT_MS,
  hopeless?: () => string | undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const reason = hopeless?.();
    if (reason !== undefined) throw new Error(`gave up waiting for ${what}: ${reason}`);
    try {
      if (await check()) return;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? ` (last error: ${last.message})` : ''}`,
      );
    }
    await sleep(50);
  }
}

/** A one-off connection that never retries: for set-up and checks, not for the code under test. */
export function probeClient(port: number): Redis {
  const client = new Redis({
    host: '127.0.0.1',
    port,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
    // Bounded, so a port held by something that is not Redis cannot stall the set-up.
    connectTimeout: 1_000,
    commandTimeout: 1_000,
  });
  client.on('error', () => undefined);
  return client;
}

/** Runs one command on a fresh connection and returns its reply. */
export async function command(port: number, name: string, ...args: Array<string | number>): Promise<unknown> {
  const client = probeClient(port);
  try {
    await client.connect();
    return await client.call(name, ...args);
  } finally {
    client.disconnect();
  }
}

/** Resolves once the server on `port` answers PING with PONG (not LOADING); fails if `child` exits. */
export async function waitForPing(port: number, child: ChildProcess, timeoutMs = START_TIMEOUT_MS): Promise<void> {
  await waitFor(
    `redis-server on port ${port} to answer PING`,
    async () => (await command(port, 'PING')) === 'PONG',
    timeoutMs,
    () => (isRunning(child) ? undefined : `redis-server exited with ${child.exitCode ?? child.signalCode}`),
  );
}

/** Starts `redis-server` with `args` (a config file first, or flags) and waits until it answers. */
export async function startRedisProcess(port: number, args: string[]): Promise<RedisProcess> {
  const child = track(spawn(REDIS_SERVER, args, { stdio: 'ignore' }));
  const failed = new Promise<never>((_, reject) =>
    child.once('error', (err) =>
      reject(new Error(`cannot start ${REDIS_SERVER} (install redis-server, or set REDIS_SERVER to its path): ${err.message}`)),
    ),
  );
  await Promise.race([waitForPing(port, child), failed]);
  return { port, child, kill: () => stopChild(child, 'SIGKILL') };
}

/**
 * Starts a server on free ports (`ports` of them: a cluster node also needs a bus port), trying new
 * ports should another process take one between the pick and the bind.
 */
export async function startOnFreePorts(ports: number, args: (ports: number[]) => string[], attempts = 3): Promise<RedisProcess> {
  for (let attempt = 1; ; attempt++) {
    const picked: number[] = [];
    for (let index = 0; index < ports; index++) picked.push(await freePort());
    try {
      return await startRedisProcess(picked[0] ?? 0, args(picked));
    } catch (error) {
      if (attempt >= attempts || !/exited with/.test((error as Error).message)) throw error;
    }
  }
}

/** Flags every test server shares: loopback only, no persistence, its own dir and log. */
function baseFlags(port: number, dir: string): string[] {
  return [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    '--logfile',
    join(dir, `redis-${port}.log`),
  ];
}

export interface RedisClusterUnderTest {
  /** The masters' addresses, `127.0.0.1:port`. */
  nodes: Array<{ host: string; port: number }>;
  processes: RedisProcess[];
  close(): Promise<void>;
}

/** A 3-master Redis Cluster (no replicas), created with `redis-cli --cluster create`; every slot served. */
export async function startRedisCluster(masters = 3): Promise<RedisClusterUnderTest> {
  const dir = await mkdtemp(join(tmpdir(), 'hbt-redis-cluster-'));
  const processes: RedisProcess[] = [];
  const close = async () => {
    await Promise.all(processes.map((process) => process.kill()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let index = 0; index < masters; index++) {
      // Two free ports: the client port and the cluster bus (default port + 10000 may be taken).
      processes.push(
        await startOnFreePorts(2, ([port = 0, busPort = 0]) => [
          ...baseFlags(port, dir),
          '--cluster-enabled',
          'yes',
          '--cluster-port',
          String(busPort),
          '--cluster-config-file',
          join(dir, `nodes-${port}.conf`),
          '--cluster-node-timeout',
          '2000',
        ]),
      );
    }
    const addresses = processes.map(({ port }) => `127.0.0.1:${port}`);
    await run(REDIS_CLI, ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'], { timeout: START_TIMEOUT_MS });
    for (const { port } of processes) {
      await waitFor(`cluster_state:ok on 127.0.0.1:${port}`, async () =>
        String(await command(port, 'CLUSTER', 'INFO')).includes('cluster_state:ok'),
      );
    }
    return { nodes: processes.map(({ port }) => ({ host: '127.0.0.1', port })), processes, close };
  } catch (error) {
    await close();
    throw error;
  }
}

export interface SentinelGroupUnderTest {
  name: string;
  sentinels: Array<{ host: string; port: number }>;
  master: RedisProcess;
  replica: RedisProcess;
  /** The port of whichever server the sentinels call master now. */
  masterPort(): Promise<number>;
  close(): Promise<void>;
}

/** Failover within about a second of the master dying: down after 500 ms, retries after 2 s. */
const DOWN_AFTER_MS = 500;
const FAILOVER_TIMEOUT_MS = 2_000;

/**
 * A master, one replica and three sentinels (quorum 2) watching it as `name`. Resolves once the
 * replica is in sync and every sentinel knows the replica and the two other sentinels, so a failover
 * can happen as soon as the master is killed.
 */
export async function startSentinelGroup(name = 'mymaster'): Promise<SentinelGroupUnderTest> {
  const dir = await mkdtemp(join(tmpdir(), 'hbt-redis-sentinel-'));
  const processes: RedisProcess[] = [];
  const close = async () => {
    await Promise.all(processes.map((process) => process.kill()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const master = await startOnFreePorts(1, ([port = 0]) => baseFlags(port, dir));
    processes.push(master);
    const masterPort = master.port;
    const replica = await startOnFreePorts(1, ([port = 0]) => [...baseFlags(port, dir), '--replicaof', '127.0.0.1', String(masterPort)]);
    processes.push(replica);
    const replicaPort = replica.port;
    await waitFor('the replica to sync with the master', async () =>
      /master_link_status:up/.test(String(await command(replicaPort, 'INFO', 'replication'))),
    );

    const sentinelPorts: number[] = [];
    for (let index = 0; index < 3; index++) {
      const sentinel = await startOnFreePorts(1, ([port = 0]) => {
        // Sentinel rewrites its config file (what it learns), so each gets a file of its own.
        const config = join(dir, `sentinel-${port}.conf`);
        writeFileSync(
          config,
          [
            `port ${port}`,
            'bind 127.0.0.1',
            `dir ${dir}`,
            `logfile ${join(dir, `sentinel-${port}.log`)}`,
            `sentinel monitor ${name} 127.0.0.1 ${masterPort} 2`,
            `sentinel down-after-milliseconds ${name} ${DOWN_AFTER_MS}`,
            `sentinel failover-timeout ${name} ${FAILOVER_TIMEOUT_MS}`,
            `sentinel parallel-syncs ${name} 1`,
            '',
          ].join('\n'),
        );
        return [config, '--sentinel'];
      });
      processes.push(sentinel);
      sentinelPorts.push(sentinel.port);
    }
    for (const port of sentinelPorts) {
      await waitFor(`sentinel ${port} to know the replica and the other sentinels`, async () => {
        const replicas = (await command(port, 'SENTINEL', 'REPLICAS', name)) as unknown[];
        const peers = (await command(port, 'SENTINEL', 'SENTINELS', name)) as unknown[];
        return replicas.length === 1 && peers.length === 2;
      });
    }
    const [firstSentinel] = sentinelPorts;
    return {
      name,
      sentinels: sentinelPorts.map((port) => ({ host: '127.0.0.1', port })),
      master,
      replica,
      async masterPort() {
        const [, port] = (await command(firstSentinel ?? 0, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name)) as [string, string];
        return Number(port);
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Resolves once every process of the list has exited (for tests that kill one on purpose). */
export function allExited(processes: RedisProcess[]): Promise<void[]> {
  return Promise.all(processes.map(({ child }) => exited(child)));
}
