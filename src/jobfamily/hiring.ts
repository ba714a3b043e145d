/**
 * Hiring steps of a hiring-process section. Pages write them as bullets, numbered lists, plain
 * lines of one paragraph, or "### Step N" headings; the boilerplate around them ("…can expect the
 * hiring process to follow the order below…", "Additional details about our process…") is not a step.
 */
import type { HiringStep } from './model.js';
import type { Section } from './outline.js';
import { headingInfo } from './section-kind.js';
import { classifyStep, type StageRule } from './stages.js';
import { isLabel, isPlaceholder } from './items.js';
import type { TextLine } from './text.js';
import { collapse } from './text.js';

const BOILERPLATE =
  /expect the (?:hiring|interview(?:ing)?|recruiting) process|can be declined from the position|additional details about (?:our|the)\b|please keep in mind|to learn more about someone|\bhiring (?:page|handbook)\b|all interviews are conducted|^as always\b|^see more details\b/i;

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

function isStep(text: string): boolean {
  return text.length > 0 && !BOILERPLATE.test(text) && !isLabel(text) && !isPlaceholder(text);
}

function stripStepPrefix(title: string): string {
  return collapse(title.replace(/^(?:step|round|stage)\s*\d+\s*[:.)\-–—]?\s*/i, ''));
}

function ownSteps(section: Section, into: { text: string; line: number }[]): void {
  const hasList = section.blocks.some((b) => b.kind === 'list' && b.items.length > 0);
  for (const block of section.blocks) {
    if (block.kind === 'list') {
      for (const item of block.items) into.push(...splitLines(item.lines));
    } else if (block.kind === 'paragraph' && !hasList) {
      into.push(...splitLines(block.lines));
    }
  }
}

function headingStep(child: Section, into: { text: string; line: number }[]): void {
  // "### Round 1" with bullets lists its interviews; "### Step 1: Screening call" is the step.
  const inner: { text: string; line: number }[] = [];
  for (const block of child.blocks) if (block.kind === 'list') for (const item of block.items) inner.push(...splitLines(item.lines));
  if (inner.some((s) => isStep(s.text))) into.push(...inner);
  else into.push({ text: stripStepPrefix(child.title) || child.title, line: child.line });
}

type Skip = (child: Section) => boolean;

function collect(section: Section, into: { text: string; line: number }[], skip: Skip): void {
  const before = into.length;
  ownSteps(section, into);
  const ownCount = into.slice(before).filter((s) => isStep(s.text)).length;
  for (const child of section.children) {
    if (skip(child)) continue;
    const { kind } = headingInfo(child.title);
    if (kind === 'hiring') {
      collect(child, into, skip);
    } else if (kind === 'step') {
      headingStep(child, into);
    } else if (kind === 'unknown' && ((child.blocks.length === 0 && child.children.length === 0) || ownCount === 0)) {
      // Steps written as headings: "#### Screening call with Recruiter" (empty), or "### Recruiter
      // Screening" with its description when the section lists no steps of its own.
      headingStep(child, into);
    }
  }
}

/** `skip` leaves out sub-sections that turned out to be something else (a role written inside the section). */
export function hiringSteps(section: Section, rules: readonly StageRule[], skip: Skip = () => false): HiringStep[] {
  const raw: { text: string; line: number }[] = [];
  collect(section, raw, skip);
  const steps: HiringStep[] = [];
  for (const { text, line } of raw) {
    if (isStep(text)) steps.push({ text, stage: classifyStep(text, rules), line });
  }
  return steps;
}
