/**
 * Canonical hiring stages. Built in: a role-aware reading (`stageProcess`) that places each
 * interviewer against the role's level and reporting line. Configured: rules of patterns, where a
 * step gets the first stage whose rule matches its text. `DEFAULT_STAGE_RULES` are those rules
 * written for the built-in stages, the starting point for a configuration of one's own.
 */
import type { StageName } from './model.js';
import { FINAL_INTERVIEW, LOOKING_BACK, PHRASES, PRIORITY, REPORTS_PHRASE, type PhraseKind } from './stage-phrases.js';
import { namesManager, type ReportingLine } from './reporting-line.js';
import { RANK, roleLevel, titleMentions, usualManagerRanks, type RoleLevel } from './seniority.js';

export interface StageRule {
  stage: StageName;
  patterns: RegExp[];
}

export const DEFAULT_STAGE_RULES: readonly StageRule[] = [
  {
    stage: 'offer',
    patterns: [
      /\b(?:made|make|extend(?:ed)?|receive|given|present(?:ed)?)\s+(?:them\s+|you\s+)?an?\s+(?:job\s+|verbal\s+|written\s+|final\s+)?offer\b/i,
      /\boffer (?:letter|stage|call|will be|is)\b/i,
      /^offer\b/i,
    ],
  },
  {
    stage: 'references',
    patterns: [/\breferences?\b/i, /\bbackground check/i],
  },
  {
    stage: 'screening',
    patterns: [
      /\bscreen(?:ing)?\b/i,
      /\brecruit(?:er|ers|ing team|ing partner)\b/i,
      /\btalent acquisition\b/i,
      /\bsourcer\b/i,
      /^apply\b/i,
    ],
  },
  {
    stage: 'assessment',
    patterns: [
      /\btake[\s-]*home\b/i,
      /\b(?:technical|written|skills?|coding|case|work|writing|product|timed)\s+(?:assessments?|exercises?|interviews?|challenges?|tests?|assignments?|study|studies|samples?|questionnaires?)\b/i,
      /\bassessment\b/i,
      /\bexercise\b/i,
      /\bquestionnaire\b/i,
      /\bhomework\b/i,
      /\bmock\b/i,
      /\bscenario/i,
      /\bpresentation\b|\bpresent(?:s)?\s+(?:to|a|an|on|their)\b/i,
      /\bportfolio review\b/i,
      /\barchitectur(?:e|al) (?:discussion|interview|review)\b/i,
      /\b(?:deliver|give|perform)\s+a\s+demo\b|\bdemonstration\b/i,
      /\bpair(?:ing)? (?:programming|session)\b/i,
    ],
  },
  {
    stage: 'executive',
    patterns: [
      // CEO, CFO, CISO, CMSO, … (upper case only, so ordinary words never match)
      /\bC[A-Z]{1,3}O\b/,
      /\bPAO\b/,
      /\b(?:principal|chief)\s+(?:\w+\s+){0,2}officer\b/i,
      /\bchief\b(?!\s+of\s+staff)/i,
      /\b(?:S|E)?VPs?\b/,
      /\bvice[\s-]+president\b/i,
      /\bE[\s-]?group\b/i,
      // "an executive", not "an Executive Business Administrator" or "Executive Search"
      /\bexecutives?\b(?!\s+(?:business|admin|administrators?|assistants?|search|recruit))/i,
      /\bpresident\b/i,
      /\bboard (?:members?|of directors)\b|\bthe board\b/i,
      /\be-?team\b/i,
      /\bchair(?:man|woman|person)?\b/i,
      /\bleadership team\b/i,
    ],
  },
  {
    stage: 'team-interviews',
    patterns: [
      /\bpanel\b/i,
      /\bpeers?\b/i,
      /\bteam[\s-]*members?\b/i,
      /\bteam interviews?\b|\binterview team\b/i,
      /\bmembers? (?:of|from|on|in|within)\b/i,
      /\bsomeone (?:on|from|in)\b/i,
      /\bcross[\s-]*functional\b/i,
      /\bpartners?\b/i,
      /\bdirect reports?\b/i,
      /\bseparate\b[^.]*\binterviews?\b/i,
      /\badditional interviews\b/i,
      /\binterviews?\s+with\s+(?:\d+(?:\s*(?:-|–|to|or)\s*\d+)?|two|three|four|five|several|multiple|additional|other|various|some)\b/i,
      // "with one of our Backend Engineers", "with a Site Reliability Engineer": future peers
      /\bwith\s+(?:an?\s+|one of (?:our|the)\s+|our\s+|the\s+|two\s+)?(?:[\w&/.-]+\s+){0,4}(?:engineers?|designers?|analysts?|writers?|researchers?|marketers?|admins?|specialists?|developers?|scientists?|architects?|administrators?|fellows?)\b/i,
      /\bstakeholders?\b/i,
      /\bcolleagues?\b/i,
    ],
  },
  {
    stage: 'hiring-manager',
    patterns: [
      /\bhiring manager\b/i,
      /\breports? (?:in)?to\b|\breporting to\b/i,
      /\bdirectors?\b|\bdir\b/i,
      /\bmanagers?\b/i,
      /\bhead of\b/i,
      /\bsupervisor\b/i,
      /\bleaders?\b|\bleadership\b/i,
      /\blead\b/i,
      /\bcontroller\b/i,
    ],
  },
];

