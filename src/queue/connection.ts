import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import {
  describeRedisTopology,
  formatAddress,
  redisStartupHint,
  type RedisAddress,
  type RedisTopology,
  type SentinelTopology,
} from '../config/redis-topology.js';
import type { RuntimeEnv } from '../config/types.js';
import type { Logger } from '../log.js';

/**
 * Every Redis connection of the bot is built here, for any topology (one node, Redis Cluster,
 * Sentinel), with one of two policies that want opposite things:
 *
 * - a producer (the web role, the CLI, the GitLab budget) must fail fast when Redis is down, so a
 *   delivery is answered 503 within milliseconds (GitLab then redelivers) instead of hanging on
 *   ioredis' offline queue until GitLab's 10 s timeout: no offline queue, one retry per command, short
 *   connect and command timeouts;
 * - a worker must wait out an outage or a failover: BullMQ requires `maxRetriesPerRequest: null` for
 *   its blocking calls, and commands wait in the offline queue until the (new) master answers.
 *
 * On a Cluster the per-node policy goes in `redisOptions` (where BullMQ looks for
 * `maxRetriesPerRequest`), the offline queue and reconnect policy on the Cluster itself.
 */

export type ConnectionRole = 'producer' | 'worker';

/** A connection of any topology: Sentinel gives a plain `Redis` that follows the master. */
export type RedisClient = Redis | Cluster;

export interface ConnectionOptions {
  logger?: Logger;
  /** Shown in `CLIENT LIST`, to tell the roles apart when debugging. */
  name?: string;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
  /** Extra ioredis options (tests use them to shorten reconnect delays); per node on a Cluster. */
  redis?: RedisOptions;
  /** Extra Cluster options (Cluster topology only). */
  cluster?: ClusterOptions;
}

const PRODUCER_DEFAULTS: RedisOptions = {
  enableOfflineQueue: false,
  // Commands issued in the same tick go out in one write: a delivery's dedupe SET and its job's Lua
  // script, and those of concurrent deliveries. Ingest bench, same host, interleaved: bot/bare 0.28 with
  // it vs 0.23 without, 232–248 vs 250–296 µs CPU a delivery.
  enableAutoPipelining: true,
  maxRetriesPerRequest: 1,
  connectTimeout: 2_000,
  commandTimeout: 2_000,
  // Reconnect quickly: every second without Redis is a second of 503s.
  retryStrategy: (attempt: number) => Math.min(50 * attempt, 1_000),
};

const WORKER_DEFAULTS: RedisOptions = {
  maxRetriesPerRequest: null,
  enableOfflineQueue: true,
  connectTimeout: 10_000,
  retryStrategy: (attempt: number) => Math.min(200 * attempt, 5_000),
};

/** The topology the environment names: REDIS_CLUSTER_NODES, REDIS_SENTINELS, else REDIS_URL. */
export function redisTopologyOf(env: Pick<RuntimeEnv, 'redisUrl' | 'redisTopology' | 'redisPassword'>): RedisTopology {
  return (
    env.redisTopology ?? { kind: 'single', url: env.redisUrl, ...(env.redisPassword !== undefined ? { password: env.redisPassword } : {}) }
  );
}

/** A single node from a URL (tests, tools), or any topology from the environment. */
export function createRedisConnection(target: string, role: ConnectionRole, options?: ConnectionOptions): Redis;
export function createRedisConnection(target: RedisTopology, role: ConnectionRole, options?: ConnectionOptions): RedisClient;
export function createRedisConnection(target: string | RedisTopology, role: ConnectionRole, options: ConnectionOptions = {}): RedisClient {
  const topology: RedisTopology = typeof target === 'string' ? { kind: 'single', url: target } : target;
  const base = role === 'producer' ? PRODUCER_DEFAULTS : WORKER_DEFAULTS;
  const perNode: RedisOptions = {
    ...base,
    ...(options.connectTimeoutMs !== undefined ? { connectTimeout: options.connectTimeoutMs } : {}),
    ...(options.commandTimeoutMs !== undefined ? { commandTimeout: options.commandTimeoutMs } : {}),
    connectionName: options.name ?? `handbook-bot-${role}`,
    ...(topology.kind !== 'single' && topology.password !== undefined ? { password: topology.password } : {}),
    ...options.redis,
  };
  const client = build(topology, perNode, options.cluster);
  logErrorStreaks(client, topology, role, options.logger);
  return client;
}

