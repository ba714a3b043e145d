import { JOB_FAMILY_LABEL_PREFIX } from '../../jobfamily/okr.js';
import type { StageName } from '../../jobfamily/model.js';
import { stageLabel, stageOfLabel, type HiringRole } from '../hiring/family.js';

/**
 * What a recruiting issue's `hiring-stage::*` labels should become (DESIGN §4, "Recruiting issues").
 * Pure. The rules, in order:
 *
 * - no stage label: the role's first stage (the family's process when the role has none); when
 *   no stage can be chosen, a comment saying why;
 * - several (GitLab Free does not make scoped labels exclusive): keep the one just added (the event's
 *   added labels), else the furthest stage the role has, remove the others, and say so once;
 * - the kept stage was dropped from the page's process: move to the next stage that remains (the
 *   previous one when none follows), with a comment;
 * - the kept stage is not in the role's process: a comment naming the stages it has;
 * - exactly one valid stage: nothing at all (this is also what makes the bot's own label edits, which
 *   raise Issue Hooks, and redelivered events change nothing).
 *
 * All label changes go in ONE issue update (`add_labels` + `remove_labels`).
 */

export interface IssueStageInput {
  /** The issue's labels as GitLab has them. */
  labels: readonly string[];
  /** The role's stages, in order; empty when the role (and page) has no hiring process. */
  stages: readonly StageName[];
  /** Canonical stage order, for "the next stage that remains". */
  order: readonly StageName[];
  /** Stages the page's hiring process no longer has (issues on them migrate). */
  dropped: readonly StageName[];
  /** Labels added by the event being handled (`RecruitingIssueData.addedLabels`). */
  addedLabels: readonly string[];
}

export type IssueStageComment =
  | { kind: 'stage-moved'; from: StageName; to: StageName }
  | { kind: 'stage-invalid'; stage: StageName }
  /** Several stage labels: `kept` stays (the one just added, else the furthest), `removed` go. */
  | { kind: 'stage-collapsed'; kept: StageName; removed: StageName[]; because: 'just-added' | 'furthest' }
  /** The issue has no stage and none can be chosen: the family describes no hiring process. */
  | { kind: 'no-stage' };

export interface IssueStagePlan {
  /** `null`: no update. Otherwise the one update to send. */
  edit: { add: string[]; remove: string[] } | null;
  comment: IssueStageComment | null;
  /** The stage the issue is on once the plan is applied (`null` when it has none). */
  stage: StageName | null;
  reason: 'ok' | 'first-stage' | 'collapsed' | 'migrated' | 'invalid' | 'no-process';
}

function rankOf(order: readonly StageName[], stages: readonly StageName[]): (stage: StageName) => number {
  const ranks = new Map<StageName, number>(order.map((stage, index) => [stage, index]));
  // Stages outside the canonical order come after it, in the role's order, then any others.
  stages.forEach((stage, index) => {
    if (!ranks.has(stage)) ranks.set(stage, order.length + index);
  });
  return (stage) => ranks.get(stage) ?? order.length + stages.length;
}

/** The stage an issue on a dropped stage moves to: the next remaining one in canonical order, else the previous. */
export function nextRemainingStage(from: StageName, stages: readonly StageName[], order: readonly StageName[]): StageName | null {
  const rank = rankOf(order, stages);
  const at = rank(from);
  const sorted = [...stages].sort((a, b) => rank(a) - rank(b));
  return sorted.find((stage) => rank(stage) > at) ?? [...sorted].reverse().find((stage) => rank(stage) < at) ?? sorted[0] ?? null;
}

