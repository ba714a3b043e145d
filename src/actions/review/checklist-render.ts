import { marker } from '../../gitlab/markers.js';
import { createHash } from 'node:crypto';
import type { ReviewRule, ReviewTrigger as ConfigTrigger } from '../../config/schema.js';
import { sanitizeInline, sanitizeUrl, type SanitizeOptions } from '../../gitlab/sanitize.js';
import {
  allChanges,
  triggersOf,
  triggersOfChange,
  type Change,
  type HiringChange,
  type ListChanged,
  type PageDiff,
  type ReviewTrigger,
  type Scope,
} from '../../jobfamily/diff.js';
import type { Problem } from '../../jobfamily/model.js';

/**
 * The reviewer checklist note of a merge request (DESIGN §4), rendered from the semantic diffs of its
 * pages. Pure and deterministic: the same input gives a byte-identical body, so an unchanged merge
 * request causes no edit. Each item ends with an invisible id (a hash of the page path and of what the
 * item is about), which is how a box ticked in the previous body stays ticked when the item remains.
 */

// jobfamily/ cannot import the config schema, so diff.ts keeps its own list of trigger names; this fails
// to compile if the two ever differ.
type SameType<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const TRIGGERS_MATCH_CONFIG: SameType<ReviewTrigger, ConfigTrigger> = true;
void TRIGGERS_MATCH_CONFIG;

/** The kind of the checklist note's marker; the worker finds the note by it. */
export const CHECKLIST_MARKER_KIND = 'review-checklist';
export const CHECKLIST_MARKER = marker(CHECKLIST_MARKER_KIND);

export interface ChecklistPage {
  path: string;
  title: string;
  /** `null` when the page could not be compared (for example its front matter does not parse). */
  diff: PageDiff | null;
  /** All problems `handbook-bot check` finds on the new version. */
  problems: Problem[];
  /** The parse error of a front matter that does not parse, with its line. */
  brokenFrontMatter?: string;
  /** The page's path at the merge base when the merge request renames (moves) it. */
  oldPath?: string;
  /** The merge base its old version was read at (absent: read at the target branch). */
  baseSha?: string;
}

/** What the old versions were read at: the merge base GitLab's diff uses, or (not yet computed) the branch. */
export type ChecklistBase = { kind: 'merge-base'; sha: string; targetBranch: string } | { kind: 'branch-head'; targetBranch: string };

export interface ChecklistInput {
  pages: ChecklistPage[];
  rules: readonly ReviewRule[];
  commit: string;
  /** The bot's command word, `@handbook-bot` by default. */
  commandWord: string;
  /** The body of the note as it is now, whose ticks are kept. */
  previousBody?: string;
  /** Said in the note, so readers know what "before" means. */
  base?: ChecklistBase;
}

export interface Checklist {
  body: string;
  /** Labels of the rules that match, in rule order. */
  labels: string[];
  /** Reviewers of the rules that match, in rule order (usernames from config). */
  reviewers: string[];
  /** Ids of the items of `blocking: true` rules (see merge-gate.ts). */
  blockingItems: string[];
  /** Errors `check` finds on the changed pages (a front matter that does not parse counts as one). */
  errors: number;
}

/** Short names of who reviews what, shown before the reviewers. */
const REVIEW_KIND: Record<ReviewTrigger, string> = {
  'role-added': 'role review',
  'role-removed': 'role review',
  'grade-changed': 'compensation review',
  'responsibilities-changed': 'content review',
  'requirements-changed': 'content review',
  'hiring-process-changed': 'recruiting review',
  'performance-indicators-changed': 'metrics review',
  problems: 'review',
  any: 'review',
};

/** Items of a list change shown under its checklist item; the rest are counted. */
const MAX_LISTED_ITEMS = 5;
const DETAIL_MAX_LENGTH = 200;

interface Item {
  /** Stable identity, without the page path (added when hashing). */
  identity: string;
  text: string;
  triggers: ReviewTrigger[];
  details: string[];
}