function build(topology: RedisTopology, perNode: RedisOptions, clusterExtra: ClusterOptions | undefined): RedisClient {
  switch (topology.kind) {
    case 'single':
      return new Redis(topology.url, withUrlPassword(topology.url, topology.password, perNode));
    case 'sentinel':
      return new Redis(sentinelOptions(topology, perNode));
    case 'cluster': {
      // Offline queue, reconnect and pipelining belong to the Cluster; ioredis forces each node's own
      // offline queue on and reconnects nodes through slot refreshes, not per-node retry strategies.
      const { enableOfflineQueue, retryStrategy, enableAutoPipelining, ...redisOptions } = perNode;
      return new Cluster(
        topology.nodes.map(({ host, port }) => ({ host, port })),
        {
          ...(enableOfflineQueue !== undefined ? { enableOfflineQueue } : {}),
          ...(enableAutoPipelining !== undefined ? { enableAutoPipelining } : {}),
          clusterRetryStrategy: retryStrategy ?? null,
          redisOptions,
          ...clusterExtra,
        },
      );
    }
  }
}

function sentinelOptions(topology: SentinelTopology, perNode: RedisOptions): RedisOptions {
  return {
    ...perNode,
    sentinels: topology.sentinels.map(({ host, port }) => ({ host, port })),
    name: topology.name,
    role: 'master',
    // A master demoted by a failover stays up and refuses writes with READONLY: reconnect, which asks
    // the sentinels for the new master; a worker (offline queue on) also resends the command, a
    // producer fails it (503, GitLab redelivers). ioredis' `failoverDetector` would do this sooner, but
    // its disconnect can land while the connector is resolving the master, which ends the connection
    // for good (status "end"; seen in the Sentinel test), so it stays off.
    reconnectOnError: (err: Error) => (err.message.startsWith('READONLY') ? (perNode.enableOfflineQueue === false ? 1 : 2) : false),
    ...(topology.sentinelPassword !== undefined ? { sentinelPassword: topology.sentinelPassword } : {}),
  };
}

/** REDIS_PASSWORD for a single node whose URL has none (a URL's own password wins). */
function withUrlPassword(url: string, password: string | undefined, options: RedisOptions): RedisOptions {
  if (password === undefined) return options;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed !== undefined && (parsed.password !== '' || parsed.searchParams.has('password'))) return options;
  return { password, ...options };
}

/**
 * ioredis emits an error on every failed reconnect attempt (a Cluster once per node, too): log the
 * first of a streak, naming the topology, and the recovery, not each one.
 */
function logErrorStreaks(client: RedisClient, topology: RedisTopology, role: ConnectionRole, logger: Logger | undefined): void {
  let failing = false;
  const where = describeRedisTopology(topology);
  const onError = (err: Error) => {
    if (failing) return;
    failing = true;
    logger?.warn({ role, redis: where, err: errorReason(err) }, 'redis connection error');
  };
  client.on('error', onError);
  client.on('ready', () => {
    if (failing) logger?.info({ role, redis: where }, 'redis connection restored');
    failing = false;
  });
}

/** True when commands sent now would be written to Redis (not rejected or queued). */
export function isConnected(client: RedisClient): boolean {
  return client.status === 'ready';
}

/** The most specific reason in an ioredis error: a Cluster's last node error, a socket's code. */
export function errorReason(err: unknown): string {
  if (typeof err !== 'object' || err === null) return String(err);
  const nodeError = (err as { lastNodeError?: unknown }).lastNodeError;
  if (nodeError instanceof Error) return errorReason(nodeError);
  const code = (err as NodeJS.ErrnoException).code;
  const message = err instanceof Error ? err.message : JSON.stringify(err);
  return code !== undefined && !message.includes(code) ? `${code} ${message}` : message;
}

const PROBE_TIMEOUT_MS = 2_000;

/** One connection attempt, no retries, no queueing: a probe answers quickly either way. */
function probeOptions(password: string | undefined): RedisOptions {
  return {
    lazyConnect: true,
    connectTimeout: PROBE_TIMEOUT_MS,
    commandTimeout: PROBE_TIMEOUT_MS,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    ...(password !== undefined ? { password } : {}),
  };
}

/**
 * Connects once (no retries) and checks the topology is what the environment says it is. Resolves
 * with undefined when usable, else with the reason (never a password).
 */
