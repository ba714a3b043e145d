import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { describeIssue, GENERIC, valueAt } from './issue-message.js';
import { configSchema, type FileConfig } from './schema.js';
import { closestKey, knownKeysAt, sectionsWithKey } from './schema-keys.js';
import { YamlLocator } from './yaml-locate.js';

const HANDBOOK_PROJECT_REQUIRED_DETAIL = 'is required: the path (group/project) or id of the handbook project';
/** As it reads in the error: `config/handbook-bot.yml:1: handbook.project is required: …`. */
export const HANDBOOK_PROJECT_REQUIRED = `handbook.project ${HANDBOOK_PROJECT_REQUIRED_DETAIL}`;

/** The file's configuration when it is valid, else every problem found in it (sorted by line). */
export interface ConfigCheckResult {
  config: FileConfig | undefined;
  problems: ConfigProblem[];
}

/** Built-in defaults: what runs when there is no config file. */
export function defaultFileConfig(): FileConfig {
  return configSchema.parse({});
}

/** Parses and validates a config file's text; throws a ConfigError listing every problem. */
export function parseConfig(text: string, fileName: string): FileConfig {
  const result = checkConfigText(text, fileName);
  if (result.config === undefined) throw new ConfigError(result.problems);
  return result.config;
}

/** Like parseConfig, but returns the problems instead of throwing, so callers can add their own. */
export function checkConfigText(text: string, fileName: string): ConfigCheckResult {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  if (document.errors.length > 0) {
    // The tree is unreliable after a syntax error, so schema errors would only add noise.
    const problems = document.errors.map((error): ConfigProblem => {
      const position = lineCounter.linePos(error.pos[0]);
      return { file: fileName, line: position.line, column: position.col, message: firstLine(error.message) };
    });
    return { config: undefined, problems };
  }

  let raw: unknown;
  try {
    raw = dropEmptyValues(document.toJS() as unknown) ?? {};
  } catch (error) {
    return { config: undefined, problems: [{ file: fileName, line: 1, message: firstLine(String(error)) }] };
  }

  const locator = new YamlLocator(document, lineCounter);
  const problems: ConfigProblem[] = [];
  const parsed = configSchema.safeParse(raw, { error: () => GENERIC });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(...problemsFor(issue, raw, fileName, locator));
  }

  if (isRecord(raw) && (raw.handbook === undefined || (isRecord(raw.handbook) && raw.handbook.project === undefined))) {
    problems.push({
      file: fileName,
      line: locator.valueLine(['handbook', 'project']),
      path: 'handbook.project',
      message: `${HANDBOOK_PROJECT_REQUIRED_DETAIL} (add "project: acme/handbook" under "handbook:")`,
    });
  }

  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { config: problems.length === 0 && parsed.success ? parsed.data : undefined, problems };
}

function problemsFor(issue: z.core.$ZodIssue, raw: unknown, file: string, locator: YamlLocator): ConfigProblem[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      file,
      line: locator.keyLine(issue.path, key),
      path: formatPath([...issue.path, key]),
      message: unknownKeyMessage(issue.path, key),
    }));
  }
  return [
    {
      file,
      line: locator.valueLine(issue.path),
      path: formatPath(issue.path),
      message: describeIssue(issue, valueAt(raw, issue.path)),
    },
  ];
}

function unknownKeyMessage(path: readonly PropertyKey[], key: string): string {
  const known = knownKeysAt(configSchema, path);
  const suggestion = closestKey(key, known);
  if (suggestion !== undefined) return `unknown key (did you mean "${suggestion}"?)`;
  if (path.length === 0) {
    const sections = sectionsWithKey(configSchema, key);
    if (sections.length > 0) {
      return `unknown key (it belongs inside a section: ${sections.map((section) => `${section}.${key}`).join(', ')})`;
    }
  }
  return known.length > 0 ? `unknown key (valid keys here: ${known.join(', ')})` : 'unknown key (remove it)';
}

/** `["review", "rules", 0, "when"]` → `review.rules[0].when`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_][\w-]*$/.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text === '' ? '(top level)' : text;
}

/**
 * A key written with nothing after it (`sync:` with every child commented out) means "use the
 * default", as it reads; inside lists an empty item stays, and is reported.
 */
function dropEmptyValues(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropEmptyValues);
  if (isRecord(value)) {
    const result: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      if (child !== null) result[key] = dropEmptyValues(child);
    }
    return result;
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.trim() ?? message;
}
