/**
 * The phrases that say what a hiring step is, before any job title is read: an offer, a reference
 * check, the recruiter's screening, an exercise, the hiring manager by name of function, the skip
 * level, peers, executives. The earliest phrase in a step decides ("interview with the hiring
 * manager to outline a take-home assignment" is the hiring manager; "deliver a demo to a panel"
 * is an exercise), so the table needs no ordering beyond ties at one position (`PRIORITY`).
 */

export type PhraseKind =
  'offer' | 'references' | 'skip-level' | 'hiring-manager' | 'board' | 'executive' | 'peer' | 'screening' | 'assessment';

export interface Phrase {
  kind: PhraseKind;
  pattern: RegExp;
}

export const PHRASES: readonly Phrase[] = [
  {
    kind: 'offer',
    pattern:
      /\b(?:made|make|extend(?:ed)?|receive|given|present(?:ed)?)\s+(?:them\s+|you\s+)?an?\s+(?:job\s+|verbal\s+|written\s+|final\s+)?offer\b|\boffer (?:letter|stage|call|will be|is)\b|^offer\b|\bcontract (?:stage|signature|is sent)\b/i,
  },
  { kind: 'references', pattern: /\breferences?\b|\bbackground checks?\b/i },
  { kind: 'skip-level', pattern: /\bskip[\s-]*(?:level|manager)\b|\bhiring manager'?s manager\b|\bmanager'?s manager\b/i },
  {
    kind: 'hiring-manager',
    pattern: /\bhiring managers?\b|\bfuture (?:direct )?manager\b|\b(?:your|direct) manager\b|\bmanager of the team\b/i,
  },
  {
    kind: 'board',
    pattern:
      /\b(?:members? of (?:the |our )?|(?:\d+|one|two|three)(?:\s*(?:-|–|to|or)\s*\d+)?\s+)?(?:board(?: of directors| members?)?|chair(?:man|woman|person)?(?: of the (?:board|audit committee))?|audit committee)\b/i,
  },
  {
    kind: 'executive',
    pattern:
      // "an executive", "members of E-Group", not "an Executive Business Administrator" or "Executive Recruiter"
      /\b(?:members? of (?:the |our )?|(?:\d+|one|two|three)(?:\s*(?:-|–|to|or)\s*\d+)?\s+)?(?:e-?group|e-?team|executive (?:team|leadership|staff)|leadership team)\b|\bexecutives?\b(?!\s+(?:business|admin|administrators?|assistants?|search|recruit|recruiters?|vice|VP))/i,
  },
  {
    kind: 'peer',
    pattern:
      /\bpeers?\b|\btechnical interviews?\b|\bco-?workers?\b|\bcolleagues?\b|\bpanel\b|\bteam[\s-]*members?\b|\bteam interviews?\b|\binterview team\b|\bmembers? (?:of|from|on|in|within)\b|\bsomeone (?:on|from|in)\b|\bcross[\s-]*functional\b|\bstakeholders?\b|\b(?:direct|key|future) reports?\b|\bseparate\b[^.;]*\binterviews?\b|\badditional interviews\b|(?<=\binterviews?\s+with\s+)(?:\d+(?:\s*(?:-|–|to|or)\s*\d+)?|two|three|four|five|several|multiple|additional|other|various|some)\b|\b(?:a |key |other )?leaders? (?:from|of|in|on) (?:the|our|another|other|a)\b|\b(?:(?:senior |sr\.? )?director,? (?:of )?)?(?:people |hr )?business partners?\b|\b(?:audit|key) partners?\b|\bDRI\b/i,
  },
  {
    kind: 'screening',
    // A questionnaire is the recruiters' first filter unless it tests skills ("technical questionnaire").
    pattern:
      /\bscreen(?:ing|s)?\b|\btalent acquisition\b|\bsourcers?\b|^apply\b|\b(?:initial|intro(?:ductory)?) call\b|\b(?<!(?:technical|skills?|written|writing)\s)questionnaire\b/i,
  },
  {
    kind: 'assessment',
    pattern:
      /\btake[\s-]*home\b|\bassessments?\b|\bexercises?\b|\b(?:technical|skills?|written|writing)\s+questionnaires?\b|\bhomework\b|\bassignments?\b|\b(?:complete|submit|create|work on|prepare)\s+(?:a |an |the )?(?:[\w/-]+\s+){0,3}projects?\b|\bpresentations?\b|\bpresent(?:s)?\s+(?:to|a|an|on|their)\b|\bcase stud(?:y|ies)\b|\bportfolio\b|\b(?:writing|work) samples?\b|\bdemo(?:nstration)?\b(?!\s+(?:architects?|engineers?))|\bmock\b|\bpair(?:ing|ed)? (?:programming|coding|session|exercise)\b|\bpairing\b|\bcoding (?:exercise|challenge|test|assignment|session)\b|\b(?:technical|take[\s-]*home|skills?) tests?\b/i,
  },
];

/** At one position the more specific reading wins: "members of E-Group" is executives, not peers. */
export const PRIORITY: Readonly<Record<PhraseKind, number>> = {
  offer: 8,
  references: 7,
  'skip-level': 6,
  'hiring-manager': 5,
  board: 4.5,
  executive: 4,
  peer: 3,
  screening: 2,
  assessment: 1,
};

/** "a Director of Security to which the position reports": whoever it is, they are the hiring manager. */
export const REPORTS_PHRASE = /\b(?:to )?(?:which|whom) the (?:position|role) reports\b|\bthe (?:position|role) reports to\b/i;

/** "a final interview" with nobody named is the last leader's sign-off. */
export const FINAL_INTERVIEW = /\bfinal (?:stage|round|interviews?|inteview)\b/i;

/**
 * A leading clause that looks back at an earlier step ("If you pass the screening call, …",
 * "On successful completion of the assessment, …") names no stage of this one.
 */
export const LOOKING_BACK =
  /^(?:(?:next|then|finally|and)\s*,?\s*)?(?:if|after|once|when|following|upon|on successful|on completion|in parallel with|or in parallel with|next or in parallel with)\b[^,;]{0,160}[,;]\s*/i;
