import type { ConfigProblem } from './config-error.js';
import { ConfigError } from './config-error.js';
import { maskUrlPassword } from './mask.js';
import { DEFAULT_SENTINEL_NAME, parseAddressList, type ClusterTopology, type SentinelTopology } from './redis-topology.js';
import type { ProcessRole, RuntimeEnv } from './types.js';

export const DEFAULT_CONFIG_PATH = 'config/handbook-bot.yml';
export const DEFAULT_GITLAB_URL = 'https://gitlab.com';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_PORT = 3000;
export const DEFAULT_QUEUE_PREFIX = 'handbook-bot';
export const PROCESS_ROLES = ['all', 'web', 'worker'] as const satisfies readonly ProcessRole[];
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const SIGNING_TOKEN_PREFIX = 'whsec_';

/**
 * A variable's value, trimmed; empty counts as unset, because `FOO=` in a compose file or a secret
 * mounted with a trailing newline should behave like the user meant.
 */
export function envValue(vars: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = vars[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Reads the runtime environment, collecting every problem instead of stopping at the first. Messages
 * never repeat a secret's value (tokens, or a Redis URL's password).
 */
export function parseRuntimeEnv(vars: NodeJS.ProcessEnv): { env: RuntimeEnv; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const problem = (path: string, message: string): void => {
    problems.push({ path, message });
  };

  const gitlabUrl = envValue(vars, 'GITLAB_URL') ?? DEFAULT_GITLAB_URL;
  if (!isHttpUrl(gitlabUrl)) {
    problem('GITLAB_URL', `must be an http(s) URL like "https://gitlab.example.com" (got ${JSON.stringify(maskUrlPassword(gitlabUrl))})`);
  }

  const gitlabToken = envValue(vars, 'GITLAB_TOKEN');

  const webhookSecrets = (vars.WEBHOOK_SECRET ?? '')
    .split(',')
    .map((secret) => secret.trim())
    .filter((secret) => secret !== '');

  const webhookSigningToken = envValue(vars, 'WEBHOOK_SIGNING_TOKEN');
  if (webhookSigningToken !== undefined && !webhookSigningToken.startsWith(SIGNING_TOKEN_PREFIX)) {
    problem(
      'WEBHOOK_SIGNING_TOKEN',
      `must be the webhook's signing token, which starts with "${SIGNING_TOKEN_PREFIX}" (copy it from the webhook's settings in GitLab, or unset the variable)`,
    );
  } else if (webhookSigningToken === SIGNING_TOKEN_PREFIX) {
    problem(
      'WEBHOOK_SIGNING_TOKEN',
      `has nothing after "${SIGNING_TOKEN_PREFIX}" (copy the whole token from the webhook's settings in GitLab)`,
    );
  }

  const redisUrl = envValue(vars, 'REDIS_URL') ?? DEFAULT_REDIS_URL;
  const redisProblem = checkRedisUrl(redisUrl);
  if (redisProblem !== undefined) problem('REDIS_URL', redisProblem);
  const redis = parseRedisTopology(vars, problem);

  const portText = envValue(vars, 'PORT');
  let port = DEFAULT_PORT;
  if (portText !== undefined) {
    const parsed = /^\d+$/.test(portText) ? Number(portText) : Number.NaN;
    if (Number.isInteger(parsed) && parsed >= 1 && parsed <= 65535) {
      port = parsed;
    } else {
      problem('PORT', `must be a whole number from 1 to 65535, like 3000 (got ${JSON.stringify(portText)})`);
    }
  }

  const configPath = envValue(vars, 'HANDBOOK_BOT_CONFIG') ?? DEFAULT_CONFIG_PATH;

  const queuePrefix = envValue(vars, 'HANDBOOK_BOT_QUEUE_PREFIX') ?? DEFAULT_QUEUE_PREFIX;
  if (!/^[A-Za-z0-9_-]+$/.test(queuePrefix)) {
    problem(
      'HANDBOOK_BOT_QUEUE_PREFIX',
      `may hold only letters, digits, "-" and "_", like "handbook-bot" (got ${JSON.stringify(queuePrefix)})`,
    );
  }

  const roleText = (envValue(vars, 'HANDBOOK_BOT_ROLE') ?? 'all').toLowerCase();
  const role = PROCESS_ROLES.find((candidate) => candidate === roleText);
  if (role === undefined) {
    problem('HANDBOOK_BOT_ROLE', `must be one of ${PROCESS_ROLES.join(', ')} (got ${JSON.stringify(roleText)})`);
  }

  const logLevelText = (envValue(vars, 'LOG_LEVEL') ?? 'info').toLowerCase();
  const logLevel = LOG_LEVELS.find((candidate) => candidate === logLevelText);
  if (logLevel === undefined) {
    problem('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')} (got ${JSON.stringify(logLevelText)})`);
  }

  const workerLockMs = wholeNumber(vars, 'HANDBOOK_BOT_WORKER_LOCK_MS', 1_000, 600_000, '30000', problem);
  const workerConcurrency = wholeNumber(vars, 'HANDBOOK_BOT_WORKER_CONCURRENCY', 1, 100, '4', problem);

  const env: RuntimeEnv = {
    gitlabUrl,
    gitlabToken,
    dryRun: gitlabToken === undefined,
    webhookSecrets,
    webhookSigningToken,
    redisUrl,
    ...(redis.topology !== undefined ? { redisTopology: redis.topology } : {}),
    ...(redis.topology === undefined && redis.password !== undefined ? { redisPassword: redis.password } : {}),
    port,
    configPath,
    configFileLoaded: false,
    queuePrefix,
    role: role ?? 'all',
    adminToken: envValue(vars, 'ADMIN_TOKEN'),
    logLevel: logLevel ?? 'info',
    ...(workerLockMs !== undefined ? { workerLockMs } : {}),
    ...(workerConcurrency !== undefined ? { workerConcurrency } : {}),
  };
  return { env, problems };
}

/** The runtime environment alone; throws a ConfigError naming every variable that is wrong. */
export function readRuntimeEnv(vars: NodeJS.ProcessEnv = process.env): RuntimeEnv {
  const { env, problems } = parseRuntimeEnv(vars);
  if (problems.length > 0) throw new ConfigError(problems);
  return env;
}

/**
 * REDIS_CLUSTER_NODES or REDIS_SENTINELS (not both, and neither beside an explicit REDIS_URL, which
 * keeps meaning one node), with REDIS_PASSWORD, REDIS_SENTINEL_NAME and REDIS_SENTINEL_PASSWORD.
 */
function parseRedisTopology(
  vars: NodeJS.ProcessEnv,
  problem: (path: string, message: string) => void,
): { topology?: ClusterTopology | SentinelTopology; password?: string } {
  const clusterText = envValue(vars, 'REDIS_CLUSTER_NODES');
  const sentinelText = envValue(vars, 'REDIS_SENTINELS');
  // Passwords are taken as they are: a space in one is the user's business, not a typo to trim.
  const password = vars.REDIS_PASSWORD === undefined || vars.REDIS_PASSWORD === '' ? undefined : vars.REDIS_PASSWORD;
  const sentinelPassword =
    vars.REDIS_SENTINEL_PASSWORD === undefined || vars.REDIS_SENTINEL_PASSWORD === '' ? undefined : vars.REDIS_SENTINEL_PASSWORD;
  const withPassword = password !== undefined ? { password } : {};

  if (clusterText !== undefined && sentinelText !== undefined) {
    problem('REDIS_CLUSTER_NODES', 'and REDIS_SENTINELS are both set; a deployment uses one Redis topology, so unset one of them');
    return {};
  }
  const explicitUrl = envValue(vars, 'REDIS_URL') !== undefined;
  const other = clusterText !== undefined ? 'REDIS_CLUSTER_NODES' : sentinelText !== undefined ? 'REDIS_SENTINELS' : undefined;
  if (other !== undefined && explicitUrl) {
    problem(
      'REDIS_URL',
      `and ${other} are both set; REDIS_URL means a single Redis node, so unset REDIS_URL to use ${other} (or unset ${other})`,
    );
    return {};
  }
  if (clusterText !== undefined) {
    const nodes = parseAddressList(clusterText);
    if (typeof nodes === 'string') {
      problem('REDIS_CLUSTER_NODES', nodes);
      return {};
    }
    return { topology: { kind: 'cluster', nodes, ...withPassword } };
  }
  if (sentinelText !== undefined) {
    const sentinels = parseAddressList(sentinelText);
    if (typeof sentinels === 'string') {
      problem('REDIS_SENTINELS', sentinels);
      return {};
    }
    const name = envValue(vars, 'REDIS_SENTINEL_NAME') ?? DEFAULT_SENTINEL_NAME;
    return {
      topology: { kind: 'sentinel', sentinels, name, ...withPassword, ...(sentinelPassword !== undefined ? { sentinelPassword } : {}) },
    };
  }
  for (const name of ['REDIS_SENTINEL_NAME', 'REDIS_SENTINEL_PASSWORD']) {
    if (envValue(vars, name) !== undefined)
      problem(name, 'is set but REDIS_SENTINELS is not; list the sentinels in REDIS_SENTINELS as host:port,host:port, or unset it');
  }
  return withPassword;
}

/** An optional whole number within bounds; a problem (and undefined) when it is anything else. */
function wholeNumber(
  vars: NodeJS.ProcessEnv,
  name: string,
  min: number,
  max: number,
  example: string,
  problem: (path: string, message: string) => void,
): number | undefined {
  const text = envValue(vars, name);
  if (text === undefined) return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isInteger(value) && value >= min && value <= max) return value;
  problem(name, `must be a whole number from ${min} to ${max}, like ${example} (got ${JSON.stringify(text)})`);
  return undefined;
}

function isHttpUrl(text: string): boolean {
  const url = parseUrl(text);
  return url !== undefined && (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}

function checkRedisUrl(text: string): string | undefined {
  const fix = 'like "redis://127.0.0.1:6379" or "rediss://:password@redis.example.com:6380/0"';
  const url = parseUrl(text);
  if (url === undefined) return `must be a redis:// or rediss:// URL, ${fix} (the value is not a URL)`;
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    return `must be a redis:// or rediss:// URL, ${fix} (got scheme "${url.protocol}")`;
  }
  if (url.hostname === '') return `must name a host, ${fix}`;
  return undefined;
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