function firstMatch(text: string, rules: readonly StageRule[]): StageName | undefined {
  for (const rule of rules) {
    // `search` ignores `lastIndex`, so rules built with the g or y flag stay stateless.
    if (rule.patterns.some((pattern) => text.search(pattern) >= 0)) return rule.stage;
  }
  return undefined;
}

// Long steps explain themselves after the first sentence ("Interview with a VP of UX. The
// interviewer will …"), so the first sentence decides when it can.
// "Sr." and "e.g." end no sentence.
const FIRST_SENTENCE = /^.*?(?<!\b(?:Sr|Jr|Dr|St|Mr|Ms|vs|e\.g|i\.e))[.!?](?=\s+[A-Z])/;

function firstSentence(text: string): string | undefined {
  const sentence = FIRST_SENTENCE.exec(text)?.[0];
  return sentence && sentence.length < text.length ? sentence : undefined;
}

/**
 * The stage of a hiring step. With configured `rules`: the first rule matching its first
 * sentence, else the first rule matching the whole text, else `other`. Without: the built-in,
 * role-aware reading of `stageProcess`, for a step read on its own.
 */
export function classifyStep(text: string, rules?: readonly StageRule[], context: StageContext = {}): StageName {
  if (!rules) return stageProcess([text], context)[0] ?? 'other';
  const sentence = firstSentence(text);
  return (sentence ? firstMatch(sentence, rules) : undefined) ?? firstMatch(text, rules) ?? 'other';
}

// --- the built-in, role-aware reading --------------------------------------------------------

/** What is known of the role whose process is being staged. */
export interface StageContext {
  /** The role's name, as titled on the page (its level is read from it). */
  role?: string;
  /** Whom the role reports to (the role's own line, else the page's). */
  reportsTo?: ReportingLine;
}

/**
 * A step read on its own: a stage, the hiring manager (with the most senior title the step gives
 * them, "Hiring manager, Director CS Operations"), or someone whose rank decides.
 */
export type Reading =
  { kind: 'stage'; stage: StageName } | { kind: 'manager'; rank?: number } | { kind: 'rank'; rank: number; title: string };

interface Signal {
  index: number;
  priority: number;
  kind: PhraseKind | 'title';
  rank: number;
  noun?: string;
  title?: string;
}

function signals(clause: string): Signal[] {
  const found: Signal[] = [];
  for (const phrase of PHRASES) {
    const match = phrase.pattern.exec(clause);
    if (match) found.push({ index: match.index, priority: PRIORITY[phrase.kind], kind: phrase.kind, rank: 0 });
  }
  for (const title of titleMentions(clause))
    found.push({ index: title.index, priority: 0, kind: 'title', rank: title.rank, noun: title.noun, title: title.text });
  return found;
}

function earliest(found: readonly Signal[]): Signal | undefined {
  let best: Signal | undefined;
  for (const signal of found) {
    if (
      !best ||
      signal.index < best.index ||
      (signal.index === best.index && (signal.priority > best.priority || (signal.priority === best.priority && signal.rank > best.rank)))
    ) {
      best = signal;
    }
  }
  return best;
}

const stage = (name: StageName): Reading => ({ kind: 'stage', stage: name });

const HIRING_MANAGER_WORDS = /\bhiring managers?\b/gi;

/** The most senior title named beside "the hiring manager", if any. */
function titledRank(clause: string): number | undefined {
  const ranks = titleMentions(clause.replace(HIRING_MANAGER_WORDS, ' '))
    .map((title) => title.rank)
    .filter((rank) => rank > RANK.ic);
  return ranks.length > 0 ? Math.max(...ranks) : undefined;
}

function readClause(clause: string, context: StageContext, level: RoleLevel): Reading | undefined {
  if (REPORTS_PHRASE.test(clause)) return { kind: 'manager' };
  const first = earliest(signals(clause));
  if (!first) return undefined;
  const manager = (): boolean => context.reportsTo !== undefined && namesManager(clause, context.reportsTo);
  switch (first.kind) {
    case 'offer':
    case 'references':
    case 'screening':
    case 'assessment':
      return stage(first.kind);
    case 'skip-level':
      return stage('executive');
    case 'hiring-manager':
      return { kind: 'manager', rank: titledRank(clause) };
    case 'board':
      return manager() ? { kind: 'manager' } : stage('executive');
    case 'executive':
      // The executive team are a C-level officer's peers.
      return stage(level.rank >= RANK.cLevel ? 'team-interviews' : 'executive');
    case 'peer':
      return stage('team-interviews');
    case 'title':
      if (manager()) return { kind: 'manager' };
      if (first.rank === RANK.ic) {
        // A recruiter interviewing is the screening, unless recruiters are the role's peers.
        return stage(first.noun === 'recruiter' && level.noun !== 'recruiter' ? 'screening' : 'team-interviews');
      }
      return { kind: 'rank', rank: first.rank, title: (first.title ?? '').toLowerCase() };
  }
}

