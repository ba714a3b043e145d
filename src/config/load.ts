import { existsSync, readFileSync } from 'node:fs';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { envValue, parseRuntimeEnv } from './env.js';
import { checkConfigText, defaultFileConfig } from './parse-config.js';
import type { FileConfig } from './schema.js';
import type { Config, Settings } from './types.js';

export { defaultFileConfig, parseConfig, checkConfigText, HANDBOOK_PROJECT_REQUIRED } from './parse-config.js';

/** Reads and validates a config file; a file that cannot be read is a ConfigError of kind `io`. */
export function loadConfigFile(path: string): FileConfig {
  const result = checkConfigText(readConfigText(path), path);
  if (result.config === undefined) throw new ConfigError(result.problems);
  return result.config;
}

/** Applies the environment's overrides and fills the projects that default to the handbook project. */
export function resolveConfig(file: FileConfig, overrides: { gitlabUrl?: string | undefined } = {}): Config {
  const copy = structuredClone(file);
  return {
    ...copy,
    gitlab: { ...copy.gitlab, url: overrides.gitlabUrl ?? copy.gitlab.url },
    okr: { ...copy.okr, project: copy.okr.project ?? copy.handbook.project },
    recruiting: { ...copy.recruiting, project: copy.recruiting.project ?? copy.handbook.project },
  };
}

export interface LoadSettingsOptions {
  env?: NodeJS.ProcessEnv;
  /** Wins over HANDBOOK_BOT_CONFIG; like it, a path that does not exist is an error. */
  configPath?: string;
}

/**
 * Built-in defaults ← YAML file ← environment. Throws one ConfigError listing every problem of the
 * file and the environment together, so one run shows everything to fix.
 */
export function loadSettings(options: LoadSettingsOptions = {}): Settings {
  const vars = options.env ?? process.env;
  const { env, problems: envProblems } = parseRuntimeEnv(vars);
  const configPath = options.configPath ?? env.configPath;
  // Only the default path may be missing: a path someone wrote down must be the file they meant.
  const explicit = options.configPath !== undefined || envValue(vars, 'HANDBOOK_BOT_CONFIG') !== undefined;

  let fileConfig = defaultFileConfig();
  let fileProblems: ConfigProblem[] = [];
  let configFileLoaded = false;
  if (explicit || existsSync(configPath)) {
    let text: string;
    try {
      text = readConfigText(configPath);
    } catch (error) {
      if (error instanceof ConfigError) throw new ConfigError([...error.problems, ...envProblems], 'io');
      throw error;
    }
    const result = checkConfigText(text, configPath);
    fileProblems = result.problems;
    if (result.config !== undefined) fileConfig = result.config;
    configFileLoaded = true;
  }

  const problems = [...fileProblems, ...envProblems];
  if (problems.length > 0) throw new ConfigError(problems);

  const config = resolveConfig(fileConfig, { gitlabUrl: envValue(vars, 'GITLAB_URL') });
  return {
    config,
    env: { ...env, gitlabUrl: config.gitlab.url, configPath, configFileLoaded },
  };
}

function readConfigText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([{ file: path, message: ioMessage(error) }], 'io');
  }
}

function ioMessage(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
  switch (code) {
    case 'ENOENT':
      return 'file not found (create it from config/handbook-bot.example.yml, or set HANDBOOK_BOT_CONFIG to an existing file)';
    case 'EISDIR':
      return 'is a directory (name the YAML file itself)';
    case 'EACCES':
    case 'EPERM':
      return "cannot be read: permission denied (make it readable by the bot's user)";
    default:
      return `cannot be read: ${error instanceof Error ? error.message : String(error)}`;
  }
}
