import type { z } from 'zod';
import { maskUrlPassword } from './mask.js';

/**
 * Turns one zod issue into "what is wrong (how to fix)" for a person editing YAML. Messages written in
 * the schema (`must be a colour like "#1f75cb"`) are kept; zod's generic ones are rewritten, which is
 * why parsing passes `error: () => GENERIC` — so the two can be told apart reliably.
 */
export const GENERIC = '\u0000generic';

type Issue = z.core.$ZodIssue;

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping (indented "key: value" lines)',
  array: 'a list (["a", "b"] or "- " lines)',
};

/** `input` is the value found at the issue's path (undefined when the key is missing). */
export function describeIssue(issue: Issue, input: unknown): string {
  const message = issue.message === GENERIC ? genericMessage(issue, input) : issue.message;
  if (input === undefined || message.startsWith('is required')) return message;
  return `${message} (got ${describeValue(input)}${hint(issue, input)})`;
}

function genericMessage(issue: Issue, input: unknown): string {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      return input === undefined ? `is required: ${expected}` : `must be ${expected}`;
    }
    case 'invalid_value': {
      const options = issue.values.map((value) => String(value)).join(', ');
      if (input === undefined) return `is required: one of ${options}`;
      return issue.values.length === 1 ? `must be ${options}` : `must be one of ${options}`;
    }
    case 'too_small':
      return boundMessage('at least', 'greater than', issue.origin, Number(issue.minimum), issue.inclusive !== false);
    case 'too_big':
      return boundMessage('at most', 'less than', issue.origin, Number(issue.maximum), issue.inclusive !== false);
    case 'invalid_format':
      if (issue.format === 'url') return 'must be an http(s) URL like "https://gitlab.example.com"';
      if (issue.format === 'regex' && issue.pattern !== undefined) return `must match ${issue.pattern}`;
      return `must be a valid ${issue.format}`;
    case 'invalid_union':
      return unionMessage(issue, input);
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      return `unknown ${issue.keys.length === 1 ? 'key' : 'keys'}: ${issue.keys.join(', ')}`;
    default:
      return 'is not valid';
  }
}

function boundMessage(inclusiveWord: string, exclusiveWord: string, origin: string, bound: number, inclusive: boolean): string {
  const word = inclusive ? inclusiveWord : exclusiveWord;
  if (origin === 'array' || origin === 'set') return `must list ${word} ${bound} ${bound === 1 ? 'item' : 'items'}`;
  if (origin === 'string') {
    if (inclusiveWord === 'at least' && bound === 1 && inclusive) return 'must not be empty';
    return `must be ${word} ${bound} ${bound === 1 ? 'character' : 'characters'} long`;
  }
  return `must be ${word} ${bound}`;
}

/**
 * A union fails as a whole: when the value had the type of one branch, that branch's complaint is the
 * useful one ("must not be empty"); when it matched none, list the types that would do.
 */
function unionMessage(issue: Extract<Issue, { code: 'invalid_union' }>, input: unknown): string {
  const typeMismatch = (branch: readonly Issue[]): boolean =>
    branch.length === 1 && branch[0]?.code === 'invalid_type' && branch[0].path.length === 0;
  const matchingBranch = issue.errors.find((branch) => !typeMismatch(branch));
  const first = matchingBranch?.[0];
  if (first !== undefined) return first.message === GENERIC ? genericMessage(first, input) : first.message;
  const expected = issue.errors
    .map((branch) => branch[0])
    .filter((branchIssue): branchIssue is Extract<Issue, { code: 'invalid_type' }> => branchIssue?.code === 'invalid_type')
    .map((branchIssue) => EXPECTED[branchIssue.expected] ?? branchIssue.expected);
  return expected.length > 0 ? `must be ${expected.join(' or ')}` : 'is not valid';
}

/** A short fix for the two mistakes YAML makes easy: quoting a number, or not quoting text. */
function hint(issue: Issue, input: unknown): string {
  if (issue.code !== 'invalid_type') return '';
  if ((issue.expected === 'number' || issue.expected === 'int') && typeof input === 'string' && /^-?\d+(\.\d+)?$/.test(input.trim())) {
    return '; remove the quotes';
  }
  if (issue.expected === 'string' && (typeof input === 'number' || typeof input === 'boolean')) return '; put it in quotes';
  return '';
}

export function describeValue(value: unknown): string {
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') {
    const masked = maskUrlPassword(value);
    return JSON.stringify(masked.length > 80 ? `${masked.slice(0, 77)}...` : masked);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return typeof value;
}

/** The raw value at a zod path, to show the user what was actually written. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}
