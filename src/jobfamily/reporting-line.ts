/**
 * Whom a role reports to, read from the page ("This position reports to the Manager, Red Team.",
 * "Reporting to the Principal Accounting Officer, the Corporate Controller …"), and whether a
 * hiring step names that person ("an interview with Red Team Manager").
 */
import { firstTitle } from './seniority.js';

export interface ReportingLine {
  /** As written, for messages. */
  text: string;
  /** Each way the page names the manager ("Manager or Director, Solutions Architect" → two). */
  alternatives: string[][];
  /** Lowest and highest rank among the alternatives. */
  ranks: [number, number];
}

// The role's own line: "X reports (directly) to", "will report to", "Product Designers report to",
// "Data Scientists … and report to", or a sentence opening "Reporting to …"; not "… and reporting to the audit committee" (a duty).
const REPORTS_TO =
  /(?:\breports|\bwill report|\band report|\b(?:typically|directly) report|\b[A-Z]\w*s report|(?:^|[.;]\s+)reporting)\s+(?:directly\s+)?(?:in)?to\s+(?:the\s+|our\s+|a\s+|an\s+)?([^.;]+)/i;
// "Sr. Director" is one title, not the end of a sentence.
const ABBREVIATION = /\b(Sr|Jr|St|Dr|Mr|Ms|Mgr|Dir)\./g;
// Words that only say how senior someone is; "Manager or Director, Solutions Architect" shares the rest.
const RANK_WORDS = new Set(['senior', 'manager', 'director', 'vp', 'head', 'lead', 'chief', 'officer', 'evp', 'svp', 'executive']);
// Where the manager's title ends: "…, and Product Designers report to …", "… role at GitLab", "… with a dotted line".
const TITLE_END =
  /,\s*(?:and|who|which|with|working|the|but|as|while)\b|\s+(?:and is|and will|and are|who|which|with\b|working|role\b|at GitLab|or above|and collaborate|within|on the|in the)\b/i;
const STOP = new Set(['the', 'of', 'a', 'an', 'our', 'and', 'to', 'for', 'at', 'in', 'on', 'gitlab', 'role', 'position', 'any', 'one']);

/** Lower-case words with abbreviations spelled one way (VP, senior) and plurals folded. */
export function titleWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/\bvice[\s-]+president/g, 'vp')
    .replace(/\bsr\b\.?/g, 'senior')
    .replace(/&/g, ' and ')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0)
    .map((word) => (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word));
}

/** "Chief People Officer" → "cpo", "Principal Accounting Officer" → "pao". */
function acronym(words: readonly string[]): string | undefined {
  const first = words[0];
  if (words.length < 3 || words[words.length - 1] !== 'officer' || (first !== 'chief' && first !== 'principal')) return undefined;
  return words.map((word) => word[0]).join('');
}

/** The reporting line stated in one line of text, if it names a title. */
export function reportingLine(text: string): ReportingLine | undefined {
  // A linked title counts by its text: "[Sr. Director, Data](/job-families/…)" (the link's path has slashes).
  const plain = text.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1');
  const match = REPORTS_TO.exec(plain.replace(ABBREVIATION, '$1'));
  const raw = match?.[1];
  if (!raw || /^and\b/i.test(raw)) return undefined;
  const end = TITLE_END.exec(raw);
  const title = (end ? raw.slice(0, end.index) : raw).trim();
  const parts = title
    .split(/\s*\(\s*|\s*\)\s*|\s+or\s+|\s+and\/or\s+|\s*\/\s*/i)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
  const alternatives: string[][] = [];
  const ranks: number[] = [];
  const named = parts.map((part) => titleWords(part).filter((word) => !STOP.has(word)));
  // The function the last alternative names, for alternatives that only give a rank.
  const shared = (named[named.length - 1] ?? []).filter((word) => !RANK_WORDS.has(word));
  parts.forEach((part, index) => {
    const rank = firstTitle(part)?.rank;
    let words = named[index] ?? [];
    if (rank === undefined || words.length === 0) return;
    if (words.every((word) => RANK_WORDS.has(word))) words = [...words, ...shared];
    alternatives.push(words);
    const short = acronym(words);
    if (short) alternatives.push([short]);
    ranks.push(rank);
  });
  if (alternatives.length === 0) return undefined;
  return { text: title, alternatives, ranks: [Math.min(...ranks), Math.max(...ranks)] };
}

/** The first reporting line among `texts`. */
export function findReportingLine(texts: Iterable<string>): ReportingLine | undefined {
  for (const text of texts) {
    if (!/\breport/i.test(text)) continue;
    const line = reportingLine(text);
    if (line) return line;
  }
  return undefined;
}

/**
 * Whether `text` names the manager of the reporting line: every word of one way of naming them,
 * close together ("Trust and Safety Manager" names "Manager, Trust and Safety"; "Senior Security
 * Engineer, Trust and Safety, Security Incident Response Team Manager" does not), and not a more
 * senior title of the same function ("Senior Manager, Technical Writing" is not "Manager,
 * Technical Writing").
 */
export function namesManager(text: string, line: ReportingLine): boolean {
  const words = titleWords(text);
  return line.alternatives.some((wanted) => {
    const window = wanted.length + 3;
    const positions = wanted.map((word) => words.flatMap((w, i) => (w === word ? [i] : [])));
    if (positions.some((list) => list.length === 0)) return false;
    const first = positions[0] ?? [];
    return first.some((start) => {
      const near = positions.map((list) => list.find((p) => Math.abs(p - start) < window));
      if (near.some((p) => p === undefined)) return false;
      const from = Math.min(...(near as number[]));
      return wanted.includes('senior') || (words[from - 1] !== 'senior' && !words.slice(from, from + window).includes('senior'));
    });
  });
}