export function renderChecklist(input: ChecklistInput): Checklist {
  const allowedMentions = new Set(input.rules.flatMap((rule) => rule.reviewers));
  const sanitize: SanitizeOptions = { allowedMentions };
  const ticked = tickedIds(input.previousBody ?? '');
  const count = input.pages.length;

  const lines: string[] = [
    CHECKLIST_MARKER,
    '### Job-family review checklist',
    `This merge request changes ${count} job-family ${count === 1 ? 'page' : 'pages'}. Tick your items when reviewed.`,
  ];
  if (input.base !== undefined) lines.push(baseLine(input.base, sanitize));
  const pageTriggers = new Set<ReviewTrigger>();
  const blockingItems: string[] = [];
  let errors = 0;

  for (const page of input.pages) {
    const inline = (text: string) => sanitizeInline(text, sanitize);
    const title = page.title.trim() === '' ? page.path : page.title;
    const renamed = page.oldPath !== undefined && page.oldPath !== page.path ? ` (renamed from ${inline(page.oldPath)})` : '';
    lines.push('', `#### ${inline(title)} · ${inline(page.path)}${renamed}`);
    errors += page.problems.filter((problem) => problem.severity === 'error').length + (page.brokenFrontMatter === undefined ? 0 : 1);

    const items = pageItems(page, sanitize);
    for (const item of items) {
      pageTriggers.add('any');
      for (const trigger of item.triggers) pageTriggers.add(trigger);
    }
    for (const trigger of page.diff === null ? [] : triggersOf(page.diff)) pageTriggers.add(trigger);

    const seen = new Map<string, number>();
    for (const item of items) {
      const base = itemId(page.path, item.identity);
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      const id = n === 1 ? base : `${base}-${n}`;
      const box = ticked.has(id) ? '[x]' : '[ ]';
      const blocking = isBlocking(item.triggers, input.rules);
      if (blocking) blockingItems.push(id);
      lines.push(`- ${box} ${item.text}${reviewSuffix(item.triggers, input.rules)}${blocking ? BLOCKING_HINT : ''} ${marker('item', id)}`);
      lines.push(...item.details.map((detail) => `  - ${detail}`));
    }

    if (page.diff !== null && page.diff.status === 'unchanged' && page.brokenFrontMatter === undefined) {
      lines.push('- No change to roles, grades, responsibilities, requirements, hiring process or performance indicators.');
    }
    const removed = page.diff?.status === 'removed';
    if (!removed && page.problems.length === 0 && page.brokenFrontMatter === undefined) {
      lines.push('- No problems found by `handbook-bot check`.');
    }
  }

  const command = input.commandWord.replace(/[^A-Za-z0-9_.@-]/gu, '');
  const commit = input.commit.replace(/[^A-Za-z0-9]/gu, '').slice(0, 7);
  lines.push('', `<sub>For commit ${commit} · \`${command} recheck\` to run again</sub>`);

  return {
    body: lines.join('\n'),
    labels: matchingLabels(input.rules, pageTriggers),
    reviewers: matchingReviewers(input.rules, pageTriggers),
    blockingItems,
    errors,
  };
}

/** Shown on items the merge gate waits for. */
const BLOCKING_HINT = ' · *needed to merge*';

function baseLine(base: ChecklistBase, sanitize: SanitizeOptions): string {
  const branch = `\`${sanitizeInline(base.targetBranch, sanitize).replace(/`/gu, '')}\``;
  if (base.kind === 'branch-head') return `Compared with the head of ${branch} (GitLab had not computed the merge base yet).`;
  const sha = base.sha.replace(/[^A-Za-z0-9]/gu, '').slice(0, 7);
  return `Compared with ${sha}, where this branch left ${branch} (the merge base, as in the Changes tab): later commits to ${branch} do not show here.`;
}

/** An item blocks the merge when a `blocking: true` rule covers it: its trigger, or `any`. */
function isBlocking(triggers: readonly ReviewTrigger[], rules: readonly ReviewRule[]): boolean {
  return rules.some((rule) => rule.blocking && (rule.when === 'any' || triggers.includes(rule.when)));
}