function readStep(text: string, context: StageContext, level: RoleLevel): Reading {
  const clause = (part: string): string => part.replace(LOOKING_BACK, '');
  const sentence = firstSentence(text);
  return (
    (sentence ? readClause(clause(sentence), context, level) : undefined) ??
    readClause(clause(text), context, level) ??
    stage(FINAL_INTERVIEW.test(text) ? 'executive' : 'other')
  );
}

/** Steps already read for a kind of role, shared by the roles of one page (see `settle`). */
export type StageMemo = Map<string, Reading>;

/**
 * The stages of a role's hiring process, step by step (stage definitions: README, "Hiring
 * stages"). Each step is read on its own first: its earliest phrase or job title decides
 * (`stage-phrases.ts`, `seniority.ts`). Interviewers known only by title are then placed against
 * the role: the person the role reports to (or, when the page does not say, the rank its manager
 * usually has) is the hiring manager, once; a leader above the hiring manager, or any C-level
 * officer above the role, is an executive; anyone else is a team interview.
 */
export function stageProcess(texts: readonly string[], context: StageContext = {}, memo: StageMemo = new Map()): StageName[] {
  const level = roleLevel(context.role ?? '');
  // Roles of one family share their process: each step is read once per kind of role.
  // (What a step says depends on the role only through these: see readClause.)
  const kind = `${level.rank >= RANK.cLevel}/${level.noun === 'recruiter'}/${context.reportsTo?.text ?? ''}\u0000`;
  const readings = texts.map((text) => {
    const key = kind + text;
    let reading = memo.get(key);
    if (!reading) {
      reading = readStep(text, context, level);
      memo.set(key, reading);
    }
    return reading;
  });
  const [low, high] = context.reportsTo?.ranks ?? usualManagerRanks(level);
  let managerSeen = readings.some((reading) => reading.kind === 'manager');
  // How senior the hiring manager is, once known: executives are the leaders above them.
  const named = readings.flatMap((reading) => (reading.kind === 'manager' && reading.rank !== undefined ? [reading.rank] : []));
  let managerRank = context.reportsTo?.ranks[1] ?? (named.length > 0 ? Math.max(...named) : undefined);
  // The title taken for the hiring manager, so a second interview with them ("an 80 minute
  // interview with the CEO") is theirs too.
  let managerTitle: string | undefined;
  return readings.map((reading) => {
    if (reading.kind === 'stage') return reading.stage;
    if (reading.kind === 'manager') return 'hiring-manager';
    const { rank } = reading;
    if (rank >= low && rank <= high && (!managerSeen || reading.title === managerTitle)) {
      managerSeen = true;
      managerTitle = reading.title;
      managerRank ??= rank;
      return 'hiring-manager';
    }
    const aboveRole = rank >= RANK.cLevel && level.rank < RANK.cLevel;
    return aboveRole || rank > (managerRank ?? high) ? 'executive' : 'team-interviews';
  });
}

/** Stages a role's process: the built-in reading, or configured rules applied step by step. */
export type Stager = (texts: readonly string[], context: StageContext, memo?: StageMemo) => StageName[];

export function stagerFor(rules: readonly StageRule[] | undefined): Stager {
  return rules ? (texts) => texts.map((text) => classifyStep(text, rules)) : stageProcess;
}

/**
 * Rules from configuration: each pattern is a regular expression source, matched
 * case-insensitively with unicode semantics. Throws a message naming the stage and pattern when
 * a pattern does not compile (configuration errors should stop the bot early).
 */
export function stageRulesFromConfig(stages: ReadonlyArray<{ name: string; patterns: readonly string[] }>): StageRule[] {
  return stages.map(({ name, patterns }) => ({
    stage: name,
    patterns: patterns.map((source) => {
      try {
        return new RegExp(source, 'iu');
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`invalid pattern for hiring stage "${name}": ${source} (${reason})`, { cause: error });
      }
    }),
  }));
}

/** The distinct stages given, in `order`; stages missing from `order` follow in order of appearance. */
export function inStageOrder(stages: Iterable<StageName>, order: readonly StageName[]): StageName[] {
  const present = new Set(stages);
  const known = order.filter((stage) => present.has(stage));
  const knownSet = new Set(order);
  const extra = [...present].filter((stage) => !knownSet.has(stage));
  return [...known, ...extra];
}
