#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { ConfigError } from './config/config-error.js';
import { loadSettings } from './config/load.js';
import type { Settings } from './config/types.js';
import { runCheck } from './cli/check.js';
import { configCheck } from './cli/config-check.js';
import { runDiff } from './cli/diff.js';
import { EXIT, processIo } from './cli/io.js';
import { runPlan } from './cli/plan.js';
import { runReplay } from './cli/replay.js';
import { runSync } from './cli/sync.js';
import { serve } from './serve.js';

/**
 * The `handbook-bot` command (DESIGN §5). Each command lives in src/cli/; this file only declares the
 * commands and maps what a user can get wrong (usage, config) to one clear line and exit code 2.
 */

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

function settings(): Settings {
  return loadSettings();
}

function setExit(code: number): void {
  process.exitCode = code;
}

export function buildProgram(): Command {
  const program = new Command('handbook-bot')
    .description('GitLab automation for job-family pages: OKR issues, reviewer checklists, hiring-stage labels.')
    .version(pkg.version)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('serve')
    .description('run the webhook server and the workers (HANDBOOK_BOT_ROLE=all|web|worker)')
    .action(async () => setExit(await serve(settings())));

  program
    .command('check')
    .description('parse job-family pages (files or directories) and report problems; exit 1 on errors')
    .option('--json', 'print the page model as JSON')
    .argument('<paths...>', 'page files or directories to search with the page globs')
    .action((paths: string[], options: { json?: boolean }) =>
      setExit(runCheck(paths, { json: options.json === true, config: settings().config, io: processIo })),
    );

  program
    .command('diff')
    .description('semantic diff of two versions of a page and the reviewer checklist that would be posted')
    .option('--json', 'print the diff and the checklist as JSON')
    .argument('<old>', 'the page before')
    .argument('<new>', 'the page after')
    .action((oldPath: string, newPath: string, options: { json?: boolean }) =>
      setExit(runDiff(oldPath, newPath, { json: options.json === true, config: settings().config, io: processIo })),
    );

  program
    .command('plan')
    .description('the OKR issue, hiring-stage labels and board the bot wants for one page (no GitLab needed)')
    .option('--json', 'print the plan as JSON')
    .argument('<file>', 'a job-family page')
    .action((file: string, options: { json?: boolean }) =>
      setExit(runPlan(file, { json: options.json === true, config: settings().config, io: processIo, now: new Date() })),
    );

  program
    .command('sync')
    .description("queue a page-sync job for every job-family page of the handbook's default branch")
    .option('--dry-run', 'list the pages that would be queued, queue nothing')
    .option('--only <glob>', 'only pages whose path matches this glob')
    .action(async (options: { dryRun?: boolean; only?: string }) =>
      setExit(await runSync({ settings: settings(), dryRun: options.dryRun === true, only: options.only, io: processIo })),
    );

  program
    .command('replay')
    .description('queue a saved webhook payload as if GitLab had delivered it')
    .addOption(new Option('--event <name>', 'the X-Gitlab-Event header, e.g. "Push Hook"').makeOptionMandatory())
    .argument('<payload>', 'a JSON file with the payload')
    .action(async (payload: string, options: { event: string }) =>
      setExit(await runReplay({ settings: settings(), event: options.event, payloadPath: payload, io: processIo })),
    );

  program
    .command('config')
    .description('configuration tools')
    .command('check')
    .description('validate the configuration file and environment; print the effective configuration, secrets masked')
    .option('--json', 'print JSON instead of YAML')
    .argument('[file]', 'the config file (default: HANDBOOK_BOT_CONFIG or config/handbook-bot.yml)')
    .action((file: string | undefined, options: { json?: boolean }) =>
      setExit(configCheck({ configPath: file, env: process.env, json: options.json === true, stdout: processIo.stdout })),
    );

  return program;
}

async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; usage mistakes were already printed by commander.
      process.exitCode = error.exitCode === 0 ? 0 : EXIT.usage;
      return;
    }
    if (error instanceof ConfigError) {
      processIo.stderr(error.message);
      process.exitCode = EXIT.usage;
      return;
    }
    throw error;
  }
}

await main(process.argv);
