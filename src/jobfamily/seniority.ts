/**
 * The seniority ladder: how senior a job title is, read from its words. Ranks only need to order
 * titles against each other (an interviewer against the role being hired):
 *
 *   2 individual contributor · 5 manager · 6 senior manager · 7 director / head of · 8 senior
 *   director · 9 VP · 10 EVP / SVP · 11 C-level officer · 12 CEO · 13 board
 *
 * Individual contributors keep their level apart (`icLevel`) because a principal engineer's
 * manager sits higher than a junior engineer's.
 */

export const RANK = {
  ic: 2,
  manager: 5,
  seniorManager: 6,
  director: 7,
  seniorDirector: 8,
  vp: 9,
  evp: 10,
  cLevel: 11,
  ceo: 12,
  board: 13,
} as const;

export interface TitleMention {
  /** Where the title starts in the text it was found in. */
  index: number;
  /** The title as written, with the capitalised words before it ("Product Design Manager"). */
  text: string;
  rank: number;
  /** The job noun of an individual contributor ("engineer"), for comparing with the role's own. */
  noun?: string;
}

interface Rung {
  rank: number;
  /** Acronyms (CFO, PAO) are matched case-sensitively, so ordinary words never match. */
  pattern: RegExp;
}

// Order matters only for ties at the same position: the longer, more senior reading comes first.
const LADDER: readonly Rung[] = [
  {
    rank: RANK.board,
    pattern: /\b(?:board(?: of directors| members?)?|chair(?:man|woman|person)?(?: of the (?:board|audit committee))?|audit committee)\b/i,
  },
  { rank: RANK.ceo, pattern: /\bCEO\b|\bco-?founder\b/i },
  { rank: RANK.cLevel, pattern: /\bC[A-Z]{1,3}O\b|\bPAO\b/ },
  { rank: RANK.cLevel, pattern: /\b(?:chief|principal)\s+(?:[\w&-]+\s+){0,3}officers?\b|\bchief\b(?!\s+of\s+staff)/i },
  { rank: RANK.evp, pattern: /\b(?:EVP|SVP)s?\b|\b(?:executive|senior)\s+(?:vice[\s-]+presidents?|VPs?)\b/i },
  { rank: RANK.vp, pattern: /\bVPs?\b|\bvice[\s-]+presidents?\b/i },
  { rank: RANK.seniorDirector, pattern: /\b(?:senior|sr\.?)\s+directors?\b/i },
  { rank: RANK.director, pattern: /\bdirectors?\b|\bdir\b|\bhead of\b|\bchief of staff\b|\bcontroller\b/i },
  // "Senior Manager", "Senior Technical Accounting Manager"
  { rank: RANK.seniorManager, pattern: /\b(?:senior|sr\.?)\s+(?:[\w&/-]+\s+){0,3}managers?\b/i },
  { rank: RANK.manager, pattern: /\bmanagers?\b|\bsupervisors?\b/i },
];

// Individual contributors named by their job noun: future peers when they interview.
const IC_NOUN =
  /\b(engineer|designer|analyst|writer|researcher|specialist|architect|administrator|admin|developer|scientist|marketer|fellow|accountant|auditor|counsel|evangelist|recruiter|coordinator|representative|advocate|consultant|instructor|dbre|sre|programmer|strategist|editor|technician|agent)s?\b/i;

// Levels of individual contributors, lowest first.
const IC_LEVELS: ReadonlyArray<[RegExp, number]> = [
  [/\b(?:intern|junior|jr\.?|associate)\b/i, 1],
  [/\b(?:senior|sr\.?)\b/i, 3],
  [/\b(?:staff|lead)\b/i, 4],
  [/\bprincipal\b/i, 5],
  [/\bdistinguished\b/i, 7],
  [/\bfellow\b/i, 8],
];

// Capitalised words right before a title qualify it: "Product Design Manager", not just "Manager".
const QUALIFIER = /(?:[A-Z][\w&-]*\s+){1,3}$/;

function withQualifier(text: string, index: number, title: string): string {
  return `${QUALIFIER.exec(text.slice(Math.max(0, index - 60), index))?.[0] ?? ''}${title}`;
}