function pageItems(page: ChecklistPage, sanitize: SanitizeOptions): Item[] {
  const inline = (text: string, maxLength?: number) =>
    sanitizeInline(text, maxLength === undefined ? sanitize : { ...sanitize, maxLength });
  const items: Item[] = [];
  if (page.brokenFrontMatter !== undefined) {
    items.push({
      identity: 'blocking:front-matter',
      text: `**Blocking**: front matter of ${inline(page.path)} does not parse (${inline(page.brokenFrontMatter)}) — fix it before merging`,
      triggers: ['problems'],
      details: [],
    });
  }
  for (const change of page.diff === null ? [] : allChanges(page.diff)) {
    // Problems are listed from `page.problems` below: all of them, not only the new ones.
    if (change.kind === 'problem-found') continue;
    items.push({
      identity: changeIdentity(change),
      text: changeText(change, inline),
      triggers: triggersOfChange(change),
      details: changeDetails(change, (text) => inline(text, DETAIL_MAX_LENGTH)),
    });
  }
  for (const problem of page.problems) {
    items.push({
      identity: JSON.stringify(['problem', problem.severity, problem.code, problem.message]),
      text: `**Problem** (${problem.severity}, line ${problem.line}): ${inline(problem.message)}`,
      triggers: ['problems'],
      details: [],
    });
  }
  return items;
}

type Inline = (text: string) => string;

function changeText(change: Change, inline: Inline): string {
  const role = (name: string) => `*${inline(name)}*`;
  const grade = (value: number | null) => (value === null ? 'no grade' : `grade ${value}`);
  switch (change.kind) {
    case 'page-added':
      return '**Page added**';
    case 'page-removed':
      return '**Page removed**';
    case 'title-changed':
      return `**Title** changed: "${inline(change.from)}" → "${inline(change.to)}"`;
    case 'role-added':
      return `**Role added**: ${role(change.role)} (${grade(change.grade)})`;
    case 'role-removed':
      return `**Role removed**: ${role(change.role)} (${grade(change.grade)})`;
    case 'role-renamed':
      return `**Role renamed**: ${role(change.from)} → ${role(change.to)}`;
    case 'grade-changed':
      return `**Grade** of ${role(change.role)}: ${change.from ?? 'none'} → ${change.to ?? 'none'}`;
    case 'responsibilities-changed':
    case 'requirements-changed':
      return `**${change.kind === 'responsibilities-changed' ? 'Responsibilities' : 'Requirements'}** ${scopeText(change, inline)}: ${listCounts(change)}`;
    case 'specialty-added':
      return `**Specialty added** ${change.role === null ? '(family-wide)' : `to ${role(change.role)}`}: ${role(change.specialty)}`;
    case 'specialty-removed':
      return `**Specialty removed** ${change.role === null ? '(family-wide)' : `from ${role(change.role)}`}: ${role(change.specialty)}`;
    case 'hiring-step-added':
    case 'hiring-step-removed':
    case 'hiring-step-changed':
      return `**Hiring process** ${scopeText(change, inline)}: ${hiringText(change, inline)}`;
    case 'performance-indicator-added':
      return `**Performance indicator** added: ${indicatorLink(change.indicator.name, change.indicator.url, inline)}`;
    case 'performance-indicator-removed':
      return `**Performance indicator** removed: ${inline(change.indicator.name)}`;
    case 'performance-indicator-changed': {
      const parts: string[] = [];
      if (change.from.name !== change.to.name) parts.push(`renamed from "${inline(change.from.name)}"`);
      if (change.from.url !== change.to.url) parts.push('link changed');
      return `**Performance indicator** ${indicatorLink(change.to.name, change.to.url, inline)}: ${parts.join(', ') || 'changed'}`;
    }
    case 'problem-found':
      return `**Problem** (${change.problem.severity}, line ${change.problem.line}): ${inline(change.problem.message)}`;
  }
}

function scopeText(scope: Scope, inline: Inline): string {
  if (scope.role === null) return scope.specialty === undefined ? '(page-level)' : `of specialty *${inline(scope.specialty)}*`;
  const specialty = scope.specialty === undefined ? '' : ` (specialty *${inline(scope.specialty)}*)`;
  return `of *${inline(scope.role)}*${specialty}`;
}

