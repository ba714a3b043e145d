/**
 * The job-family page model (DESIGN §3). Everything the bot knows about a page is in these types;
 * `check --json` prints `JobFamilyPage` as is. Line numbers are 1-based lines of the source file
 * (front matter included), so a problem can be found in an editor.
 */

/** A canonical hiring stage name such as `screening` or `offer`; the set is configurable. */
export type StageName = string;

export const DEFAULT_STAGE_ORDER: readonly StageName[] = [
  'screening',
  'hiring-manager',
  'team-interviews',
  'executive',
  'assessment',
  'references',
  'offer',
  'other',
];

export type Severity = 'error' | 'warning';

export type ProblemCode =
  | 'front-matter-missing'
  | 'front-matter-unterminated'
  | 'front-matter-invalid'
  | 'no-title'
  | 'role-without-grade'
  | 'role-without-hiring-process'
  /** A hiring step the built-in stages could only file under `other`. */
  | 'hiring-step-without-stage'
  /** A hiring process without a screening step or without an offer step. */
  | 'hiring-process-incomplete'
  /** A second hiring-process section for the roles without their own: not used. */
  | 'duplicate-hiring-process'
  | 'empty-section'
  | 'duplicate-role'
  /** The parser itself failed on this input: a bug to report, with the page attached. */
  | 'unreadable';

export interface Problem {
  severity: Severity;
  code: ProblemCode;
  message: string;
  line: number;
}

export interface HiringStep {
  text: string;
  stage: StageName;
  line: number;
}

export interface PerformanceIndicator {
  name: string;
  /** The link target as written on the page; `null` when the indicator is plain text. */
  url: string | null;
  line: number;
}

export interface Specialty {
  name: string;
  responsibilities: string[];
  requirements: string[];
  line: number;
}

export interface Role {
  name: string;
  /** Job grade; `null` when the page gives none (or says the role has none). */
  grade: number | null;
  responsibilities: string[];
  requirements: string[];
  hiringProcess: HiringStep[];
  /** True when `hiringProcess` is the page-level process because the role has none of its own. */
  hiringProcessInherited: boolean;
  specialties: Specialty[];
  line: number;
}

export interface JobFamilyPage {
  path: string;
  title: string;
  description: string;
  roles: Role[];
  /** Page-level responsibilities and requirements (outside any role). */
  responsibilities: string[];
  requirements: string[];
  /**
   * Family-wide specialties: those under a "Specialties" heading outside any role, which apply to
   * every level. Always set by `parsePage` (optional only so that hand-written models stay valid).
   */
  specialties?: Specialty[];
  /** The page-level hiring process, inherited by roles without their own. */
  hiringProcess: HiringStep[];
  performanceIndicators: PerformanceIndicator[];
  /** Responsibilities (page or role level) that speak of OKRs, objectives and key results, or quarterly goals. */
  okrs: string[];
  problems: Problem[];
}

/** A page with nothing in it: the model of a page that is absent or could not be read at all. */
export function emptyPage(path: string): JobFamilyPage {
  return {
    path,
    title: '',
    description: '',
    roles: [],
    responsibilities: [],
    requirements: [],
    hiringProcess: [],
    performanceIndicators: [],
    specialties: [],
    okrs: [],
    problems: [],
  };
}
