import { ConfigError, type ConfigProblem } from './config-error.js';
import type { Settings } from './types.js';

/**
 * What `serve` needs beyond a valid config when it runs live (GITLAB_TOKEN set). Checked before any
 * network call, so a missing secret or project is one clear line at start instead of GitLab retries
 * and a half-started process. A dry run (no token) writes nothing and may go without both.
 */
export function serveProblems(settings: Settings): ConfigProblem[] {
  const { env, config } = settings;
  if (env.dryRun) return [];
  const problems: ConfigProblem[] = [];
  // Only a process that accepts webhooks must authenticate them; a worker-only process never does.
  if (env.role !== 'worker' && env.webhookSecrets.length === 0) {
    problems.push({
      path: 'WEBHOOK_SECRET',
      message:
        'is not set, but GITLAB_TOKEN is: the bot will not accept unauthenticated webhooks while it can write to GitLab. ' +
        "Set WEBHOOK_SECRET to the webhook's secret token (GitLab: Settings → Webhooks; a comma-separated list while rotating), " +
        'or unset GITLAB_TOKEN for a dry run',
    });
  }
  if (config.handbook.project === undefined) {
    // A loaded file without the key is already refused by the file check, with its line; this is the
    // no-file case (built-in defaults), kept general in case the defaults ever change.
    const where = env.configFileLoaded ? `in ${env.configPath}` : `(no config file at ${env.configPath})`;
    problems.push({
      path: 'handbook.project',
      message:
        `is required to run with GITLAB_TOKEN: it is not set ${where}. ` +
        'Add "project: group/handbook" under "handbook:" in that file (see config/handbook-bot.example.yml), ' +
        'or set HANDBOOK_BOT_CONFIG to the config file that has it',
    });
  }
  return problems;
}

/** Throws one ConfigError naming everything `serve` is missing (see serveProblems). */
export function assertServeRequirements(settings: Settings): void {
  const problems = serveProblems(settings);
  if (problems.length > 0) throw new ConfigError(problems);
}