export function planIssueStage(input: IssueStageInput): IssueStagePlan {
  const present = new Map<StageName, string>();
  for (const label of input.labels) {
    const stage = stageOfLabel(label);
    if (stage !== null && !present.has(stage)) present.set(stage, label);
  }
  const current = [...present.keys()];
  const valid = new Set(input.stages);
  const rank = rankOf(input.order, input.stages);
  const furthest = (stages: StageName[]) => stages.reduce((best, stage) => (rank(stage) > rank(best) ? stage : best));

  if (current.length === 0) {
    const first = input.stages[0];
    if (first === undefined) return { edit: null, comment: { kind: 'no-stage' }, stage: null, reason: 'no-process' };
    return { edit: { add: [stageLabel(first)], remove: [] }, comment: null, stage: first, reason: 'first-stage' };
  }

  const added = input.addedLabels.map(stageOfLabel).filter((stage): stage is StageName => stage !== null && present.has(stage));
  const validPresent = current.filter((stage) => valid.has(stage));
  const candidates = added.length > 0 ? added : validPresent.length > 0 ? validPresent : current;
  const kept = current.length === 1 ? (current[0] as StageName) : furthest(candidates);
  const others = current.filter((stage) => stage !== kept).map((stage) => present.get(stage) ?? stageLabel(stage));

  if (valid.has(kept) || input.stages.length === 0) {
    if (others.length === 0) return { edit: null, comment: null, stage: kept, reason: input.stages.length === 0 ? 'no-process' : 'ok' };
    const removed = current.filter((stage) => stage !== kept);
    const comment: IssueStageComment = { kind: 'stage-collapsed', kept, removed, because: added.length > 0 ? 'just-added' : 'furthest' };
    return { edit: { add: [], remove: others }, comment, stage: kept, reason: 'collapsed' };
  }

  if (input.dropped.includes(kept)) {
    const to = nextRemainingStage(kept, input.stages, input.order);
    if (to !== null) {
      const remove = current.map((stage) => present.get(stage) ?? stageLabel(stage));
      return { edit: { add: [stageLabel(to)], remove }, comment: { kind: 'stage-moved', from: kept, to }, stage: to, reason: 'migrated' };
    }
  }

  return {
    edit: others.length === 0 ? null : { add: [], remove: others },
    comment: { kind: 'stage-invalid', stage: kept },
    stage: kept,
    reason: 'invalid',
  };
}

/** True when applying the plan writes nothing. */
export function isNoop(plan: IssueStagePlan): boolean {
  return plan.edit === null && plan.comment === null;
}

/** The stages an issue of `role` can take: the role's, else the family's (its first role with a process). */
export function issueStages(role: HiringRole | null, roles: readonly HiringRole[]): StageName[] {
  if (role !== null && role.stages.length > 0) return role.stages;
  return roles.find((candidate) => candidate.stages.length > 0)?.stages ?? [];
}

// --- which family and role an issue belongs to ----------------------------------------------------

/** Slugs of the issue's `job-family::<slug>` labels, in label order. */
export function familyLabelSlugs(labels: readonly string[]): string[] {
  return labels.filter((label) => label.startsWith(JOB_FAMILY_LABEL_PREFIX)).map((label) => label.slice(JOB_FAMILY_LABEL_PREFIX.length));
}

const PAGE_LINK = /[^\s()<>[\]"'`]*job-families\/[^\s()<>[\]"'`]*/giu;

/** Paths or URLs in a description that point into a `job-families/` folder, query and fragment removed. */
export function jobFamilyLinks(description: string | null): string[] {
  if (description === null) return [];
  return [...description.matchAll(PAGE_LINK)].map((match) => match[0].replace(/[?#].*$/u, '').replace(/[.,;:!]+$/u, ''));
}

function words(text: string): string {
  return ` ${text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/gu, ' ')
    .trim()} `;
}

/**
 * The role an issue is about: the longest role name found in its title ("Senior Director, Security"
 * before "Director, Security"; parenthesised parts are optional, so "VP of Security" finds "Vice
 * President (VP) of Security" only by its full name or without the parentheses). `matched: false`
 * when no name is found: the family's first role with a hiring process is used, as the stage rules say.
 */
export function roleForTitle(title: string, roles: readonly HiringRole[]): { role: HiringRole | null; matched: boolean } {
  const haystack = words(title);
  let best: { role: HiringRole; length: number } | null = null;
  for (const role of roles) {
    const variants = [role.name, role.name.replace(/\s*\([^)]*\)\s*/gu, ' ')];
    for (const variant of variants) {
      const needle = words(variant);
      if (needle.trim() === '' || !haystack.includes(needle)) continue;
      if (best === null || needle.length > best.length) best = { role, length: needle.length };
    }
  }
  if (best !== null) return { role: best.role, matched: true };
  return { role: roles.find((role) => role.stages.length > 0) ?? roles[0] ?? null, matched: false };
}
