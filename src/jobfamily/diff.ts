import { emptyPage, type HiringStep, type JobFamilyPage, type PerformanceIndicator, type Problem, type Role, type Specialty } from './model.js';
import { nameKey } from './grade.js';

/**
 * Semantic diff of two versions of a job-family page (DESIGN §4): what a reviewer must look at, not
 * which lines moved. Items are compared by normalized text, so re-wrapping, a trailing period or a
 * link's markup does not count as a change. Pure and deterministic: the same inputs give the same
 * changes in the same order (the reviewer checklist relies on it to avoid needless edits).
 */

/** The `review.rules[].when` names; kept identical to `REVIEW_TRIGGERS` in config/schema.ts (checked by a test). */
export const REVIEW_TRIGGER_NAMES = [
  'role-added',
  'role-removed',
  'grade-changed',
  'responsibilities-changed',
  'requirements-changed',
  'hiring-process-changed',
  'performance-indicators-changed',
  'problems',
  'any',
] as const;
export type ReviewTrigger = (typeof REVIEW_TRIGGER_NAMES)[number];

/** Where a list or hiring change sits: the page itself, a role, or a role's specialty. */
export interface Scope {
  /** `null` for page-level items. */
  role: string | null;
  /** Set when the items belong to one of the role's specialties. */
  specialty?: string;
}

export type ListField = 'responsibilities' | 'requirements';

export interface PageAdded {
  kind: 'page-added';
}
export interface PageRemoved {
  kind: 'page-removed';
}
export interface TitleChanged {
  kind: 'title-changed';
  from: string;
  to: string;
}
export interface RoleAdded {
  kind: 'role-added';
  role: string;
  grade: number | null;
  line: number;
}
export interface RoleRemoved {
  kind: 'role-removed';
  role: string;
  grade: number | null;
  line: number;
}
export interface RoleRenamed {
  kind: 'role-renamed';
  from: string;
  to: string;
  line: number;
}
export interface GradeChanged {
  kind: 'grade-changed';
  role: string;
  from: number | null;
  to: number | null;
  line: number;
}
export interface ListChanged extends Scope {
  kind: 'responsibilities-changed' | 'requirements-changed';
  /** Item texts as written in the new version (added) and the old one (removed). */
  added: string[];
  removed: string[];
}
export interface SpecialtyAdded {
  kind: 'specialty-added';
  /** `null` for a family-wide specialty (one that applies to every level). */
  role: string | null;
  specialty: string;
}
export interface SpecialtyRemoved {
  kind: 'specialty-removed';
  role: string | null;
  specialty: string;
}
export interface HiringStepAdded extends Scope {
  kind: 'hiring-step-added';
  step: HiringStep;
  /** 1-based position in the new process. */
  position: number;
}
export interface HiringStepRemoved extends Scope {
  kind: 'hiring-step-removed';
  step: HiringStep;
  /** 1-based position in the old process. */
  position: number;
}
export type HiringStepEdit = 'wording' | 'stage' | 'order';
export interface HiringStepChanged extends Scope {
  kind: 'hiring-step-changed';
  from: HiringStep;
  to: HiringStep;
  fromPosition: number;
  toPosition: number;
  /** What changed, in this order: wording, stage, order (the step moved relative to the others). */
  edits: HiringStepEdit[];
}
export interface IndicatorAdded {
  kind: 'performance-indicator-added';
  indicator: PerformanceIndicator;
}
export interface IndicatorRemoved {
  kind: 'performance-indicator-removed';
  indicator: PerformanceIndicator;
}
export interface IndicatorChanged {
  kind: 'performance-indicator-changed';
  from: PerformanceIndicator;
  to: PerformanceIndicator;
}
export interface ProblemFound {
  kind: 'problem-found';
  problem: Problem;
}

export type HiringChange = HiringStepAdded | HiringStepRemoved | HiringStepChanged;

