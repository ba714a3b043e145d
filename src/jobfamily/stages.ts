/**
 * Canonical hiring stages. A step gets the first stage whose rule matches its text, so rules are
 * ordered from the most specific signal (an offer, a screening call) to the most generic (a
 * manager); "3 separate interviews with directors and managers" is team interviews, not the
 * hiring manager, because team-interviews comes first.
 */
import type { StageName } from './model.js';

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
    patterns: [/\bscreen(?:ing)?\b/i, /\brecruit(?:er|ers|ing team|ing partner)\b/i, /\btalent acquisition\b/i, /\bsourcer\b/i, /^apply\b/i],
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
const FIRST_SENTENCE = /^.*?[.!?](?=\s+[A-Z])/;

/**
 * The stage of a hiring step: the first rule matching its first sentence, else the first rule
 * matching the whole text, else `other`.
 */
export function classifyStep(text: string, rules: readonly StageRule[] = DEFAULT_STAGE_RULES): StageName {
  const sentence = FIRST_SENTENCE.exec(text)?.[0];
  return (sentence && sentence.length < text.length ? firstMatch(sentence, rules) : undefined) ?? firstMatch(text, rules) ?? 'other';
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
