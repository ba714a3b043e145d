import { describe, expect, it } from 'vitest';
import { ConfigError, formatProblem } from '../../src/config/config-error.js';
import { assertServeRequirements, serveProblems } from '../../src/config/serve-requirements.js';
import { testSettings } from '../support/settings.js';

const SECRET_LINE =
  'WEBHOOK_SECRET is not set, but GITLAB_TOKEN is: the bot will not accept unauthenticated webhooks while it can write to GitLab. ' +
  "Set WEBHOOK_SECRET to the webhook's secret token (GitLab: Settings → Webhooks; a comma-separated list while rotating), " +
  'or unset GITLAB_TOKEN for a dry run';
const PROJECT_LINE =
  'handbook.project is required to run with GITLAB_TOKEN: it is not set (no config file at config/handbook-bot.yml). ' +
  'Add "project: group/handbook" under "handbook:" in that file (see config/handbook-bot.example.yml), ' +
  'or set HANDBOOK_BOT_CONFIG to the config file that has it';

const live = { gitlabToken: 'glpat-live', dryRun: false };

describe('serveProblems', () => {
  it('asks nothing of a dry run (no token), even without a secret or a handbook project', () => {
    expect(serveProblems(testSettings({ config: { handbook: {} }, env: { webhookSecrets: [] } }))).toEqual([]);
  });

  it('asks nothing more of a live run with a secret and a handbook project', () => {
    expect(serveProblems(testSettings({ env: { ...live } }))).toEqual([]);
  });

  it('refuses a live web or all-in-one process without WEBHOOK_SECRET, saying what to set', () => {
    for (const role of ['all', 'web'] as const) {
      const problems = serveProblems(testSettings({ env: { ...live, role, webhookSecrets: [] } }));
      expect(problems.map(formatProblem)).toEqual([SECRET_LINE]);
    }
  });

  it('lets a live worker-only process go without WEBHOOK_SECRET (it accepts no webhooks)', () => {
    expect(serveProblems(testSettings({ env: { ...live, role: 'worker', webhookSecrets: [] } }))).toEqual([]);
  });

  it('refuses a live process of any role without handbook.project, naming the file to write it in', () => {
    for (const role of ['all', 'web', 'worker'] as const) {
      const problems = serveProblems(testSettings({ config: { handbook: {} }, env: { ...live, role } }));
      expect(problems.map(formatProblem)).toEqual([PROJECT_LINE]);
    }
  });

  it('names both at once when both are missing', () => {
    const settings = testSettings({ config: { handbook: {} }, env: { ...live, webhookSecrets: [] } });
    expect(() => assertServeRequirements(settings)).toThrow(ConfigError);
    expect(() => assertServeRequirements(settings)).toThrow(['Invalid configuration (2 problems):', SECRET_LINE, PROJECT_LINE].join('\n'));
  });
});
