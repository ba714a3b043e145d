/**
 * YAML front matter between `---` lines at the top of a page. Broken front matter never stops the
 * parse: the body is still read, and the problem names the file line to fix.
 */
import { parseDocument, type YAMLError } from 'yaml';
import type { Problem } from './model.js';
import { problem } from './problems.js';

export interface FrontMatter {
  /** The markdown after the front matter (the whole source when there is none). */
  body: string;
  /** File lines before `body`, so body line n (0-based) is file line n + bodyLineOffset + 1. */
  bodyLineOffset: number;
  /** The parsed mapping; empty when missing or broken. */
  data: Record<string, unknown>;
  problems: Problem[];
}

const OPEN = /^---[ \t]*$/;
const CLOSE = /^(?:---|\.\.\.)[ \t]*$/;

/** Line endings as markdown-it sees them, and no BOM, so our line numbers match its token maps. */
export function normalizeSource(source: string): string {
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toRecord(yaml: string): { value: Record<string, unknown>; errors: YAMLError[]; problem?: string } {
  // uniqueKeys: a duplicated key (two `title:` lines) is a mistake worth an error.
  const doc = parseDocument(yaml, { prettyErrors: true, uniqueKeys: true });
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return {
      value: {},
      errors: doc.errors,
      problem: `front matter cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  if (value === null || value === undefined) return { value: {}, errors: doc.errors };
  if (!isRecord(value)) return { value: {}, errors: doc.errors, problem: 'front matter is not a mapping of keys to values' };
  return { value, errors: doc.errors };
}

/**
 * Pages often wrap a quoted description onto unindented lines, which YAML forbids (and the
 * handbook's Ruby parser tolerated). We still report the error, but read the values from a copy
 * with those continuation lines indented when that copy is valid.
 */
function lenientCopy(yaml: string): string {
  return yaml
    .split('\n')
    .map((line) => (line === '' || /^(?:[\s#-]|[\w.-]+\s*:(?:\s|$))/.test(line) ? line : `  ${line}`))
    .join('\n');
}

function parseYaml(yaml: string, firstLine: number, problems: Problem[]): Record<string, unknown> {
  const strict = toRecord(yaml);
  const first = strict.errors[0];
  if (first) {
    const line = firstLine + (first.linePos?.[0].line ?? 1) - 1;
    const reason = first.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? first.code;
    problems.push(problem('front-matter-invalid', line, `invalid YAML in front matter: ${reason}`));
    const lenient = toRecord(lenientCopy(yaml));
    return lenient.errors.length === 0 && !lenient.problem ? lenient.value : strict.value;
  }
  if (strict.problem) problems.push(problem('front-matter-invalid', firstLine, strict.problem));
  return strict.value;
}

/** Splits `source` (already normalized) into front matter and body. */
export function readFrontMatter(source: string): FrontMatter {
  const firstEnd = source.indexOf('\n');
  const firstLine = firstEnd < 0 ? source : source.slice(0, firstEnd);
  if (!OPEN.test(firstLine)) {
    return {
      body: source,
      bodyLineOffset: 0,
      data: {},
      problems: [
        problem(
          'front-matter-missing',
          1,
          'the page has no front matter (a first line "---" opening the YAML block with title and description)',
        ),
      ],
    };
  }
  let start = firstEnd + 1;
  let line = 2;
  while (firstEnd >= 0 && start <= source.length) {
    const end = source.indexOf('\n', start);
    const text = end < 0 ? source.slice(start) : source.slice(start, end);
    if (CLOSE.test(text)) {
      const problems: Problem[] = [];
      const data = parseYaml(source.slice(firstEnd + 1, start), 2, problems);
      return { body: end < 0 ? '' : source.slice(end + 1), bodyLineOffset: line, data, problems };
    }
    if (end < 0) break;
    start = end + 1;
    line += 1;
  }
  return {
    body: firstEnd < 0 ? '' : source.slice(firstEnd + 1),
    bodyLineOffset: 1,
    data: {},
    problems: [problem('front-matter-unterminated', 1, 'the front matter opened on line 1 is never closed by a "---" line')],
  };
}

/** A front matter value as display text: strings trimmed, numbers and booleans stringified. */
export function textValue(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}