function listCounts(change: ListChanged): string {
  const parts: string[] = [];
  if (change.added.length > 0) parts.push(`${change.added.length} added`);
  if (change.removed.length > 0) parts.push(`${change.removed.length} removed`);
  return parts.join(', ');
}

function hiringText(change: HiringChange, inline: Inline): string {
  switch (change.kind) {
    case 'hiring-step-added':
      return `step added at position ${change.position}, "${inline(change.step.text)}" (${inline(change.step.stage)})`;
    case 'hiring-step-removed':
      return `step removed, "${inline(change.step.text)}" (${inline(change.step.stage)})`;
    case 'hiring-step-changed': {
      const parts: string[] = [];
      if (change.edits.includes('wording')) parts.push(`reworded from "${inline(change.from.text)}"`);
      if (change.edits.includes('stage')) parts.push(`stage ${inline(change.from.stage)} → ${inline(change.to.stage)}`);
      if (change.edits.includes('order')) parts.push(`moved from position ${change.fromPosition} to ${change.toPosition}`);
      return `step "${inline(change.to.text)}" (${inline(change.to.stage)}) ${parts.join('; ')}`;
    }
  }
}

function indicatorLink(name: string, url: string | null, inline: Inline): string {
  const safe = url === null ? null : sanitizeUrl(url);
  return safe === null ? inline(name) : `[${inline(name)}](${safe})`;
}

/** Sub-items under a responsibilities or requirements item: what was added and removed. */
function changeDetails(change: Change, inline: Inline): string[] {
  if (change.kind !== 'responsibilities-changed' && change.kind !== 'requirements-changed') return [];
  const list = (verb: string, items: readonly string[]) => {
    const shown = items.slice(0, MAX_LISTED_ITEMS).map((item) => `${verb}: "${inline(item)}"`);
    const more = items.length - MAX_LISTED_ITEMS;
    return more > 0 ? [...shown, `… and ${more} more ${verb}`] : shown;
  };
  return [...list('added', change.added), ...list('removed', change.removed)];
}

/** What an item is about, without lines (which shift) and without reviewers (which are config). */
function changeIdentity(change: Change): string {
  return JSON.stringify(change, (key, value: unknown) => (key === 'line' ? undefined : value));
}

function itemId(path: string, identity: string): string {
  return createHash('sha256').update(path).update('\u0000').update(identity).digest('hex').slice(0, 12);
}

export const TICKED_ITEM = /^\s*[-*+]\s+\[[xX]\]\s.*<!-- handbook-bot:item ([0-9a-f]{12}(?:-\d+)?) -->\s*$/u;

/** Ids of the items ticked in a checklist body. */
export function tickedIds(body: string): Set<string> {
  const ids = new Set<string>();
  for (const line of body.split(/\r?\n/u)) {
    const match = TICKED_ITEM.exec(line);
    if (match?.[1] !== undefined) ids.add(match[1]);
  }
  return ids;
}

/** ` — compensation review: @a, @b`: the rules for the item's triggers, then the `any` rules. */
function reviewSuffix(triggers: readonly ReviewTrigger[], rules: readonly ReviewRule[]): string {
  const wanted = new Set<ReviewTrigger>([...triggers, 'any']);
  const reviewers = [...new Set(rules.filter((rule) => wanted.has(rule.when)).flatMap((rule) => rule.reviewers))];
  if (reviewers.length === 0) return '';
  // Name the review after the item's own trigger only when a rule for it is what brings reviewers.
  const specific = triggers.find((trigger) => rules.some((rule) => rule.when === trigger && rule.reviewers.length > 0));
  const kind = REVIEW_KIND[specific ?? 'any'];
  return ` — ${kind}: ${reviewers.map((name) => `@${name}`).join(', ')}`;
}

function matchingLabels(rules: readonly ReviewRule[], triggers: ReadonlySet<ReviewTrigger>): string[] {
  return [...new Set(rules.filter((rule) => triggers.has(rule.when)).flatMap((rule) => rule.labels))];
}

function matchingReviewers(rules: readonly ReviewRule[], triggers: ReadonlySet<ReviewTrigger>): string[] {
  return [...new Set(rules.filter((rule) => triggers.has(rule.when)).flatMap((rule) => rule.reviewers))];
}