export async function probeRedis(topology: RedisTopology): Promise<string | undefined> {
  const once = probeOptions(topology.kind !== 'single' ? topology.password : undefined);
  const errors: unknown[] = [];
  let client: RedisClient;
  switch (topology.kind) {
    case 'single':
      client = new Redis(topology.url, withUrlPassword(topology.url, topology.password, once));
      break;
    case 'sentinel':
      client = new Redis({ ...sentinelOptions(topology, once), sentinelRetryStrategy: () => null });
      break;
    case 'cluster': {
      const { enableOfflineQueue: _queue, retryStrategy: _retry, ...redisOptions } = once;
      client = new Cluster(topology.nodes, {
        lazyConnect: true,
        enableOfflineQueue: false,
        clusterRetryStrategy: () => null,
        redisOptions,
      });
      break;
    }
  }
  const sentinelErrors: Error[] = [];
  client.on('error', (err: unknown) => errors.push(err));
  client.on('node error', (err: unknown) => errors.push(err));
  client.on('sentinelError', (err: Error) => sentinelErrors.push(err));
  try {
    await client.connect();
    await client.ping();
    if (topology.kind === 'single') {
      // Managed services may rename or refuse INFO: then there is nothing to tell, not a failure.
      const info = await client.info('cluster').catch(() => '');
      if (/cluster_enabled:1/.test(info)) {
        return 'it is a Redis Cluster node (cluster_enabled:1), which REDIS_URL cannot use: unset REDIS_URL and list the cluster nodes in REDIS_CLUSTER_NODES=host:port,host:port';
      }
    }
    if (topology.kind === 'cluster' && client instanceof Cluster) {
      const info = String(await client.cluster('INFO').catch(() => ''));
      const state = /cluster_state:(\w+)/.exec(info)?.[1];
      if (state !== undefined && state !== 'ok')
        return `the cluster reports cluster_state:${state ?? 'unknown'} (not every slot is served)`;
    }
    return undefined;
  } catch (error) {
    // Sentinels that answer but know no such master (Redis 7: "ERR No such master with that name",
    // older ones a null reply): ioredis then says all sentinels are unreachable, which would send
    // the user looking at the network.
    const noSuchMaster = /No such master with that name|got an invalid reply: null/;
    if (topology.kind === 'sentinel' && [error, ...sentinelErrors].some((err) => err instanceof Error && noSuchMaster.test(err.message))) {
      return `the sentinels know no master named "${topology.name}" (REDIS_SENTINEL_NAME); \`redis-cli -p <sentinel port> sentinel masters\` lists the names they monitor`;
    }
    // A Cluster's or the sentinels' connect error is generic ("Connection is closed."): ask each
    // address directly, to name the ones that fail and why.
    if (topology.kind !== 'single') {
      const addresses = topology.kind === 'cluster' ? topology.nodes : topology.sentinels;
      const password = topology.kind === 'cluster' ? topology.password : topology.sentinelPassword;
      const failures = await Promise.all(addresses.map(async (address) => ({ address, reason: await pingAddress(address, password) })));
      const failed = failures.filter((failure) => failure.reason !== undefined);
      if (failed.length > 0) return failed.map(({ address, reason }) => `${formatAddress(address)}: ${reason ?? ''}`).join(', ');
    }
    const specific = errors.find((err) => typeof err === 'object' && err !== null && 'lastNodeError' in err) ?? errors[0];
    return errorReason(specific ?? error);
  } finally {
    client.disconnect();
  }
}

/** PING one address without retries: undefined when it answers, else the socket's error code or the message. */
async function pingAddress({ host, port }: RedisAddress, password: string | undefined): Promise<string | undefined> {
  const client = new Redis({ host, port, ...probeOptions(password) });
  // connect() rejects with "Connection is closed."; the socket's error comes as an event first.
  let socketError: unknown;
  client.on('error', (err: unknown) => {
    socketError ??= err;
  });
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (error) {
    const cause = socketError ?? error;
    return (cause as NodeJS.ErrnoException).code ?? errorReason(cause);
  } finally {
    client.disconnect();
  }
}

/** One line for a Redis that cannot be used at start: topology, addresses, reason, how to fix. */
export function redisStartupError(topology: RedisTopology, reason: string): string {
  return `cannot reach ${describeRedisTopology(topology)}: ${reason}. ${redisStartupHint(topology)}.`;
}
