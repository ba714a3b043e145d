import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfigFile, loadSettings, parseConfig } from '../../src/config/load.js';
import { configSchema, DEFAULT_STAGE_COLORS } from '../../src/config/schema.js';
import { knownKeysAt } from '../../src/config/schema-keys.js';

const EXAMPLE = 'config/handbook-bot.example.yml';
const DEFAULT_STAGES = ['screening', 'hiring-manager', 'team-interviews', 'executive', 'assessment', 'references', 'offer', 'other'];

/** Every key path of the schema, e.g. review.rules.when, so the example can be checked for each. */
function allKeyPaths(path: (string | number)[] = []): string[][] {
  const result: string[][] = [];
  for (const key of knownKeysAt(configSchema, path)) {
    const child = [...path, key];
    result.push(child.filter((segment): segment is string => typeof segment === 'string'));
    const nested = knownKeysAt(configSchema, child).length > 0 ? child : [...child, 0];
    if (knownKeysAt(configSchema, nested).length > 0) result.push(...allKeyPaths(nested));
  }
  return result;
}

/** The example with its commented-out `stages:` block switched on. */
function withStagesUncommented(text: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line === '  # stages:');
  expect(start).toBeGreaterThan(0);
  for (let index = start; index < lines.length && (lines[index] ?? '').startsWith('  #'); index += 1) {
    lines[index] = (lines[index] ?? '').replace('  # ', '  ');
  }
  return lines.join('\n');
}

describe('config/handbook-bot.example.yml', () => {
  it('loads cleanly with the values it documents', () => {
    const config = loadConfigFile(EXAMPLE);
    expect(config.gitlab).toEqual({ url: 'https://gitlab.example.com', requestsPerMinute: 1500, createsPerMinute: 50 });
    expect(config.handbook).toEqual({ project: 'acme/handbook', branch: 'main', pages: ['content/job-families/**/*.md'] });
    expect(config.okr).toEqual({
      project: 'acme/handbook',
      fiscalYearStartMonth: 2,
      labels: ['OKR'],
      assignees: ['alice'],
      rollover: { enabled: true, cron: '10 0 * * *' },
    });
    expect(config.review.rules[0]).toEqual({
      when: 'grade-changed',
      reviewers: ['total-rewards-lead'],
      labels: ['job-family::grade-change'],
      blocking: true,
    });
    expect(config.review.rules.find((rule) => rule.when === 'hiring-process-changed')?.blocking).toBe(false);
    expect(config.review.rules.find((rule) => rule.when === 'hiring-process-changed')?.reviewers).toEqual(['recruiting-lead']);
    expect(config.review.rules.map((rule) => rule.when)).toContain('problems');
    expect(config.recruiting).toEqual({ project: 'acme/recruiting', board: 'Hiring pipeline' });
    expect(config.bot.commandWord).toBe('@handbook-bot');
    expect(config.sync.cron).toBe('30 2 * * *');
    expect(config.admin.readOnly).toBe(true);
  });

  it('loads through loadSettings with an empty environment (dry run)', () => {
    const settings = loadSettings({ env: { HANDBOOK_BOT_CONFIG: EXAMPLE } });
    expect(settings.env.configFileLoaded).toBe(true);
    expect(settings.env.dryRun).toBe(true);
    expect(settings.config.recruiting.project).toBe('acme/recruiting');
  });

  it('documents every key of the schema', () => {
    const text = readFileSync(EXAMPLE, 'utf8');
    const missing = allKeyPaths()
      .map((path) => path[path.length - 1] ?? '')
      .filter((key) => !new RegExp(`^\\s*(?:#\\s*)?(?:- )?${key}:`, 'm').test(text));
    expect(missing).toEqual([]);
    // Sanity check of the walk itself: nested keys of lists are included.
    expect(allKeyPaths().map((path) => path.join('.'))).toEqual(
      expect.arrayContaining(['review.rules.when', 'recruiting.stages.patterns', 'admin.readOnly']),
    );
  });

  it('shows the default stages, which load when uncommented', () => {
    const text = withStagesUncommented(readFileSync(EXAMPLE, 'utf8'));
    const config = parseConfig(text, 'example-with-stages.yml');
    const stages = config.recruiting.stages ?? [];
    expect(stages.map((stage) => stage.name)).toEqual(DEFAULT_STAGES);
    expect(Object.fromEntries(stages.map((stage) => [stage.name, stage.color]))).toEqual(DEFAULT_STAGE_COLORS);
    expect(Object.keys(DEFAULT_STAGE_COLORS)).toEqual(DEFAULT_STAGES);
  });

  it('its example stage patterns classify real hiring steps', () => {
    const stages = parseConfig(withStagesUncommented(readFileSync(EXAMPLE, 'utf8')), 'x.yml').recruiting.stages ?? [];
    const classify = (step: string): string =>
      stages.find((stage) => stage.patterns.some((source) => new RegExp(source, 'iu').test(step)))?.name ?? 'other';
    expect(classify('Qualified candidates will be invited to schedule a 30 minute screening call with one of our Global Recruiters.')).toBe(
      'screening',
    );
    expect(classify('Next, candidates will be invited to schedule an interview with the hiring manager.')).toBe('hiring-manager');
    expect(classify('Next, candidates will be invited to schedule with additional team members of Legal.')).toBe('team-interviews');
    expect(classify('Meet with CFO for 50 minutes')).toBe('executive');
    expect(classify('Candidates will complete a take-home exercise')).toBe('assessment');
    expect(classify('Successful candidates will subsequently be made an offer via email.')).toBe('offer');
    expect(classify('Candidates meet the team for lunch')).toBe('other');
  });
});
