import { configSchema } from '../../src/config/schema.js';
import type { Config, RuntimeEnv, Settings } from '../../src/config/types.js';

/**
 * Settings for tests without the loader: the file config parsed by the real schema, the okr and
 * recruiting projects resolved to the handbook project as the loader does, and a RuntimeEnv literal.
 */

export const TEST_SECRET = 'test-webhook-secret';

export interface SettingsOverrides {
  /** The config file's content (defaults: handbook project `acme/handbook`, branch from the payload). */
  config?: Record<string, unknown>;
  env?: Partial<RuntimeEnv>;
}

export function testSettings(overrides: SettingsOverrides = {}): Settings {
  const file = configSchema.parse({ handbook: { project: 'acme/handbook' }, ...overrides.config });
  const config: Config = {
    ...file,
    okr: { ...file.okr, project: file.okr.project ?? file.handbook.project },
    recruiting: { ...file.recruiting, project: file.recruiting.project ?? file.handbook.project },
  };
  const env: RuntimeEnv = {
    gitlabUrl: 'https://gitlab.example.com',
    gitlabToken: undefined,
    dryRun: true,
    webhookSecrets: [TEST_SECRET],
    webhookSigningToken: undefined,
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    port: 0,
    configPath: 'config/handbook-bot.yml',
    configFileLoaded: false,
    queuePrefix: 'hbt-test',
    role: 'all',
    adminToken: undefined,
    logLevel: 'silent',
    ...overrides.env,
  };
  return { config, env };
}
