import { stringify } from 'yaml';
import { ConfigError, formatProblem } from '../config/config-error.js';
import { loadSettings } from '../config/load.js';
import { maskSettings } from '../config/mask.js';

export interface ConfigCheckOptions {
  /** The file to check; absent = HANDBOOK_BOT_CONFIG, else config/handbook-bot.yml (which may be missing). */
  configPath?: string;
  env: NodeJS.ProcessEnv;
  stdout: (line: string) => void;
  json?: boolean;
}

/**
 * `handbook-bot config check [--json] [file]`: validates the file and the environment together and
 * prints the effective configuration with secrets masked. Exit codes: 0 valid, 1 invalid (one
 * `file:line: key: problem` line each), 2 when the file is missing or unreadable.
 */
export function configCheck(options: ConfigCheckOptions): number {
  const { stdout, json = false } = options;
  try {
    const settings = loadSettings({ env: options.env, configPath: options.configPath });
    const masked = maskSettings(settings);
    if (json) {
      stdout(JSON.stringify(masked, null, 2));
      return 0;
    }
    const source = settings.env.configFileLoaded
      ? `${settings.env.configPath} and the environment`
      : `built-in defaults and the environment (no file at ${settings.env.configPath})`;
    stdout(`# handbook-bot configuration is valid: ${source}; secrets masked`);
    for (const line of stringify(masked).trimEnd().split('\n')) stdout(line);
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    if (json) {
      const problems = error.problems.map((problem) => ({ ...problem, text: formatProblem(problem) }));
      stdout(JSON.stringify({ error: error.kind, problems }, null, 2));
    } else {
      for (const line of error.message.split('\n')) stdout(line);
    }
    return error.kind === 'io' ? 2 : 1;
  }
}
