import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { parseRuntimeEnv, readRuntimeEnv } from '../../src/config/env.js';

function envErrors(vars: NodeJS.ProcessEnv): string[] {
  try {
    readRuntimeEnv(vars);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).lines;
  }
  throw new Error('expected a ConfigError');
}

describe('runtime environment', () => {
  it('has the documented defaults', () => {
    expect(readRuntimeEnv({})).toEqual({
      gitlabUrl: 'https://gitlab.com',
      gitlabToken: undefined,
      dryRun: true,
      webhookSecrets: [],
      webhookSigningToken: undefined,
      redisUrl: 'redis://127.0.0.1:6379',
      port: 3000,
      configPath: 'config/handbook-bot.yml',
      configFileLoaded: false,
      queuePrefix: 'handbook-bot',
      role: 'all',
      adminToken: undefined,
      logLevel: 'info',
    });
  });

  it('reads every variable', () => {
    const env = readRuntimeEnv({
      GITLAB_URL: 'https://gitlab.acme.test',
      GITLAB_TOKEN: 'glpat-abc',
      WEBHOOK_SECRET: ' old , new ,,',
      WEBHOOK_SIGNING_TOKEN: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      REDIS_URL: 'rediss://:pw@redis.acme.test:6380/2',
      PORT: '8080',
      HANDBOOK_BOT_CONFIG: '/etc/handbook-bot.yml',
      HANDBOOK_BOT_QUEUE_PREFIX: 'hb_staging-2',
      HANDBOOK_BOT_ROLE: 'worker',
      ADMIN_TOKEN: 'admin-secret',
      LOG_LEVEL: 'DEBUG',
    });
    expect(env).toEqual({
      gitlabUrl: 'https://gitlab.acme.test',
      gitlabToken: 'glpat-abc',
      dryRun: false,
      webhookSecrets: ['old', 'new'],
      webhookSigningToken: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      redisUrl: 'rediss://:pw@redis.acme.test:6380/2',
      port: 8080,
      configPath: '/etc/handbook-bot.yml',
      configFileLoaded: false,
      queuePrefix: 'hb_staging-2',
      role: 'worker',
      adminToken: 'admin-secret',
      logLevel: 'debug',
    });
  });

  it('an empty GITLAB_TOKEN means dry run, like an absent one', () => {
    expect(readRuntimeEnv({ GITLAB_TOKEN: '' }).dryRun).toBe(true);
    expect(readRuntimeEnv({ GITLAB_TOKEN: '  ' }).gitlabToken).toBeUndefined();
  });

  it('rejects a bad PORT', () => {
    for (const port of ['abc', '0', '65536', '3000.5', '-1', '80a']) {
      expect(envErrors({ PORT: port })).toEqual([`PORT: must be a whole number from 1 to 65535, like 3000 (got ${JSON.stringify(port)})`]);
    }
    expect(readRuntimeEnv({ PORT: '65535' }).port).toBe(65535);
  });

  it('rejects a bad HANDBOOK_BOT_ROLE, listing the valid ones', () => {
    expect(envErrors({ HANDBOOK_BOT_ROLE: 'both' })).toEqual(['HANDBOOK_BOT_ROLE: must be one of all, web, worker (got "both")']);
  });

  it('rejects a REDIS_URL that is not redis:// or rediss://', () => {
    expect(envErrors({ REDIS_URL: 'http://127.0.0.1:6379' })).toEqual([
      expect.stringMatching(
        /^REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL, like "redis:\/\/127\.0\.0\.1:6379".*\(got scheme "http:"\)$/,
      ),
    ]);
    expect(envErrors({ REDIS_URL: '127.0.0.1:6379' })[0]).toMatch(/^REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(envErrors({ REDIS_URL: 'not a url' })[0]).toMatch(/^REDIS_URL: .*\(the value is not a URL\)$/);
  });

  it('rejects a WEBHOOK_SIGNING_TOKEN without whsec_, without echoing it', () => {
    const lines = envErrors({ WEBHOOK_SIGNING_TOKEN: 'not-a-signing-token' });
    expect(lines).toEqual([
      expect.stringMatching(/^WEBHOOK_SIGNING_TOKEN: must be the webhook's signing token, which starts with "whsec_"/),
    ]);
    expect(lines.join('\n')).not.toContain('not-a-signing-token');
    expect(envErrors({ WEBHOOK_SIGNING_TOKEN: 'whsec_' })[0]).toMatch(/^WEBHOOK_SIGNING_TOKEN: has nothing after "whsec_"/);
  });

  it('rejects a bad queue prefix, LOG_LEVEL and GITLAB_URL', () => {
    expect(envErrors({ HANDBOOK_BOT_QUEUE_PREFIX: 'hb:{x}' })).toEqual([
      'HANDBOOK_BOT_QUEUE_PREFIX: may hold only letters, digits, "-" and "_", like "handbook-bot" (got "hb:{x}")',
    ]);
    expect(envErrors({ LOG_LEVEL: 'verbose' })).toEqual([
      'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "verbose")',
    ]);
    expect(envErrors({ GITLAB_URL: 'gitlab.example.com' })).toEqual([
      'GITLAB_URL: must be an http(s) URL like "https://gitlab.example.com" (got "gitlab.example.com")',
    ]);
  });

  it('reads the worker knobs, and leaves them unset by default (BullMQ and lock defaults apply)', () => {
    const env = readRuntimeEnv({ HANDBOOK_BOT_WORKER_LOCK_MS: '3000', HANDBOOK_BOT_WORKER_CONCURRENCY: '8' });
    expect([env.workerLockMs, env.workerConcurrency]).toEqual([3000, 8]);
    const defaults = readRuntimeEnv({});
    expect('workerLockMs' in defaults || 'workerConcurrency' in defaults).toBe(false);
    expect(envErrors({ HANDBOOK_BOT_WORKER_LOCK_MS: '500', HANDBOOK_BOT_WORKER_CONCURRENCY: 'four' })).toEqual([
      'HANDBOOK_BOT_WORKER_LOCK_MS: must be a whole number from 1000 to 600000, like 30000 (got "500")',
      'HANDBOOK_BOT_WORKER_CONCURRENCY: must be a whole number from 1 to 100, like 4 (got "four")',
    ]);
  });

  it('collects every problem at once', () => {
    const { problems } = parseRuntimeEnv({ PORT: 'x', HANDBOOK_BOT_ROLE: 'x', REDIS_URL: 'x', WEBHOOK_SIGNING_TOKEN: 'x' });
    expect(problems.map((problem) => problem.path)).toEqual(['WEBHOOK_SIGNING_TOKEN', 'REDIS_URL', 'PORT', 'HANDBOOK_BOT_ROLE']);
  });
});