/** Changes that concern one role. */
export type RoleLevelChange =
  | RoleAdded
  | RoleRemoved
  | RoleRenamed
  | GradeChanged
  | ListChanged
  | SpecialtyAdded
  | SpecialtyRemoved
  | HiringChange;

/** Changes that concern the page as a whole (page-level lists and hiring process have `role: null`). */
export type PageLevelChange =
  | PageAdded
  | PageRemoved
  | TitleChanged
  | ListChanged
  | SpecialtyAdded
  | SpecialtyRemoved
  | HiringChange
  | IndicatorAdded
  | IndicatorRemoved
  | IndicatorChanged
  | ProblemFound;

export type Change = RoleLevelChange | PageLevelChange;
export type ChangeKind = Change['kind'];

export interface RoleChange {
  /** The role's name in the new version (the old name when the role was removed). */
  role: string;
  /** The old name when the role was renamed. */
  previousName: string | null;
  status: 'added' | 'removed' | 'renamed' | 'modified';
  changes: RoleLevelChange[];
}

export interface PageDiff {
  /** The new version's path (the old one's when the page was removed). */
  path: string;
  title: string;
  status: 'added' | 'removed' | 'modified' | 'unchanged';
  /** Page-level changes, in a fixed order: page, title, lists, specialties, hiring, indicators, problems. */
  changes: PageLevelChange[];
  /** Roles with changes: in new-page order, then removed roles in old-page order. */
  roles: RoleChange[];
}

export function diffPages(old: JobFamilyPage | null, next: JobFamilyPage | null): PageDiff {
  const reference = next ?? old;
  if (reference === null) return { path: '', title: '', status: 'unchanged', changes: [], roles: [] };
  const before = old ?? emptyPage(reference.path);
  const after = next ?? emptyPage(reference.path);

  const changes: PageLevelChange[] = [];
  if (old === null) changes.push({ kind: 'page-added' });
  if (next === null) changes.push({ kind: 'page-removed' });
  if (old !== null && next !== null && old.title.trim() !== next.title.trim()) {
    changes.push({ kind: 'title-changed', from: old.title, to: next.title });
  }
  const pageScope: Scope = { role: null };
  if (next !== null) {
    changes.push(...listChanges('responsibilities', before.responsibilities, after.responsibilities, pageScope));
    changes.push(...listChanges('requirements', before.requirements, after.requirements, pageScope));
    changes.push(...specialtyChanges(null, before.specialties ?? [], after.specialties ?? []));
    changes.push(...hiringChanges(before.hiringProcess, after.hiringProcess, pageScope));
    changes.push(...indicatorChanges(before.performanceIndicators, after.performanceIndicators));
    changes.push(...newProblems(old?.problems ?? [], after.problems));
  }

  const roles = roleChanges(before.roles, after.roles);
  const empty = changes.length === 0 && roles.length === 0;
  const status = old === null ? 'added' : next === null ? 'removed' : empty ? 'unchanged' : 'modified';
  return { path: reference.path, title: reference.title, status, changes, roles };
}

/** Every change of a diff, page-level first, then role by role. */
export function allChanges(diff: PageDiff): Change[] {
  return [...diff.changes, ...diff.roles.flatMap((role) => role.changes)];
}

/** The review triggers one change raises (without `any`, which every change raises). */
export function triggersOfChange(change: Change): ReviewTrigger[] {
  switch (change.kind) {
    case 'role-added':
    case 'specialty-added':
      return ['role-added'];
    case 'role-removed':
    case 'specialty-removed':
      return ['role-removed'];
    // A renamed role leaves the job catalogue under one title and enters it under another (job codes,
    // open requisitions), which is what the role-added and role-removed reviewers look after.
    case 'role-renamed':
      return ['role-removed', 'role-added'];
    case 'grade-changed':
      return ['grade-changed'];
    case 'responsibilities-changed':
      return ['responsibilities-changed'];
    case 'requirements-changed':
      return ['requirements-changed'];
    case 'hiring-step-added':
    case 'hiring-step-removed':
    case 'hiring-step-changed':
      return ['hiring-process-changed'];
    case 'performance-indicator-added':
    case 'performance-indicator-removed':
    case 'performance-indicator-changed':
      return ['performance-indicators-changed'];
    case 'problem-found':
      return ['problems'];
    case 'page-added':
    case 'page-removed':
    case 'title-changed':
      return [];
  }
}

