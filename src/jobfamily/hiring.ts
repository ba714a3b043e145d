/**
 * Hiring steps of a hiring-process section. Pages write them as bullets, numbered lists, plain
 * lines of one paragraph, or headings ("### Step N", "### References"); the boilerplate around
 * them ("…can expect the hiring process to follow the order below…", "Additional details about
 * our process…") is not a step. Steps are staged later, once the role they belong to is known.
 */
import type { Section } from './outline.js';
import { headingInfo } from './section-kind.js';
import { isLabel, isPlaceholder } from './items.js';
import type { TextLine } from './text.js';
import { collapse } from './text.js';

const BOILERPLATE =
  /expect the (?:hiring|interview(?:ing)?|recruiting) process|(?:can|may) be declined from the position|additional details about (?:our|the)\b|please keep in mind|to learn more about someone|\bhiring (?:page|handbook)\b|all interviews are conducted|^as always\b|^see more details\b/i;

// "Next, candidates will move to the first round of interviews." announces the sub-bullets below it.
const ANNOUNCES = /\b(?:rounds?|series|following|include|includes|consists? of)\b/i;

// A line ending like this continues onto the next one ("…an interview with our\nDirector of …").
const CONTINUES = /(?:\b(?:the|a|an|with|and|or|of|to|for|our|by|from|in|at|on|your|their|then|who|which|as)|[,;:\-–(/&])$/i;
const STARTS_SENTENCE = /^(?:[\p{Lu}][\p{Ll}'’]+|A|I)[,;:]?\s+\S/u;
// "*Next, candidates …": a list marker that lost its space, so the line did not start an item.
const STRAY_MARKER = /^[*+-](?=\p{Lu})/u;

/**
 * Splits one paragraph (or list item) into steps: a new line starting a capitalised sentence
 * is a new step unless the previous line visibly continues.
 */
function splitLines(lines: readonly TextLine[]): { text: string; line: number }[] {
  const steps: { text: string; line: number }[] = [];
  for (const current of lines) {
    const stray = STRAY_MARKER.test(current.text);
    const text = stray ? current.text.slice(1) : current.text;
    const last = steps[steps.length - 1];
    // A template placeholder ("{Insert hiring process steps here.}") stands alone, to be dropped.
    const separate = stray || text.startsWith('{') || last?.text.startsWith('{');
    if (last && !separate && !(STARTS_SENTENCE.test(text) && !CONTINUES.test(last.text))) {
      last.text = `${last.text} ${text}`;
    } else {
      steps.push({ text, line: current.line });
    }
  }
  return steps;
}

// Boilerplate run into the last step's line ("… with the Director, Education Services Additional
// details about our process can be found …") is cut off, not allowed to swallow the step.
const TRAILING_BOILERPLATE = /\s+(?:additional details about (?:our|the)\b|see more details\b|as always\b|please keep in mind\b).*$/i;

function trimTrailing(text: string): string {
  const match = TRAILING_BOILERPLATE.exec(text);
  return match && match.index >= 20 ? text.slice(0, match.index) : text;
}

function isStep(text: string): boolean {
  return text.length > 0 && !BOILERPLATE.test(text) && !isLabel(text) && !isPlaceholder(text);
}

function stripStepPrefix(title: string): string {
  return collapse(title.replace(/^(?:step|round|stage)\s*\d+\s*[:.)\-–—]?\s*/i, ''));
}

/**
 * Paragraphs before a list introduce it; after the list they go on with the process ("Candidates
 * may be invited to additional interviews."). Quoted blocks are notes around the steps.
 */
function ownSteps(section: Section, into: { text: string; line: number }[]): void {
  let listSeen = !section.blocks.some((b) => b.kind === 'list' && b.items.length > 0 && !b.quoted);
  for (const block of section.blocks) {
    if (block.kind === 'table' || block.quoted) continue;
    if (block.kind === 'list') {
      if (block.items.length > 0) listSeen = true;
      // A sub-bullet under a step describes it ("The Technical Interview will involve …"); under
      // a label or an announcement ("… the first round of interviews.") it is a step.
      const parents: string[] = [];
      for (const item of block.items) {
        parents[item.depth] = item.text;
        const parent = item.depth > 0 ? parents[item.depth - 1] : undefined;
        if (parent !== undefined && !isLabel(parent) && !ANNOUNCES.test(parent)) continue;
        into.push(...splitLines(item.lines));
      }
    } else if (listSeen) {
      into.push(...splitLines(block.lines));
    } else {
      // An intro paragraph is no step, but "For Managers:" says whom the list below is for.
      into.push(...block.lines.filter((line) => isLabel(line.text)).map(({ text, line }) => ({ text, line })));
    }
  }
}

function headingStep(child: Section, numbered: boolean, into: { text: string; line: number }[]): void {
  // "### Round 1" with bullets lists its interviews; "### Step 1: Screening call" and "### Panel
  // Interview" (whatever its bullets say about it) are the step.
  const inner: { text: string; line: number }[] = [];
  if (numbered)
    for (const block of child.blocks)
      if (block.kind === 'list' && !block.quoted) for (const item of block.items) inner.push(...splitLines(item.lines));
  if (inner.some((s) => isStep(s.text))) into.push(...inner);
  else into.push({ text: stripStepPrefix(child.title) || child.title, line: child.line });
}

type Skip = (child: Section) => boolean;

// Of the headings section-kind.ts files as asides, only this one names a hiring step.
const ASIDE_STEP = /^references?\b/i;

/** A line as collected; `heading`: a sub-process heading, kept only to read whom it is for. */
interface Raw {
  text: string;
  line: number;
  heading?: boolean;
}

function collect(section: Section, into: Raw[], skip: Skip): void {
  const before = into.length;
  ownSteps(section, into);
  const ownCount = into.slice(before).filter((s) => isStep(s.text)).length;
  for (const child of section.children) {
    if (skip(child)) continue;
    const { kind } = headingInfo(child.title);
    if (kind === 'hiring' || (kind === 'unknown' && isLabel(child.title))) {
      // "##### The following steps would be scheduled after …:" goes on with the process;
      // "### Management Hiring Process" says whom the steps below are for.
      into.push({ text: isLabel(child.title) ? child.title : `${child.title}:`, line: child.line, heading: true });
      collect(child, into, skip);
    } else if (kind === 'step') {
      headingStep(child, true, into);
    } else if (
      (kind === 'unknown' || (kind === 'aside' && ASIDE_STEP.test(child.title))) &&
      ((child.blocks.length === 0 && child.children.length === 0) || ownCount === 0)
    ) {
      // Steps written as headings: "#### Screening call with Recruiter" (empty), or "### Recruiter
      // Screening" with its description when the section lists no steps of its own. A step named
      // like an aside ("### References") is still a step here.
      headingStep(child, false, into);
    }
  }
}

/** A step as written, before it is staged for its role. */
export interface StepText {
  text: string;
  line: number;
  /** Set when the process gives separate steps to managers and to individual contributors. */
  audience?: Audience;
}

export type Audience = 'managers' | 'individual-contributors';

// "For Managers:", "### Management Hiring Process", "For Individual Contributors:"
const FOR_MANAGERS = /\bmanag(?:ers?|ement)\b|\bleaders?(?:hip)?\b|\bdirectors?\b/i;
const FOR_INDIVIDUALS = /\bindividual contributors?\b|\bICs?\b|\bnon-?managers?\b/i;

function audienceOf(label: string): Audience | undefined {
  if (FOR_INDIVIDUALS.test(label)) return 'individual-contributors';
  return FOR_MANAGERS.test(label) ? 'managers' : undefined;
}

/** `skip` leaves out sub-sections that turned out to be something else (a role written inside the section). */
export function hiringSteps(section: Section, skip: Skip = () => false): StepText[] {
  const raw: Raw[] = [];
  collect(section, raw, skip);
  const steps: StepText[] = [];
  let audience: Audience | undefined;
  for (const { text, line, heading } of raw) {
    if (isLabel(text) && (heading || audienceOf(text))) audience = audienceOf(text);
    const trimmed = trimTrailing(text);
    if (isStep(trimmed)) steps.push(audience ? { text: trimmed, line, audience } : { text: trimmed, line });
  }
  return steps;
}
