import type { HiringStep, PerformanceIndicator, Problem } from '../model.js';

/** The changes a page diff reports (DESIGN §4), and the review triggers they raise. */

/** The `review.rules[].when` names (the config schema takes them from here). */
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
  RoleAdded | RoleRemoved | RoleRenamed | GradeChanged | ListChanged | SpecialtyAdded | SpecialtyRemoved | HiringChange;

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

/** Every change of a diff, page-level first, then role by role. */
export function allChanges(diff: PageDiff): Change[] {
  return [...diff.changes, ...diff.roles.flatMap((role) => role.changes)];
}
