import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { configCheck } from '../../src/cli/config-check.js';
import { ConfigError } from '../../src/config/config-error.js';
import { loadSettings } from '../../src/config/load.js';
import { maskSettings, maskUrlPassword } from '../../src/config/mask.js';
import { useTempDir } from './temp-dir.js';

const SECRETS = {
  GITLAB_TOKEN: 'glpat-secret-value',
  WEBHOOK_SECRET: 's1-rotating-old,s2-rotating-new',
  WEBHOOK_SIGNING_TOKEN: 'whsec_c2lnbmluZy1zZWNyZXQ=',
  ADMIN_TOKEN: 'admin-token-value',
  REDIS_URL: 'redis://default:redis-password-value@redis.internal:6379/0',
};
const SECRET_STRINGS = [
  'glpat-secret-value',
  's1-rotating-old',
  's2-rotating-new',
  'whsec_c2lnbmluZy1zZWNyZXQ=',
  'c2lnbmluZy1zZWNyZXQ',
  'admin-token-value',
  'redis-password-value',
];

function run(options: { configPath?: string; env: NodeJS.ProcessEnv; json?: boolean }): { code: number; output: string } {
  const lines: string[] = [];
  const code = configCheck({ ...options, stdout: (line) => lines.push(line) });
  return { code, output: lines.join('\n') };
}

function expectNoSecrets(text: string): void {
  for (const secret of SECRET_STRINGS) expect(text).not.toContain(secret);
}

