import type { Config, RuntimeEnv, Settings } from './types.js';

export const MASK = '***';
export const NOT_SET = '(not set)';

type SecretKey = 'gitlabToken' | 'webhookSecrets' | 'webhookSigningToken' | 'adminToken';

export type MaskedRuntimeEnv = Omit<RuntimeEnv, SecretKey> & {
  gitlabToken: string;
  /** One "***" per secret, so rotation (two secrets) stays visible. */
  webhookSecrets: string[] | string;
  webhookSigningToken: string;
  adminToken: string;
};

export interface MaskedSettings {
  config: Config;
  env: MaskedRuntimeEnv;
}

/**
 * A copy of the settings that is safe to print or log: every secret replaced by "***" (or
 * "(not set)"), passwords inside URLs too; everything else unchanged.
 */
export function maskSettings(settings: Settings): MaskedSettings {
  const config = structuredClone(settings.config);
  config.gitlab.url = maskUrlPassword(config.gitlab.url);
  const { env } = settings;
  return {
    config,
    env: {
      ...env,
      gitlabUrl: maskUrlPassword(env.gitlabUrl),
      gitlabToken: maskSecret(env.gitlabToken),
      webhookSecrets: env.webhookSecrets.length === 0 ? NOT_SET : env.webhookSecrets.map(() => MASK),
      webhookSigningToken: maskSecret(env.webhookSigningToken),
      adminToken: maskSecret(env.adminToken),
      redisUrl: maskUrlPassword(env.redisUrl),
      ...(env.redisPassword !== undefined ? { redisPassword: MASK } : {}),
      ...(env.redisTopology !== undefined ? { redisTopology: maskTopology(env.redisTopology) } : {}),
    },
  };
}

function maskTopology<T extends { password?: string; sentinelPassword?: string }>(topology: T): T {
  return {
    ...topology,
    ...(topology.password !== undefined ? { password: MASK } : {}),
    ...(topology.sentinelPassword !== undefined ? { sentinelPassword: MASK } : {}),
  };
}

function maskSecret(value: string | undefined): string {
  return value === undefined || value === '' ? NOT_SET : MASK;
}

/**
 * `redis://user:secret@host/0?password=x` → `redis://user:***@host/0?password=***`. Works on text that
 * is not a valid URL too, since it is also used to echo back a value the user got wrong.
 */
export function maskUrlPassword(text: string): string {
  const schemeEnd = text.indexOf('//');
  let masked = text;
  if (schemeEnd >= 0) {
    const authorityStart = schemeEnd + 2;
    let authorityEnd = text.length;
    for (const delimiter of ['/', '?', '#']) {
      const index = text.indexOf(delimiter, authorityStart);
      if (index >= 0 && index < authorityEnd) authorityEnd = index;
    }
    const authority = text.slice(authorityStart, authorityEnd);
    // The last "@" ends the user info, as URL parsers read it; a password may contain "@" itself.
    const at = authority.lastIndexOf('@');
    const colon = at < 0 ? -1 : authority.slice(0, at).indexOf(':');
    if (colon >= 0) {
      masked = `${text.slice(0, authorityStart + colon + 1)}${MASK}${text.slice(authorityStart + at)}`;
    }
  }
  // ioredis also reads a password from the query string.
  return masked.replace(/([?&]password=)[^&#]*/gi, `$1${MASK}`);
}
