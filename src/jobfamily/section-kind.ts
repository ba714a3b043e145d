/**
 * What a heading announces, from its text alone. Role-part headings often carry the role's name
 * ("Director, Security Job Grade", "Senior Requirements"), so the keyword may sit anywhere; the
 * part before it is kept as the heading's `prefix` (used to name specialties).
 */

export type SectionKind =
  | 'grade'
  | 'responsibilities'
  | 'requirements'
  | 'nice-to-have'
  | 'hiring'
  | 'indicators'
  | 'levels'
  | 'specialties'
  | 'step'
  /** Known sections that never hold roles (career ladder, links, …) and whose text we do not read. */
  | 'aside'
  /** Anything else: a role, a group of roles, an intro. */
  | 'unknown';

export interface HeadingInfo {
  kind: SectionKind;
  /** Text before the keyword, e.g. "Director, Security Assurance" in "Director, Security Assurance Responsibilities". */
  prefix: string;
}

interface KindRule {
  kind: SectionKind;
  pattern: RegExp;
}

// Order matters: "Hiring process overview" is hiring, "nice-to-have requirements" is nice-to-have,
// "Job Grades" (a list of levels) is levels.
const RULES: readonly KindRule[] = [
  { kind: 'step', pattern: /^(?:step|round|stage)\s*\d+\b/i },
  { kind: 'hiring', pattern: /\bhiring process\b|\binterview(?:ing)? process\b|\binterview team\b|^hiring$/i },
  {
    kind: 'aside',
    pattern:
      /\bcareer (?:ladder|paths?|progression)\b|^(?:segment|relevant links|links|on this page|table of contents|summary|about\b|tools|references)\b|\boverview\b/i,
  },
  { kind: 'nice-to-have', pattern: /\bnice[\s-]*to[\s-]*haves?\b|\bnice[\s-]*to[\s-]*have'?s\b|\bbonus points\b/i },
  { kind: 'indicators', pattern: /\bperformance indicators?\b|\bKPIs?\b|\bhow you(?:'|’)?ll be measured\b/i },
  { kind: 'levels', pattern: /^(?:job )?(?:levels?|leveling|grades)$|^levels? (?:of|for|in|within)\b|^(?:role|in role) levels$/i },
  { kind: 'grade', pattern: /\bjob grade\b|^grade$|\bgrade level\b/i },
  { kind: 'specialties', pattern: /\bspeciali[sz]ations?\b|\bspecialt(?:y|ies)\b|\bspecialities\b/i },
  {
    kind: 'responsibilities',
    pattern:
      /\bresponsib\w*|\bresponsiblities\b|^what you(?:'|’)?ll do\b|^what you will do\b|^as an? .* you will\b|^(?:key |primary )?duties\b|^expectations\b|^what you can expect\b|^projects you (?:might|could|will|may) work on\b/i,
  },
  {
    kind: 'requirements',
    pattern:
      /\brequire?ments?\b|\bqualifications?\b|\bmust[\s-]*haves?\b|^what you(?:'|’)?ll bring\b|^what you will bring\b|\byou may be a fit\b/i,
  },
];

/** Trims punctuation and separators left around a heading's role name. */
export function trimName(text: string): string {
  return text.replace(/^[\s:,;.\-–—|/]+|[\s:,;.\-–—|/]+$/g, '');
}

export function headingInfo(title: string): HeadingInfo {
  // Asides in parentheses do not change what a heading is: "Staff Engineer (only through career development)".
  const text = title.includes('(') ? title.replace(/\s*\([^)]*\)/g, '') : title;
  for (const rule of RULES) {
    if (!rule.pattern.test(text)) continue;
    // The prefix keeps its parentheses ("International Payroll (EMEA, APAC, LATAM)").
    const match = rule.pattern.exec(title) ?? rule.pattern.exec(text);
    const source = match && match.input === title ? title : text;
    return { kind: rule.kind, prefix: trimName(source.slice(0, match?.index ?? 0)) };
  }
  return { kind: 'unknown', prefix: trimName(title) };
}

/** Section kinds that describe one role (or the page when outside any role). */
export const ROLE_PARTS: ReadonlySet<SectionKind> = new Set([
  'grade',
  'responsibilities',
  'requirements',
  'nice-to-have',
  'hiring',
  'indicators',
]);