describe('config check', () => {
  const temp = useTempDir();
  beforeEach(temp.create);
  afterEach(temp.cleanup);

  it('prints the effective configuration as YAML with every secret masked (exit 0)', () => {
    const { code, output } = run({ configPath: 'config/handbook-bot.example.yml', env: SECRETS });
    expect(code).toBe(0);
    expectNoSecrets(output);
    expect(output.split('\n')[0]).toMatch(/^# handbook-bot configuration is valid: config\/handbook-bot\.example\.yml/);
    const printed = parseYaml(output) as { config: { handbook: { project: string } }; env: Record<string, unknown> };
    expect(printed.config.handbook.project).toBe('acme/handbook');
    expect(printed.env).toMatchObject({
      gitlabToken: '***',
      webhookSecrets: ['***', '***'],
      webhookSigningToken: '***',
      adminToken: '***',
      redisUrl: 'redis://default:***@redis.internal:6379/0',
      dryRun: false,
      configFileLoaded: true,
    });
  });

  it('prints JSON with --json, secrets masked', () => {
    const { code, output } = run({ configPath: 'config/handbook-bot.example.yml', env: SECRETS, json: true });
    expect(code).toBe(0);
    expectNoSecrets(output);
    const printed = JSON.parse(output) as { config: { recruiting: { project: string } }; env: { gitlabToken: string } };
    expect(printed.config.recruiting.project).toBe('acme/recruiting');
    expect(printed.env.gitlabToken).toBe('***');
  });

  it('says "(not set)" for absent secrets', () => {
    const { output } = run({ configPath: 'config/handbook-bot.example.yml', env: {}, json: true });
    const printed = JSON.parse(output) as { env: Record<string, unknown> };
    expect(printed.env).toMatchObject({
      gitlabToken: '(not set)',
      webhookSecrets: '(not set)',
      webhookSigningToken: '(not set)',
      adminToken: '(not set)',
      dryRun: true,
    });
  });

  it('exits 1 with one line per problem, secrets still masked', () => {
    const path = temp.write('bad.yml', 'gitlab:\n  url: ftp://bot:file-password-value@gitlab.example.com\nhandbook:\n  projekt: x\n');
    const env = { ...SECRETS, PORT: '99999', REDIS_URL: 'http://default:redis-password-value@redis.internal:6379' };
    const { code, output } = run({ configPath: path, env });
    expect(code).toBe(1);
    expectNoSecrets(output);
    expect(output).not.toContain('file-password-value');
    expect(output.split('\n')).toEqual([
      'Invalid configuration (5 problems):',
      `${path}:2: gitlab.url: must be an http(s) URL like "https://gitlab.example.com" (got "ftp://bot:***@gitlab.example.com")`,
      `${path}:3: handbook.project is required: the path (group/project) or id of the handbook project (add "project: acme/handbook" under "handbook:")`,
      `${path}:4: handbook.projekt: unknown key (did you mean "project"?)`,
      expect.stringMatching(/^REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL, .*\(got scheme "http:"\)$/),
      'PORT: must be a whole number from 1 to 65535, like 3000 (got "99999")',
    ]);
  });

  it('exits 1 with JSON problems under --json', () => {
    const path = temp.write('bad.yml', 'handbook:\n  project: acme/handbook\nokr:\n  fiscalYearStartMonth: 14\n');
    const { code, output } = run({ configPath: path, env: SECRETS, json: true });
    expect(code).toBe(1);
    expect(JSON.parse(output)).toEqual({
      error: 'invalid',
      problems: [
        {
          file: path,
          line: 4,
          path: 'okr.fiscalYearStartMonth',
          message: 'must be at most 12 (got 14)',
          text: `${path}:4: okr.fiscalYearStartMonth: must be at most 12 (got 14)`,
        },
      ],
    });
  });

  it('exits 2 when the file does not exist', () => {
    const missing = `${temp.dir()}/missing.yml`;
    const { code, output } = run({ configPath: missing, env: {} });
    expect(code).toBe(2);
    expect(output).toContain(`${missing}: file not found`);
    expect(run({ env: { HANDBOOK_BOT_CONFIG: missing } }).code).toBe(2);
  });

  it('exits 1 on a YAML syntax error', () => {
    const path = temp.write('syntax.yml', 'handbook:\n  project: [acme\n');
    const { code, output } = run({ configPath: path, env: {} });
    expect(code).toBe(1);
    expect(output).toMatch(new RegExp(`${path}:\\d+:\\d+: `));
  });
});

describe('secrets never leak', () => {
  it('maskSettings replaces every secret and changes nothing else', () => {
    const settings = loadSettings({ env: { ...SECRETS, HANDBOOK_BOT_CONFIG: 'config/handbook-bot.example.yml' } });
    const masked = maskSettings(settings);
    expectNoSecrets(JSON.stringify(masked));
    expect(masked.config).toEqual(settings.config);
    expect(masked.config).not.toBe(settings.config);
    const { gitlabToken, webhookSecrets, webhookSigningToken, adminToken, redisUrl, ...rest } = masked.env;
    expect({ gitlabToken, webhookSecrets, webhookSigningToken, adminToken, redisUrl }).toEqual({
      gitlabToken: '***',
      webhookSecrets: ['***', '***'],
      webhookSigningToken: '***',
      adminToken: '***',
      redisUrl: 'redis://default:***@redis.internal:6379/0',
    });
    const { gitlabToken: _t, webhookSecrets: _s, webhookSigningToken: _w, adminToken: _a, redisUrl: _r, ...original } = settings.env;
    expect(rest).toEqual(original);
    // The settings themselves keep the real values for the program to use.
    expect(settings.env.gitlabToken).toBe('glpat-secret-value');
  });

  it('masks URL passwords, including ones with "@" and in the query', () => {
    expect(maskUrlPassword('redis://:p@ss@host:6379')).toBe('redis://:***@host:6379');
    expect(maskUrlPassword('rediss://user:pw@host/0?password=other&tls=1')).toBe('rediss://user:***@host/0?password=***&tls=1');
    expect(maskUrlPassword('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(maskUrlPassword('redis://user@host')).toBe('redis://user@host');
  });

  it('ConfigError messages never contain secret values', () => {
    try {
      loadSettings({
        env: {
          ...SECRETS,
          WEBHOOK_SIGNING_TOKEN: 'signing-secret-without-prefix',
          REDIS_URL: 'https://user:redis-password-value@redis.internal',
          GITLAB_URL: 'ftp://bot:gitlab-password-value@gitlab.example.com',
          HANDBOOK_BOT_CONFIG: 'config/handbook-bot.example.yml',
        },
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect((error as ConfigError).problems).toHaveLength(3);
      expectNoSecrets(message);
      expect(message).not.toContain('signing-secret-without-prefix');
      expect(message).not.toContain('gitlab-password-value');
    }
  });
});
