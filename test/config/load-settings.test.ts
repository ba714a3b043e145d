import { mkdirSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { loadSettings } from '../../src/config/load.js';
import { defaultFileConfig } from '../../src/config/parse-config.js';
import { useTempDir } from './temp-dir.js';

describe('loadSettings', () => {
  const temp = useTempDir();
  let previousCwd: string;
  beforeEach(() => {
    temp.create();
    // The default path is relative: run from an empty directory so no real config file is found.
    previousCwd = process.cwd();
    process.chdir(temp.dir());
  });
  afterEach(() => {
    process.chdir(previousCwd);
    temp.cleanup();
  });

  it('uses built-in defaults silently when the default file does not exist', () => {
    const settings = loadSettings({ env: {} });
    expect(settings.env.configFileLoaded).toBe(false);
    expect(settings.env.configPath).toBe('config/handbook-bot.yml');
    const defaults = defaultFileConfig();
    expect(settings.config).toEqual({
      ...defaults,
      okr: { ...defaults.okr, project: undefined },
      recruiting: { ...defaults.recruiting, project: undefined },
    });
    expect(settings.config.handbook.pages).toEqual(['**/job-families/**/*.md', '**/job-families/**/*.md.erb']);
    expect(settings.config.handbook.branch).toBeUndefined();
    expect(settings.config.okr.fiscalYearStartMonth).toBe(2);
    expect(settings.config.bot.commandWord).toBe('@handbook-bot');
    expect(settings.config.gitlab.url).toBe('https://gitlab.com');
  });

  it('reads config/handbook-bot.yml from the working directory when it exists', () => {
    mkdirSync('config');
    writeFileSync('config/handbook-bot.yml', 'handbook:\n  project: acme/handbook\n');
    const settings = loadSettings({ env: {} });
    expect(settings.env.configFileLoaded).toBe(true);
    expect(settings.config.handbook.project).toBe('acme/handbook');
  });

  it('resolves okr.project and recruiting.project to handbook.project when unset', () => {
    const path = temp.write('a.yml', 'handbook:\n  project: acme/handbook\nrecruiting:\n  project: 42\n');
    const { config } = loadSettings({ env: {}, configPath: path });
    expect(config.okr.project).toBe('acme/handbook');
    expect(config.recruiting.project).toBe(42);
  });

  it('GITLAB_URL overrides gitlab.url from the file', () => {
    const path = temp.write('a.yml', 'gitlab:\n  url: https://gitlab.file.test\nhandbook:\n  project: acme/handbook\n');
    expect(loadSettings({ env: {}, configPath: path }).config.gitlab.url).toBe('https://gitlab.file.test');
    const settings = loadSettings({ env: { GITLAB_URL: 'https://gitlab.env.test' }, configPath: path });
    expect(settings.config.gitlab.url).toBe('https://gitlab.env.test');
    expect(settings.env.gitlabUrl).toBe('https://gitlab.env.test');
  });

  it('takes the file from HANDBOOK_BOT_CONFIG; the configPath option wins over it', () => {
    const fromEnv = temp.write('env.yml', 'handbook:\n  project: from/env\n');
    const fromOption = temp.write('option.yml', 'handbook:\n  project: from/option\n');
    expect(loadSettings({ env: { HANDBOOK_BOT_CONFIG: fromEnv } }).config.handbook.project).toBe('from/env');
    const settings = loadSettings({ env: { HANDBOOK_BOT_CONFIG: fromEnv }, configPath: fromOption });
    expect(settings.config.handbook.project).toBe('from/option');
    expect(settings.env.configPath).toBe(fromOption);
  });

  it('reports the file and the environment problems together', () => {
    const path = temp.write('a.yml', 'handbook:\n  project: acme/handbook\n  brnch: main\n');
    try {
      loadSettings({ env: { PORT: '0' }, configPath: path });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).lines).toEqual([
        `${path}:3: handbook.brnch: unknown key (did you mean "branch"?)`,
        'PORT: must be a whole number from 1 to 65535, like 3000 (got "0")',
      ]);
    }
  });

  it('environment problems are reported even without a file', () => {
    expect(() => loadSettings({ env: { HANDBOOK_BOT_ROLE: 'cron' } })).toThrow(/HANDBOOK_BOT_ROLE: must be one of all, web, worker/);
  });
});
