import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { loadConfigFile, loadSettings, parseConfig } from '../../src/config/load.js';
import { useTempDir } from './temp-dir.js';

/** The lines of the ConfigError that parsing `text` throws. */
function errorLines(text: string, fileName = 'config/handbook-bot.yml'): string[] {
  try {
    parseConfig(text, fileName);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).lines;
  }
  throw new Error('expected a ConfigError');
}

const VALID_HEAD = 'handbook:\n  project: acme/handbook\n';

describe('config file errors name the key path and its line', () => {
  it('unknown key at the top level', () => {
    const lines = errorLines(`${VALID_HEAD}reveiw:\n  rules: []\n`);
    expect(lines).toEqual(['config/handbook-bot.yml:3: reveiw: unknown key (did you mean "review"?)']);
  });

  it('unknown top-level key that belongs inside a section', () => {
    const lines = errorLines(`${VALID_HEAD}branch: main\n`);
    expect(lines).toEqual(['config/handbook-bot.yml:3: branch: unknown key (it belongs inside a section: handbook.branch)']);
  });

  it('unknown nested key, with a suggestion', () => {
    const lines = errorLines('# comment\nhandbook:\n  projekt: acme/handbook\n  project: acme/handbook\n');
    expect(lines).toEqual(['config/handbook-bot.yml:3: handbook.projekt: unknown key (did you mean "project"?)']);
  });

  it('unknown key without a close match lists the valid keys', () => {
    const lines = errorLines(`${VALID_HEAD}okr:\n  owner: alice\n`);
    expect(lines).toEqual([
      'config/handbook-bot.yml:4: okr.owner: unknown key (valid keys here: project, fiscalYearStartMonth, labels, assignees, rollover)',
    ]);
  });

  it('unknown key inside a list item', () => {
    const lines = errorLines(`${VALID_HEAD}review:\n  rules:\n    - when: any\n      reviewer: [bob]\n`);
    expect(lines).toEqual(['config/handbook-bot.yml:6: review.rules[0].reviewer: unknown key (did you mean "reviewers"?)']);
  });

  it('review.rules[].blocking: a boolean, and a misspelt key is named', () => {
    const lines = errorLines(
      `${VALID_HEAD}review:\n  rules:\n    - when: grade-changed\n      blocking: "yes"\n    - when: any\n      blockng: true\n`,
    );
    expect(lines).toEqual([
      'config/handbook-bot.yml:6: review.rules[0].blocking: must be true or false (got "yes")',
      'config/handbook-bot.yml:8: review.rules[1].blockng: unknown key (did you mean "blocking"?)',
    ]);
  });

  it('a string where a number belongs, pointing at the value', () => {
    const lines = errorLines(`${VALID_HEAD}gitlab:\n  requestsPerMinute: lots\n  createsPerMinute: "50"\n`);
    expect(lines).toEqual([
      'config/handbook-bot.yml:4: gitlab.requestsPerMinute: must be a number (got "lots")',
      'config/handbook-bot.yml:5: gitlab.createsPerMinute: must be a number (got "50"; remove the quotes)',
    ]);
  });

  it('a number out of range', () => {
    const lines = errorLines(`${VALID_HEAD}okr:\n  fiscalYearStartMonth: 13\n`);
    expect(lines).toEqual(['config/handbook-bot.yml:4: okr.fiscalYearStartMonth: must be at most 12 (got 13)']);
    expect(errorLines(`${VALID_HEAD}gitlab:\n  createsPerMinute: 0\n`)).toEqual([
      'config/handbook-bot.yml:4: gitlab.createsPerMinute: must be greater than 0 (got 0)',
    ]);
  });

  it('a wrong type for a whole section, on the line of its value', () => {
    const lines = errorLines(`${VALID_HEAD}bot:\n  - commandWord\n`);
    expect(lines).toEqual(['config/handbook-bot.yml:4: bot: must be a mapping (indented "key: value" lines) (got a list)']);
  });

  it('a bad glob in handbook.pages', () => {
    const lines = errorLines('handbook:\n  project: acme/handbook\n  pages:\n    - "content/**/*.md"\n    - "content/[job-families/**"\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^config\/handbook-bot\.yml:5: handbook\.pages\[1\]: is not a valid glob pattern: "\[" is never closed/);
    expect(lines[0]).toContain('(got "content/[job-families/**")');
  });

  it('a bad review trigger lists the valid ones', () => {
    const lines = errorLines(
      `${VALID_HEAD}review:\n  rules:\n    - when: grade-changed\n    - when: grade-change\n      reviewers: [bob]\n`,
    );
    expect(lines).toEqual([
      'config/handbook-bot.yml:6: review.rules[1].when: must be one of role-added, role-removed, grade-changed, ' +
        'responsibilities-changed, requirements-changed, hiring-process-changed, performance-indicators-changed, ' +
        'problems, any (got "grade-change")',
    ]);
  });

  it('a missing required key points at its parent mapping', () => {
    const lines = errorLines(`${VALID_HEAD}review:\n  rules:\n    - reviewers: [bob]\n`);
    expect(lines).toEqual([
      'config/handbook-bot.yml:5: review.rules[0].when is required: one of role-added, role-removed, grade-changed, ' +
        'responsibilities-changed, requirements-changed, hiring-process-changed, performance-indicators-changed, problems, any',
    ]);
  });

  it('missing handbook.project: on the line of "handbook:", or line 1 without it', () => {
    expect(errorLines('okr:\n  labels: [OKR]\nhandbook:\n  branch: main\n')).toEqual([
      'config/handbook-bot.yml:3: handbook.project is required: the path (group/project) or id of the handbook project ' +
        '(add "project: acme/handbook" under "handbook:")',
    ]);
    const [line] = errorLines('bot:\n  commandWord: "@bot"\n');
    expect(line).toMatch(
      /^config\/handbook-bot\.yml:1: handbook\.project is required: the path \(group\/project\) or id of the handbook project/,
    );
  });

  it('an empty file is the defaults, so handbook.project is missing', () => {
    expect(errorLines('', 'empty.yml')).toEqual([expect.stringMatching(/^empty\.yml:1: handbook\.project is required/)]);
    expect(errorLines('# only a comment\n', 'empty.yml')).toEqual([expect.stringMatching(/^empty\.yml:1: handbook\.project is required/)]);
  });

  it('YAML syntax errors carry line and column', () => {
    const lines = errorLines(`${VALID_HEAD}okr:\n  labels: [OKR\nbot: x: y\n`);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^config\/handbook-bot\.yml:\d+:\d+: \S/);
    expect(errorLines(`${VALID_HEAD}bot: x: y\n`)).toEqual([
      'config/handbook-bot.yml:3:6: Nested mappings are not allowed in compact mappings',
    ]);
  });

  it('duplicate keys are a YAML error', () => {
    expect(errorLines('handbook:\n  project: a/b\n  project: c/d\n')).toEqual([
      expect.stringMatching(/^config\/handbook-bot\.yml:3:3: Map keys must be unique/),
    ]);
  });

  it('lists every problem at once, sorted by line', () => {
    const lines = errorLines(
      'gitlab:\n  url: ftp://gitlab.example.com\nhandbook:\n  project: acme/handbook\n  pages: []\nokr:\n  assignees: ["@alice"]\n',
    );
    expect(lines).toEqual([
      'config/handbook-bot.yml:2: gitlab.url: must be an http(s) URL like "https://gitlab.example.com" (got "ftp://gitlab.example.com")',
      'config/handbook-bot.yml:5: handbook.pages: must list at least 1 item (got an empty list)',
      'config/handbook-bot.yml:7: okr.assignees[0]: must be a GitLab username without "@" (letters, digits, "_", ".", "-") (got "@alice")',
    ]);
  });

  it('the error message starts with a heading and holds every line', () => {
    try {
      parseConfig('handbook:\n  projekt: x\n', 'c.yml');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const configError = error as ConfigError;
      expect(configError.kind).toBe('invalid');
      expect(configError.message.split('\n')).toEqual(['Invalid configuration (2 problems):', ...configError.lines]);
      expect(configError.problems.map((problem) => problem.path)).toEqual(['handbook.project', 'handbook.projekt']);
    }
  });

  it('a key with no value takes its default', () => {
    const config = parseConfig('handbook:\n  project: acme/handbook\n  pages:\nsync:\n  # cron: "0 3 * * *"\n', 'c.yml');
    expect(config.handbook.pages).toEqual(['**/job-families/**/*.md', '**/job-families/**/*.md.erb']);
    expect(config.sync).toEqual({});
  });

  it('a project that is neither a path nor an id', () => {
    expect(errorLines('handbook:\n  project: [acme]\n')).toEqual([
      'config/handbook-bot.yml:2: handbook.project: must be a project path like "group/project" or a numeric id (got a list)',
    ]);
  });

  it('mistakes in recruiting.stages, including an empty list item', () => {
    const lines = errorLines(
      `${VALID_HEAD}recruiting:\n  stages:\n    - name: Screening\n      colour: "#6699cc"\n      patterns: ["(unclosed"]\n    -\n`,
    );
    expect(lines).toEqual([
      'config/handbook-bot.yml:5: recruiting.stages[0].name: must be lower-case words joined by "-", like "team-interviews" (got "Screening")',
      'config/handbook-bot.yml:6: recruiting.stages[0].colour: unknown key (did you mean "color"?)',
      'config/handbook-bot.yml:7: recruiting.stages[0].patterns[0]: is not a valid regular expression (got "(unclosed")',
      'config/handbook-bot.yml:8: recruiting.stages[1]: must be a mapping (indented "key: value" lines) (got an empty value)',
    ]);
  });

  it('accepts a numeric project id', () => {
    expect(parseConfig('handbook:\n  project: 278964\n', 'c.yml').handbook.project).toBe(278964);
  });
});

describe('config files that cannot be read', () => {
  const temp = useTempDir();
  beforeEach(temp.create);
  afterEach(temp.cleanup);

  it('an explicitly given path that does not exist is an io error', () => {
    const missing = `${temp.dir()}/nope.yml`;
    for (const load of [
      () => loadConfigFile(missing),
      () => loadSettings({ env: {}, configPath: missing }),
      () => loadSettings({ env: { HANDBOOK_BOT_CONFIG: missing } }),
    ]) {
      try {
        load();
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).kind).toBe('io');
        expect((error as ConfigError).lines).toEqual([expect.stringMatching(new RegExp(`^${missing}: file not found`))]);
      }
    }
  });

  it('a directory is an io error', () => {
    expect(() => loadConfigFile(temp.dir())).toThrow(/is a directory/);
  });

  it('a file on disk reports its own name and lines', () => {
    const path = temp.write('bot.yml', `${VALID_HEAD}okr:\n  fiscalYearStartMonth: 0\n`);
    expect(() => loadConfigFile(path)).toThrow(`${path}:4: okr.fiscalYearStartMonth: must be at least 1 (got 0)`);
  });
});