/** Every rung's first occurrence, plus the first job noun; callers take the earliest. */
export function titleMentions(text: string): TitleMention[] {
  const found: TitleMention[] = [];
  for (const rung of LADDER) {
    const match = rung.pattern.exec(text);
    if (match) found.push({ index: match.index, text: withQualifier(text, match.index, match[0]), rank: rung.rank });
  }
  const noun = IC_NOUN.exec(text);
  if (noun) found.push({ index: noun.index, text: noun[0], rank: RANK.ic, noun: (noun[1] ?? '').toLowerCase() });
  return found;
}

/** The earliest title in `text`; at one position the most senior reading wins. */
export function firstTitle(text: string): TitleMention | undefined {
  let best: TitleMention | undefined;
  for (const mention of titleMentions(text)) {
    if (!best || mention.index < best.index || (mention.index === best.index && mention.rank > best.rank)) best = mention;
  }
  return best;
}

export interface RoleLevel {
  rank: number;
  /** True for individual contributors ("Senior Backend Engineer", "Product Marketing Manager"). */
  ic: boolean;
  /** 1 junior … 3 senior … 5 principal … 8 fellow; 2 when the title names no level. */
  icLevel: number;
  /** The role's job noun, when it is one of an individual contributor ("engineer"). */
  noun?: string;
}

// "Manager, X", "Senior Manager of X", "Engineering Manager", "X Team Manager": people managers.
// "Product Marketing Manager", "Contract Manager": individual contributors with a manager's name.
const PEOPLE_MANAGER =
  /^(?:senior |sr\.? )?managers?\b|\bmanagers?,|\bmanager of\b|\b(?:engineering|team|group|design|delivery)\s+managers?\b/i;

/** The level of a role from its name. "(Senior Director)" after a name states the level outright. */
export function roleLevel(name: string): RoleLevel {
  const hint = /\(([^)]*)\)/.exec(name)?.[1];
  const hinted = hint ? firstTitle(hint) : undefined;
  // "Staff Executive Business Administrator to the CEO": whom the role serves is not its level.
  const own = name.replace(/\([^)]*\)/g, ' ').replace(/\s+(?:to|for) the\s.*$/i, '');
  const title = hinted && hinted.rank > RANK.ic ? hinted : firstTitle(own);
  const level = IC_LEVELS.reduce((found, [pattern, value]) => (pattern.test(own) ? value : found), 2);
  const nounMatch = IC_NOUN.exec(own);
  const noun = nounMatch ? (nounMatch[1] ?? '').toLowerCase() : undefined;
  if (!title || title.rank === RANK.ic) return { rank: RANK.ic, ic: true, icLevel: level, noun };
  if (title.rank <= RANK.seniorManager && !PEOPLE_MANAGER.test(own.trim()) && !(hinted && hinted.rank > RANK.ic)) {
    return { rank: RANK.ic, ic: true, icLevel: Math.max(level, 3), noun: noun ?? 'manager' };
  }
  return { rank: title.rank, ic: false, icLevel: level, noun };
}

/**
 * Ranks the hiring manager of a role usually has, when the page does not say: the next rung up
 * (a manager for an engineer, a director or senior manager's boss for a manager, the CEO for a
 * C-level officer).
 */
export function usualManagerRanks(level: RoleLevel): [number, number] {
  if (level.ic) {
    if (level.icLevel >= 8) return [RANK.vp, RANK.vp];
    if (level.icLevel >= 7) return [RANK.seniorDirector, RANK.vp];
    if (level.icLevel >= 5) return [RANK.seniorManager, RANK.director];
    // "Corporate Communications Manager": an individual contributor reporting to a manager or senior manager.
    return level.noun === 'manager' ? [RANK.manager, RANK.seniorManager] : [RANK.manager, RANK.manager];
  }
  switch (level.rank) {
    case RANK.manager:
      return [RANK.seniorManager, RANK.director];
    case RANK.seniorManager:
      return [RANK.director, RANK.seniorDirector];
    case RANK.director:
      return [RANK.seniorDirector, RANK.vp];
    case RANK.seniorDirector:
      return [RANK.vp, RANK.vp];
    case RANK.vp:
      return [RANK.evp, RANK.cLevel];
    case RANK.evp:
      return [RANK.cLevel, RANK.ceo];
    case RANK.cLevel:
      return [RANK.ceo, RANK.ceo];
    default:
      return [RANK.board, RANK.board];
  }
}