/** The review triggers a diff raises; `any` when the diff is not empty. */
export function triggersOf(diff: PageDiff): Set<ReviewTrigger> {
  const triggers = new Set<ReviewTrigger>();
  for (const change of allChanges(diff)) {
    triggers.add('any');
    for (const trigger of triggersOfChange(change)) triggers.add(trigger);
  }
  return triggers;
}

/** Text as compared: case, spacing, typographic quotes, emphasis and link markup, final punctuation ignored. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/gu, '$1')
    .replace(/[\u2018\u2019\u201B]/gu, "'")
    .replace(/[\u201C\u201D\u201F]/gu, '"')
    .replace(/[*_`~]/gu, '')
    .toLowerCase()
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(/[\s.;,:!]+$/u, '');
}



// ---------------------------------------------------------------------------------------------------
// Lists (responsibilities, requirements): multiset difference by normalized text.

function listChanges(field: ListField, before: readonly string[], after: readonly string[], scope: Scope): ListChanged[] {
  const { added, removed } = multisetDifference(before, after, normalizeText);
  if (added.length === 0 && removed.length === 0) return [];
  return [{ kind: `${field}-changed`, ...scope, added, removed }];
}

function multisetDifference<T>(
  before: readonly T[],
  after: readonly T[],
  key: (item: T) => string,
): { added: T[]; removed: T[] } {
  const remaining = new Map<string, number>();
  for (const item of before) remaining.set(key(item), (remaining.get(key(item)) ?? 0) + 1);
  const added: T[] = [];
  for (const item of after) {
    const count = remaining.get(key(item)) ?? 0;
    if (count > 0) remaining.set(key(item), count - 1);
    else added.push(item);
  }
  const removed: T[] = [];
  for (const item of [...before].reverse()) {
    const count = remaining.get(key(item)) ?? 0;
    if (count > 0) {
      remaining.set(key(item), count - 1);
      removed.unshift(item);
    }
  }
  return { added, removed };
}

// ---------------------------------------------------------------------------------------------------
// Roles: match by name (case/punctuation-insensitive), then pair leftovers with similar content as renames.

/** Grade agreement plus responsibility overlap at or above this counts as the same role renamed. */
const RENAME_THRESHOLD = 0.6;
/** Above this many candidate pairs, renames are not searched (a hostile page must stay cheap). */
const MAX_PAIRINGS = 250_000;

function roleChanges(before: readonly Role[], after: readonly Role[]): RoleChange[] {
  const pairs = pairByKey(before, after, (role) => nameKey(role.name));
  const unmatchedOld = before.map((_, i) => i).filter((i) => !pairs.oldToNew.has(i));
  const unmatchedNew = after.map((_, j) => j).filter((j) => !pairs.newToOld.has(j));
  for (const [i, j] of greedyPairs(unmatchedOld, unmatchedNew, (i, j) => roleSimilarity(before[i]!, after[j]!), RENAME_THRESHOLD)) {
    pairs.oldToNew.set(i, j);
    pairs.newToOld.set(j, i);
  }

  const result: RoleChange[] = [];
  after.forEach((role, j) => {
    const i = pairs.newToOld.get(j);
    if (i === undefined) {
      result.push({
        role: role.name,
        previousName: null,
        status: 'added',
        changes: [{ kind: 'role-added', role: role.name, grade: role.grade, line: role.line }],
      });
      return;
    }
    const previous = before[i]!;
    const renamed = previous.name !== role.name;
    const changes: RoleLevelChange[] = [];
    if (renamed) changes.push({ kind: 'role-renamed', from: previous.name, to: role.name, line: role.line });
    changes.push(...matchedRoleChanges(previous, role));
    if (changes.length > 0) {
      result.push({ role: role.name, previousName: renamed ? previous.name : null, status: renamed ? 'renamed' : 'modified', changes });
    }
  });
  before.forEach((role, i) => {
    if (pairs.oldToNew.has(i)) return;
    result.push({
      role: role.name,
      previousName: null,
      status: 'removed',
      changes: [{ kind: 'role-removed', role: role.name, grade: role.grade, line: role.line }],
    });
  });
  return result;
}

