import { sanitizeInline, type SanitizeOptions } from '../../gitlab/sanitize.js';
import type { StageName } from '../../jobfamily/model.js';
import type { HiringFamily } from './family.js';

/**
 * The description of a `hiring-stage::<stage>` label: which steps of the job families' hiring
 * processes fall in the stage and who runs them. Labels are shared by every family of the recruiting
 * project, so the description is built from all known families (sorted, deduplicated): it depends on
 * what the pages say, never on which page happened to sync last, and an unchanged handbook means an
 * unchanged description (no edit).
 */

/** Long descriptions make unreadable tooltips: steps beyond this length are left out (soft limit). */
export const MAX_DESCRIPTION_LENGTH = 1000;
const MAX_RUNNERS = 8;
const MAX_FAMILIES_PER_STEP = 3;
/**
 * What is left out is not counted: a count would change with every family added to the handbook and
 * make each page-sync edit the shared labels again.
 */
const MORE = '; and more';
const NO_MENTIONS: SanitizeOptions = { allowedMentions: new Set() };

const COUNT = '(?:one|some|any|each|all|two|three|four|five|six|several|multiple|various|\\d+(?:\\s*(?:-|–|to|or)\\s*\\d+)?)';
const RUNNER = new RegExp(
  `\\bwith\\s+(?:${COUNT}\\s+(?:of\\s+)?)?(?:(?:the|a|an|our|their|your)\\s+)?(.+?)(?=\\s+(?:for|to|via|about|where|who|which|in order|before|after)\\b|[.;:,()]|$)`,
  'iu',
);

/** Someone, rather than something: a role word, or an acronym such as CEO, VP or DRI. */
const PERSON =
  /\b(?:recruit\w*|sourcers?|managers?|directors?|leads?|leaders?|leadership|members?|teams?|teammates?|engineers?|officers?|partners?|peers?|colleagues?|stakeholders?|panel|interviewers?|head|chief|president|founders?|executives?|staff|people|specialists?|analysts?|designers?|architects?|counsel)\b/iu;
const ACRONYM = /\b[A-Z]{2,}[a-z]?\b/u;

/**
 * Who runs a step, from "… with <someone>": "a screening call with one of our Global Recruiters" →
 * "Global Recruiters". `null` when the step names nobody ("an offer via email", "questions with Bash").
 */
export function stepRunner(text: string): string | null {
  const match = RUNNER.exec(text.replace(/\s+/gu, ' '));
  const runner = match?.[1]?.trim();
  if (runner === undefined || runner === '' || runner.length > 80 || (!PERSON.test(runner) && !ACRONYM.test(runner))) return null;
  return runner;
}

function normalize(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

function byCountThenText<T extends { count: number; text: string }>(a: T, b: T): number {
  return b.count - a.count || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0);
}

export function stageLabelDescription(stage: StageName, families: readonly HiringFamily[]): string {
  const steps = new Map<string, { text: string; families: Set<string> }>();
  const runners = new Map<string, { text: string; families: Set<string> }>();
  for (const family of families) {
    for (const role of family.roles) {
      for (const step of role.steps) {
        if (step.stage !== stage) continue;
        const text = normalize(step.text);
        const entry = steps.get(text) ?? { text, families: new Set<string>() };
        entry.families.add(family.title);
        steps.set(text, entry);
        const runner = stepRunner(text);
        if (runner === null) continue;
        const key = runner.toLowerCase();
        const who = runners.get(key) ?? { text: runner, families: new Set<string>() };
        who.families.add(family.title);
        runners.set(key, who);
      }
    }
  }

  const inline = (text: string, maxLength: number) => sanitizeInline(text, { ...NO_MENTIONS, maxLength });
  let description = `Hiring stage "${stage}", kept by handbook-bot from the job-family pages' hiring processes.`;
  const who = [...runners.values()]
    .map((runner) => ({ text: runner.text, count: runner.families.size }))
    .sort(byCountThenText)
    .slice(0, MAX_RUNNERS);
  if (who.length > 0) description += ` Run by: ${who.map((runner) => inline(runner.text, 80)).join(', ')}.`;

  const ordered = [...steps.values()].map((step) => ({ ...step, count: step.families.size })).sort(byCountThenText);
  if (ordered.length === 0) return description;
  description += ' Steps:';
  let shown = 0;
  for (const step of ordered) {
    const titles = [...step.families].sort();
    const named = titles.slice(0, MAX_FAMILIES_PER_STEP).map((title) => inline(title, 80));
    const others = titles.length - named.length;
    const where = others > 0 ? `${named.join(', ')} and others` : named.join(', ');
    const item = `${shown === 0 ? ' ' : '; '}"${inline(step.text, 200)}" (${where})`;
    const reserve = ordered.length - shown - 1 > 0 ? MORE.length + 1 : 1;
    if (shown > 0 && description.length + item.length + reserve > MAX_DESCRIPTION_LENGTH) break;
    description += item;
    shown += 1;
  }
  return `${description}${shown < ordered.length ? MORE : ''}.`;
}
