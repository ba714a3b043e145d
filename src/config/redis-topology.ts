import { maskUrlPassword } from './mask.js';

/**
 * Where the bot's Redis is: one node (`REDIS_URL`), a Redis Cluster (`REDIS_CLUSTER_NODES`) or a
 * master watched by Sentinel (`REDIS_SENTINELS`). Parsed from the environment by env.ts; connections
 * for it are built by src/queue/connection.ts.
 */

export interface RedisAddress {
  host: string;
  port: number;
}

export interface SingleTopology {
  kind: 'single';
  url: string;
  /** `REDIS_PASSWORD`, used when the URL carries none. */
  password?: string;
}

export interface ClusterTopology {
  kind: 'cluster';
  /** Seed nodes; the client discovers the rest from them. */
  nodes: RedisAddress[];
  password?: string;
}

export interface SentinelTopology {
  kind: 'sentinel';
  sentinels: RedisAddress[];
  /** The master's name in the sentinels' configuration (`REDIS_SENTINEL_NAME`, default `mymaster`). */
  name: string;
  /** For the master and replicas. */
  password?: string;
  /** For the sentinels themselves, when they have `requirepass` (`REDIS_SENTINEL_PASSWORD`). */
  sentinelPassword?: string;
}

export type RedisTopology = SingleTopology | ClusterTopology | SentinelTopology;

export const DEFAULT_SENTINEL_NAME = 'mymaster';

/** The environment variable that names each topology, for messages. */
export const TOPOLOGY_VARIABLE = {
  single: 'REDIS_URL',
  cluster: 'REDIS_CLUSTER_NODES',
  sentinel: 'REDIS_SENTINELS',
} as const satisfies Record<RedisTopology['kind'], string>;

/**
 * `host:port,host:port` → addresses; `[::1]:7000` for IPv6. Returns a message saying what is wrong
 * (without echoing anything but the offending entry) instead of throwing.
 */
export function parseAddressList(text: string): RedisAddress[] | string {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) return 'must list at least one host:port, like "10.0.0.1:7000,10.0.0.2:7000"';
  const addresses: RedisAddress[] = [];
  for (const entry of entries) {
    const match = /^(?:\[([^\]]+)\]|([^:[\]\s]+)):(\d+)$/.exec(entry);
    const port = match ? Number(match[3]) : Number.NaN;
    const host = match?.[1] ?? match?.[2];
    if (host === undefined || !Number.isInteger(port) || port < 1 || port > 65535) {
      return `each entry must be host:port with a port from 1 to 65535, like "10.0.0.1:7000" or "[::1]:7000" (got ${JSON.stringify(entry)})`;
    }
    addresses.push({ host, port });
  }
  return addresses;
}

export function formatAddress({ host, port }: RedisAddress): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * For logs and error messages: which topology, where, and the variable that set it. Never shows a
 * password (a URL's is masked; REDIS_PASSWORD is not part of it).
 */
export function describeRedisTopology(topology: RedisTopology): string {
  switch (topology.kind) {
    case 'single':
      return `Redis at ${maskUrlPassword(topology.url)} (REDIS_URL)`;
    case 'cluster':
      return `Redis Cluster at ${topology.nodes.map(formatAddress).join(',')} (REDIS_CLUSTER_NODES)`;
    case 'sentinel':
      return `Redis Sentinel master "${topology.name}" via ${topology.sentinels.map(formatAddress).join(',')} (REDIS_SENTINELS)`;
  }
}

/** What a user can do about a Redis that cannot be reached at start, per topology. */
export function redisStartupHint(topology: RedisTopology): string {
  switch (topology.kind) {
    case 'single':
      return (
        'Start one (for example `redis-server`, or `docker compose up redis`), or set REDIS_URL to where it runs ' +
        '(REDIS_CLUSTER_NODES for a Redis Cluster, REDIS_SENTINELS for Sentinel)'
      );
    case 'cluster':
      return (
        'Check that REDIS_CLUSTER_NODES lists reachable cluster nodes as host:port, that `redis-cli -c -h <host> -p <port> ' +
        'cluster info` says cluster_state:ok, and that REDIS_PASSWORD matches their requirepass'
      );
    case 'sentinel':
      return (
        'Check that REDIS_SENTINELS lists reachable sentinels as host:port, that REDIS_SENTINEL_NAME is the name they ' +
        'monitor (`redis-cli -p <port> sentinel masters`), and that REDIS_PASSWORD (master) and REDIS_SENTINEL_PASSWORD ' +
        '(sentinels) are right'
      );
  }
}