function matchedRoleChanges(old: Role, next: Role): RoleLevelChange[] {
  const changes: RoleLevelChange[] = [];
  const scope: Scope = { role: next.name };
  if (old.grade !== next.grade) {
    changes.push({ kind: 'grade-changed', role: next.name, from: old.grade, to: next.grade, line: next.line });
  }
  changes.push(...listChanges('responsibilities', old.responsibilities, next.responsibilities, scope));
  changes.push(...listChanges('requirements', old.requirements, next.requirements, scope));
  // An inherited process is the page's: its changes are reported once, at page level. That covers a
  // role going from no process to the page's (a hiring section added) and back.
  const pageOwned = (role: Role) => role.hiringProcessInherited || role.hiringProcess.length === 0;
  if (!(pageOwned(old) && pageOwned(next))) {
    changes.push(...hiringChanges(old.hiringProcess, next.hiringProcess, scope));
  }
  changes.push(...specialtyChanges(next.name, old.specialties, next.specialties));
  return changes;
}

function specialtyChanges(
  role: string | null,
  before: readonly Specialty[],
  after: readonly Specialty[],
): Array<SpecialtyAdded | SpecialtyRemoved | ListChanged> {
  const pairs = pairByKey(before, after, (specialty) => nameKey(specialty.name));
  const changes: Array<SpecialtyAdded | SpecialtyRemoved | ListChanged> = [];
  after.forEach((specialty, j) => {
    const i = pairs.newToOld.get(j);
    if (i === undefined) {
      changes.push({ kind: 'specialty-added', role, specialty: specialty.name });
      return;
    }
    const old = before[i]!;
    const scope: Scope = { role, specialty: specialty.name };
    changes.push(...listChanges('responsibilities', old.responsibilities, specialty.responsibilities, scope));
    changes.push(...listChanges('requirements', old.requirements, specialty.requirements, scope));
  });
  before.forEach((specialty, i) => {
    if (!pairs.oldToNew.has(i)) changes.push({ kind: 'specialty-removed', role, specialty: specialty.name });
  });
  return changes;
}

function roleSimilarity(a: Role, b: Role): number {
  const overlap =
    a.responsibilities.length > 0 || b.responsibilities.length > 0
      ? jaccard(a.responsibilities.map(normalizeText), b.responsibilities.map(normalizeText))
      : jaccard(a.requirements.map(normalizeText), b.requirements.map(normalizeText));
  if (overlap === 0) return 0;
  return 0.25 * (a.grade === b.grade ? 1 : 0) + 0.75 * overlap;
}

function jaccard(a: readonly string[], b: readonly string[]): number {
  const left = new Set(a);
  const right = new Set(b);
  if (left.size === 0 && right.size === 0) return 0;
  let shared = 0;
  for (const item of left) if (right.has(item)) shared += 1;
  return shared / (left.size + right.size - shared);
}

interface Pairing {
  oldToNew: Map<number, number>;
  newToOld: Map<number, number>;
}

/** Pairs equal keys, the k-th old occurrence with the k-th new one. */
function pairByKey<T>(before: readonly T[], after: readonly T[], key: (item: T) => string): Pairing {
  const queues = new Map<string, number[]>();
  before.forEach((item, i) => {
    const k = key(item);
    const queue = queues.get(k);
    if (queue) queue.push(i);
    else queues.set(k, [i]);
  });
  const pairing: Pairing = { oldToNew: new Map(), newToOld: new Map() };
  after.forEach((item, j) => {
    const i = queues.get(key(item))?.shift();
    if (i === undefined) return;
    pairing.oldToNew.set(i, j);
    pairing.newToOld.set(j, i);
  });
  return pairing;
}

