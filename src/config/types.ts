import type { ClusterTopology, SentinelTopology } from './redis-topology.js';
import type { FileConfig, ProjectRef } from './schema.js';

/** Which parts of the program this process runs (`HANDBOOK_BOT_ROLE`). */
export type ProcessRole = 'all' | 'web' | 'worker';

/** The configuration after defaults, file and environment are merged; projects resolved. */
export interface Config extends FileConfig {
  okr: FileConfig['okr'] & { project: ProjectRef | undefined };
  recruiting: FileConfig['recruiting'] & { project: ProjectRef | undefined };
}

/** Settings that come only from the environment (secrets among them: never log this object whole). */
export interface RuntimeEnv {
  gitlabUrl: string;
  /** Absent → dry-run: plans are logged, nothing is written to GitLab. */
  gitlabToken: string | undefined;
  dryRun: boolean;
  /** `WEBHOOK_SECRET`, split on commas for rotation. */
  webhookSecrets: string[];
  webhookSigningToken: string | undefined;
  redisUrl: string;
  /**
   * A Redis Cluster (`REDIS_CLUSTER_NODES`) or Sentinel group (`REDIS_SENTINELS`); absent: the single
   * node at `redisUrl`. See redisTopologyOf (src/queue/connection.ts).
   */
  redisTopology?: ClusterTopology | SentinelTopology;
  /** `REDIS_PASSWORD` for a single node whose URL carries none (cluster and sentinel hold their own). */
  redisPassword?: string;
  port: number;
  configPath: string;
  /** Set when the config file was actually read (not built-in defaults). */
  configFileLoaded: boolean;
  queuePrefix: string;
  role: ProcessRole;
  adminToken: string | undefined;
  logLevel: string;
  /**
   * `HANDBOOK_BOT_WORKER_LOCK_MS`: how long a crashed worker's claims last (BullMQ's job lock and
   * stalled check, and the per-page/per-MR keyed locks). Unset: BullMQ's 30 s and the locks' 60 s.
   */
  workerLockMs?: number;
  /** `HANDBOOK_BOT_WORKER_CONCURRENCY`: jobs one worker process runs at once (default 4). */
  workerConcurrency?: number;
}

export interface Settings {
  config: Config;
  env: RuntimeEnv;
}
