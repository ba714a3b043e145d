/**
 * One problem found in the configuration: a key of the YAML file (with its line) or an environment
 * variable. `path` is `review.rules[0].when` for the file, the variable's name for the environment.
 */
export interface ConfigProblem {
  /** The config file as the user named it; absent for environment variables. */
  file?: string;
  line?: number;
  /** Only YAML syntax errors carry a column. */
  column?: number;
  path?: string;
  /** What is wrong and how to fix it. Never contains a secret's value. */
  message: string;
}

/**
 * `invalid`: the file or environment holds wrong values. `io`: the file could not be read at all
 * (missing, a directory, no permission), which the CLI reports with a different exit code.
 */
export type ConfigErrorKind = 'invalid' | 'io';

/** Every problem at once, so a user fixes the whole file in one round instead of one error per run. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly ConfigProblem[];
  readonly kind: ConfigErrorKind;

  constructor(problems: readonly ConfigProblem[], kind: ConfigErrorKind = 'invalid') {
    const lines = problems.map(formatProblem);
    const heading =
      kind === 'io'
        ? 'Cannot read the configuration:'
        : `Invalid configuration (${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}):`;
    super([heading, ...lines].join('\n'));
    this.problems = problems;
    this.kind = kind;
  }

  /** One `file:line: key.path: message` line per problem, without the heading. */
  get lines(): string[] {
    return this.problems.map(formatProblem);
  }
}

export function formatProblem(problem: ConfigProblem): string {
  let location = '';
  if (problem.file !== undefined) {
    location = problem.file;
    if (problem.line !== undefined) location += `:${problem.line}`;
    if (problem.line !== undefined && problem.column !== undefined) location += `:${problem.column}`;
    location += ': ';
  }
  if (problem.path === undefined || problem.path === '') return `${location}${problem.message}`;
  // "handbook.project is required: …" reads better than "handbook.project: is required: …".
  const separator = /^is (required|not set)\b/u.test(problem.message) ? ' ' : ': ';
  return `${location}${problem.path}${separator}${problem.message}`;
}
