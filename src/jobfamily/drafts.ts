/**
 * Drafts the page walker fills while reading the outline: roles, specialties and page-level
 * content with their source lines, before they are settled into the model (settle.ts).
 */
import type { PerformanceIndicator, Problem } from './model.js';
import type { StepText } from './hiring.js';
import type { ReportingLine } from './reporting-line.js';
import type { Item } from './items.js';
import type { SectionKind } from './section-kind.js';

export interface Bucket {
  responsibilities: Item[];
  requirements: Item[];
}

export interface SpecialtyDraft extends Bucket {
  name: string;
  line: number;
}

/** strong: states a grade; listed: under a Levels heading; weak: only has role-part sub-headings. */
export type RoleStrength = 'strong' | 'listed' | 'weak';

export interface RoleDraft extends Bucket {
  name: string;
  line: number;
  strength: RoleStrength;
  grade: number | undefined;
  noGrade: boolean;
  /** List items written directly under the role heading (used when it has no responsibilities section). */
  looseItems: Item[];
  /** The steps of the role's own hiring-process section (one section), staged when settled. */
  hiring: StepText[];
  /** Whom the role reports to, as its own text says. */
  reportsTo: ReportingLine | undefined;
  specialties: SpecialtyDraft[];
  /** Kinds of the parts read so far, so a later sibling part is only adopted when missing. */
  parts: Set<SectionKind>;
  /** Problems found inside the role, moved to the page if the role turns out to describe the page. */
  problems: Problem[];
}

export interface PageDraft extends Bucket {
  roles: RoleDraft[];
  /** The family's hiring process: sections that belong to no single role. */
  hiring: StepText[];
  /** Whom the family's roles report to, when the page says it outside any role. */
  reportsTo: ReportingLine | undefined;
  indicators: PerformanceIndicator[];
  specialties: SpecialtyDraft[];
  /** Grade stated in a page-level "Job Grade" section (single-role pages). */
  grade: number | undefined;
  noGrade: boolean;
  /** Line of the first page-level grade, responsibilities or requirements section. */
  partLine: number | undefined;
  /** Line of the page-level "Job Grade" section that gave `grade`. */
  gradeLine: number | undefined;
  /** Role names (normalized) and anchors → grade, from "| Role | Grade |" tables. */
  gradeTable: Map<string, number>;
  problems: Problem[];
}

export function roleDraft(name: string, line: number, strength: RoleStrength, content: Partial<Bucket> = {}): RoleDraft {
  return {
    name,
    line,
    strength,
    grade: undefined,
    noGrade: false,
    responsibilities: content.responsibilities ?? [],
    requirements: content.requirements ?? [],
    looseItems: [],
    hiring: [],
    reportsTo: undefined,
    specialties: [],
    parts: new Set(),
    problems: [],
  };
}

export function pageDraft(): PageDraft {
  return {
    roles: [],
    responsibilities: [],
    requirements: [],
    hiring: [],
    reportsTo: undefined,
    indicators: [],
    specialties: [],
    grade: undefined,
    noGrade: false,
    partLine: undefined,
    gradeLine: undefined,
    gradeTable: new Map(),
    problems: [],
  };
}