/**
 * Best-first pairing of leftovers whose similarity reaches `threshold`; ties go to the pair whose
 * positions are closest, then to the earliest, so the result does not depend on iteration details.
 */
function greedyPairs(
  oldIndexes: readonly number[],
  newIndexes: readonly number[],
  similarity: (i: number, j: number) => number,
  threshold: number,
): Array<[number, number]> {
  if (oldIndexes.length === 0 || newIndexes.length === 0) return [];
  if (oldIndexes.length * newIndexes.length > MAX_PAIRINGS) return [];
  const candidates: Array<{ i: number; j: number; score: number }> = [];
  for (const i of oldIndexes) {
    for (const j of newIndexes) {
      const score = similarity(i, j);
      if (score >= threshold) candidates.push({ i, j, score });
    }
  }
  candidates.sort((a, b) => b.score - a.score || Math.abs(a.i - a.j) - Math.abs(b.i - b.j) || a.i - b.i || a.j - b.j);
  const usedOld = new Set<number>();
  const usedNew = new Set<number>();
  const pairs: Array<[number, number]> = [];
  for (const { i, j } of candidates) {
    if (usedOld.has(i) || usedNew.has(j)) continue;
    usedOld.add(i);
    usedNew.add(j);
    pairs.push([i, j]);
  }
  return pairs;
}

// ---------------------------------------------------------------------------------------------------
// Hiring process: align steps (same text, then similar wording, then same position between unchanged
// steps), then report what is left over as added or removed, and paired steps that were reworded,
// re-staged or moved. A step "moved" when it is not in the longest run of pairs that kept their order.

/** Word overlap (Dice) at or above this makes two steps the same step reworded. */
const STEP_SIMILARITY_THRESHOLD = 0.5;

function hiringChanges(before: readonly HiringStep[], after: readonly HiringStep[], scope: Scope): HiringChange[] {
  const pairing = pairByKey(before, after, (step) => normalizeText(step.text));
  const leftoverOld = () => before.map((_, i) => i).filter((i) => !pairing.oldToNew.has(i));
  const leftoverNew = () => after.map((_, j) => j).filter((j) => !pairing.newToOld.has(j));

  const words = (step: HiringStep) => new Set(normalizeText(step.text).split(/[^\p{L}\p{N}]+/u).filter(Boolean));
  const oldWords = before.map(words);
  const newWords = after.map(words);
  for (const [i, j] of greedyPairs(leftoverOld(), leftoverNew(), (i, j) => dice(oldWords[i]!, newWords[j]!), STEP_SIMILARITY_THRESHOLD)) {
    pairing.oldToNew.set(i, j);
    pairing.newToOld.set(j, i);
  }

  // Edited wording with nothing in common: pair leftovers that sit between the same kept steps, in order.
  const anchors = orderedPairs(pairing);
  const oldLeft = leftoverOld();
  const newLeft = leftoverNew();
  const bounds = [{ i: -1, j: -1 }, ...anchors, { i: before.length, j: after.length }];
  for (let g = 0; g + 1 < bounds.length; g += 1) {
    const lo = bounds[g]!;
    const hi = bounds[g + 1]!;
    const olds = oldLeft.filter((i) => i > lo.i && i < hi.i);
    const news = newLeft.filter((j) => j > lo.j && j < hi.j);
    for (let k = 0; k < Math.min(olds.length, news.length); k += 1) {
      pairing.oldToNew.set(olds[k]!, news[k]!);
      pairing.newToOld.set(news[k]!, olds[k]!);
    }
  }

  const inOrder = new Set(orderedPairs(pairing).map(({ i }) => i));
  const changes: HiringChange[] = [];
  before.forEach((step, i) => {
    if (!pairing.oldToNew.has(i)) changes.push({ kind: 'hiring-step-removed', ...scope, step, position: i + 1 });
  });
  after.forEach((step, j) => {
    const i = pairing.newToOld.get(j);
    if (i === undefined) {
      changes.push({ kind: 'hiring-step-added', ...scope, step, position: j + 1 });
      return;
    }
    const old = before[i]!;
    const edits: HiringStepEdit[] = [];
    if (normalizeText(old.text) !== normalizeText(step.text)) edits.push('wording');
    if (old.stage !== step.stage) edits.push('stage');
    if (!inOrder.has(i)) edits.push('order');
    if (edits.length > 0) {
      changes.push({ kind: 'hiring-step-changed', ...scope, from: old, to: step, fromPosition: i + 1, toPosition: j + 1, edits });
    }
  });
  return changes;
}

