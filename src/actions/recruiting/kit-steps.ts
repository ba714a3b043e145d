/**
 * One hiring step as an interview kit lists it: what happens, with whom, how long. Pure, from the
 * step's sentence as the page writes it ("Candidates will then be invited to schedule separate
 * 45 minute interviews with three members of the Security Organization"). Pages are prose, so each
 * part is `null` when the sentence does not say it; the kit then shows the sentence alone.
 */

export interface StepFacts {
  /** `Screening call`, `3 interviews`, `Interview`, `Offer`, … or `null`. */
  what: string | null;
  /** `one of our Global Recruiters`, `the VP of Security`, … or `null`. */
  withWhom: string | null;
  /** `30 min`, `45–60 min`, `1 h`, … or `null`. */
  duration: string | null;
}

const NUMBER_WORDS: Record<string, string> = { two: '2', three: '3', four: '4', five: '5', six: '6' };

const DURATION = /\b(\d{1,3})(?:\s*(?:-|–|to)\s*(\d{1,3}))?[\s-]*(minutes?|mins?|hours?|hrs?)\b/iu;

/** `30 minute` → `30 min`; `45-60 minute` → `45–60 min`; `1 hour` → `1 h`. */
export function stepDuration(text: string): string | null {
  const match = DURATION.exec(text);
  if (match === null) return null;
  const [, from, to, unit = ''] = match;
  const short = unit.toLowerCase().startsWith('h') ? 'h' : 'min';
  return `${from}${to === undefined ? '' : `–${to}`} ${short}`;
}

/**
 * Where the "with whom" phrase ends: a clause (`to which`, `who`, `for a …`, `may occur`, `In this
 * interview` after a line the page did not end with a full stop, `and a 30 minute …`) or punctuation,
 * except the full stop of an abbreviated title (`Sr.`, `Jr.`, `Dr.`).
 */
const WHOM_END =
  /\s+(?:to|who|whom|that|via|for|in order|at|on|about|as|if|and then|before|after|may|will|once|in this)\b|\s+and an? \d|(?<!\b(?:Sr|Jr|Dr|Mr|Ms|Mrs|St))[.;:!?(]/iu;

/** The phrase after the (last) "with": the people the candidate meets. */
export function stepWithWhom(text: string): string | null {
  const at = text.search(/\bwith\s+/iu);
  if (at < 0) return null;
  let rest = text.slice(at).replace(/^with\s+/iu, '');
  // "meet again with the CISO" is the same person; "with one of our Global Recruiters" is kept whole.
  const end = rest.search(WHOM_END);
  if (end >= 0) rest = rest.slice(0, end);
  rest = rest.trim().replace(/[,\s]+$/u, '');
  return rest === '' ? null : rest;
}

/** Activities, most specific first; the first found names the step. */
const ACTIVITIES: ReadonlyArray<{ pattern: RegExp; singular: string; plural: string }> = [
  { pattern: /\bscreening calls?\b/iu, singular: 'Screening call', plural: 'Screening calls' },
  { pattern: /\b(?:phone |initial )?screen(?:ing)?s?\b/iu, singular: 'Screening', plural: 'Screenings' },
  { pattern: /\b(?:reference|background) checks?\b|\breferences\b/iu, singular: 'Reference check', plural: 'Reference checks' },
  { pattern: /\boffer\b/iu, singular: 'Offer', plural: 'Offers' },
  {
    pattern: /\b(?:take[\s-]*home |technical |written )?(?:assessment|exercise|assignment|test)s?\b/iu,
    singular: 'Assessment',
    plural: 'Assessments',
  },
  { pattern: /\bpresentations?\b/iu, singular: 'Presentation', plural: 'Presentations' },
  { pattern: /\bpanels?\b/iu, singular: 'Panel', plural: 'Panels' },
  { pattern: /\binterviews?\b/iu, singular: 'Interview', plural: 'Interviews' },
  { pattern: /\bcalls?\b/iu, singular: 'Call', plural: 'Calls' },
  { pattern: /\b(?:conversation|meeting|chat)s?\b|\bmeet\b/iu, singular: 'Conversation', plural: 'Conversations' },
];

/** `3 separate … interviews` → 3; `2-3 separate` → `2–3`; `three members` is about people, not counted. */
function count(text: string): string | null {
  const match = /\b(\d{1,2}(?:\s*[-–]\s*\d{1,2})?|two|three|four|five|six)\s+(?:separate|individual|additional)\b/iu.exec(text);
  if (match?.[1] === undefined) return null;
  const raw = match[1].toLowerCase();
  return NUMBER_WORDS[raw] ?? raw.replace(/\s*[-–]\s*/u, '–');
}

export function stepWhat(text: string): string | null {
  for (const activity of ACTIVITIES) {
    const match = activity.pattern.exec(text);
    if (match === null) continue;
    const plural = /s$/iu.test(match[0]) && !/\breferences\b/iu.test(match[0]);
    const n = count(text);
    if (n !== null && plural) return `${n} ${activity.plural.toLowerCase()}`;
    return plural ? activity.plural : activity.singular;
  }
  return null;
}

export function stepFacts(text: string): StepFacts {
  return { what: stepWhat(text), withWhom: stepWithWhom(text), duration: stepDuration(text) };
}