function dice(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const word of a) if (b.has(word)) shared += 1;
  return (2 * shared) / (a.size + b.size);
}

/**
 * The largest set of pairs that keep their relative order (a longest increasing subsequence of new
 * positions taken in old order), sorted by old position. O(n log n).
 */
function orderedPairs(pairing: Pairing): Array<{ i: number; j: number }> {
  const pairs = [...pairing.oldToNew].map(([i, j]) => ({ i, j })).sort((a, b) => a.i - b.i);
  const tails: number[] = [];
  const previous: number[] = new Array<number>(pairs.length).fill(-1);
  for (let k = 0; k < pairs.length; k += 1) {
    const j = pairs[k]!.j;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pairs[tails[mid]!]!.j < j) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[k] = tails[lo - 1]!;
    tails[lo] = k;
  }
  const kept: Array<{ i: number; j: number }> = [];
  for (let k = tails.length > 0 ? tails[tails.length - 1]! : -1; k >= 0; k = previous[k]!) kept.unshift(pairs[k]!);
  return kept;
}

// ---------------------------------------------------------------------------------------------------
// Performance indicators: same name, else same link; a changed link or name is a change.

function indicatorChanges(before: readonly PerformanceIndicator[], after: readonly PerformanceIndicator[]): PageLevelChange[] {
  const pairing = pairByKey(before, after, (indicator) => normalizeText(indicator.name));
  const leftoverOld = before.map((_, i) => i).filter((i) => !pairing.oldToNew.has(i) && before[i]!.url !== null);
  const leftoverNew = after.map((_, j) => j).filter((j) => !pairing.newToOld.has(j) && after[j]!.url !== null);
  const byUrl = pairByKey(
    leftoverOld.map((i) => before[i]!),
    leftoverNew.map((j) => after[j]!),
    (indicator) => indicator.url ?? '',
  );
  for (const [a, b] of byUrl.oldToNew) {
    pairing.oldToNew.set(leftoverOld[a]!, leftoverNew[b]!);
    pairing.newToOld.set(leftoverNew[b]!, leftoverOld[a]!);
  }

  const changes: PageLevelChange[] = [];
  after.forEach((indicator, j) => {
    const i = pairing.newToOld.get(j);
    if (i === undefined) {
      changes.push({ kind: 'performance-indicator-added', indicator });
      return;
    }
    const old = before[i]!;
    if (old.url !== indicator.url || normalizeText(old.name) !== normalizeText(indicator.name)) {
      changes.push({ kind: 'performance-indicator-changed', from: old, to: indicator });
    }
  });
  before.forEach((indicator, i) => {
    if (!pairing.oldToNew.has(i)) changes.push({ kind: 'performance-indicator-removed', indicator });
  });
  return changes;
}

// ---------------------------------------------------------------------------------------------------
// Problems: those of the new version that the old one did not have (lines shift, so they are ignored).

function newProblems(before: readonly Problem[], after: readonly Problem[]): ProblemFound[] {
  const key = (problem: Problem) => `${problem.severity}\u0000${problem.code}\u0000${problem.message}`;
  return multisetDifference(before, after, key).added.map((problem) => ({ kind: 'problem-found', problem }));
}
