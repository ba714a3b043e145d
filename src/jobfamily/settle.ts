/**
 * Settling the walker's drafts into the model: family descriptions and single-role pages are
 * resolved, grades fall back to grade tables, roles without a process inherit the family's, every
 * process is staged for the role it serves, and the role-level problems are found.
 */
import type { HiringStep, JobFamilyPage, Problem, Role, Specialty } from './model.js';
import type { StepText } from './hiring.js';
import type { StageMemo, Stager } from './stages.js';
import { roleLevel } from './seniority.js';
import { nameKey } from './grade.js';
import type { Item } from './items.js';
import { okrItems } from './okr-items.js';
import { problem } from './problems.js';
import { trimName } from './section-kind.js';
import { roleDraft, type PageDraft, type RoleDraft, type SpecialtyDraft } from './drafts.js';

const texts = (items: readonly Item[]): string[] => items.map((item) => item.text);
export const byLine = (a: { line: number }, b: { line: number }): number => a.line - b.line;

/**
 * Graded roles tell what the page is about; headings with responsibilities but no grade that come
 * before them describe the whole family ("## Service Desk Analyst" above "## Levels").
 */
function demoteFamilyDescriptions(page: PageDraft): void {
  const firstStrong = page.roles.find((role) => role.strength === 'strong');
  if (!firstStrong) return;
  const kept: RoleDraft[] = [];
  for (const role of page.roles) {
    if (role.strength === 'weak' && role.line < firstStrong.line) {
      page.responsibilities.push(...role.responsibilities, ...role.looseItems);
      page.requirements.push(...role.requirements);
      page.hiring.push(...role.hiring);
      page.specialties.push(...role.specialties);
      page.problems.push(...role.problems);
    } else {
      kept.push(role);
    }
  }
  page.roles = kept;
  page.responsibilities.sort(byLine);
  page.requirements.sort(byLine);
}

function pageRole(page: PageDraft, title: string, grade: number | undefined, line: number): RoleDraft {
  // "Threat Management Roles", "Data Architect Job Family" → the role is the family's name.
  const name = trimName(title.replace(/\s*[-–—:(]?\s*(?:job (?:family|role)|roles?)\)?\s*$/i, '')) || title;
  const role = roleDraft(name, line, 'strong', { responsibilities: page.responsibilities, requirements: page.requirements });
  role.grade = grade;
  role.noGrade = page.noGrade;
  page.responsibilities = [];
  page.requirements = [];
  return role;
}

/**
 * Content written at page level that describes one role: a page without role headings is that
 * role; a page-level "Job Grade" above the role headings is the family's first level, named after
 * the page (or, when the page has a single role without a grade, that role's grade).
 */
function settlePageRole(page: PageDraft, title: string, rootGrade: number | undefined): void {
  const name = title || 'Untitled role';
  const first = page.roles[0];
  if (!first) {
    const grade = page.grade ?? rootGrade;
    const hasContent = page.responsibilities.length > 0 || page.requirements.length > 0;
    if (grade !== undefined || page.noGrade || hasContent)
      page.roles.push(pageRole(page, name, grade, page.gradeLine ?? page.partLine ?? 1));
    return;
  }
  if (page.grade === undefined || page.gradeLine === undefined) return;
  if (page.roles.length === 1 && first.grade === undefined && !first.noGrade) {
    first.grade = page.grade;
  } else if (page.gradeLine < first.line) {
    page.roles.unshift(pageRole(page, name, page.grade, page.gradeLine));
  }
}

/** Bullets written right under a role heading stand for its responsibilities when it has no such section. */
function roleResponsibilities(role: RoleDraft): Item[] {
  return role.responsibilities.length > 0 || role.parts.has('responsibilities') ? role.responsibilities : role.looseItems;
}

function specialtyOut(specialty: SpecialtyDraft): Specialty {
  return {
    name: specialty.name,
    responsibilities: texts(specialty.responsibilities),
    requirements: texts(specialty.requirements),
    line: specialty.line,
  };
}

/**
 * The family's process, for a role without its own: the page-level one, else the process of the
 * nearest role that has one (the next, else the previous), so that every role of a family with a
 * process has one.
 */
function familyProcess(page: PageDraft, index: number): StepText[] {
  if (page.hiring.length > 0) return page.hiring;
  const roles = page.roles;
  for (let i = index + 1; i < roles.length; i++) if ((roles[i]?.hiring.length ?? 0) > 0) return roles[i]?.hiring ?? [];
  for (let i = index - 1; i >= 0; i--) if ((roles[i]?.hiring.length ?? 0) > 0) return roles[i]?.hiring ?? [];
  return [];
}

function staged(steps: readonly StepText[], stages: readonly string[]): HiringStep[] {
  return steps.map((step, i) => ({ text: step.text, stage: stages[i] ?? 'other', line: step.line }));
}

/** Steps written "For Managers:" are not an individual contributor's, and the other way round. */
function forRole(steps: StepText[], name: string): StepText[] {
  if (!steps.some((step) => step.audience)) return steps;
  const audience = roleLevel(name).ic ? 'individual-contributors' : 'managers';
  const kept = steps.filter((step) => step.audience === undefined || step.audience === audience);
  return kept.length > 0 ? kept : steps;
}

function roleOut(role: RoleDraft, index: number, page: PageDraft, stager: Stager, memo: StageMemo): Role {
  const own = role.hiring.length > 0;
  const steps = forRole(own ? role.hiring : familyProcess(page, index), role.name);
  const context = { role: role.name, reportsTo: role.reportsTo ?? page.reportsTo };
  return {
    name: role.name,
    grade: role.grade ?? null,
    responsibilities: texts(roleResponsibilities(role)),
    requirements: texts(role.requirements),
    hiringProcess: staged(
      steps,
      stager(
        steps.map((step) => step.text),
        context,
        memo,
      ),
    ),
    hiringProcessInherited: !own && steps.length > 0,
    specialties: role.specialties.map(specialtyOut),
    line: role.line,
  };
}

function roleProblems(roles: readonly Role[], drafts: readonly RoleDraft[]): Problem[] {
  const problems: Problem[] = [];
  const usesGrades = roles.some((role) => role.grade !== null);
  const seen = new Map<string, Role>();
  roles.forEach((role, index) => {
    const draft = drafts[index];
    problems.push(...(draft?.problems ?? []));
    if (usesGrades && role.grade === null && !draft?.noGrade) {
      problems.push(
        problem('role-without-grade', role.line, `the role "${role.name}" has no job grade, while other roles on the page have one`),
      );
    }
    if (role.hiringProcess.length === 0) {
      problems.push(
        problem(
          'role-without-hiring-process',
          role.line,
          `the role "${role.name}" has no hiring process, and the page has none to inherit`,
        ),
      );
    }
    const key = nameKey(role.name);
    const first = seen.get(key);
    if (first) {
      problems.push(problem('duplicate-role', role.line, `the role "${role.name}" is described twice (first on line ${first.line})`));
    } else {
      seen.set(key, role);
    }
  });
  return problems;
}

/** The role named like the page ("Legal Counsel" on the Legal Counsel page), whose reporting line the family's process follows. */
function titleRole(page: PageDraft, title: string): RoleDraft | undefined {
  const key = nameKey(title);
  return page.roles.find((role) => nameKey(role.name) === key);
}

const quote = (text: string): string => (text.length > 80 ? `${text.slice(0, 77)}…` : text);

/**
 * What editors can fix in the hiring processes (built-in stages only): a step that fits no stage,
 * and a process without a screening or an offer step. A process shared by several roles is
 * reported once, on its own lines.
 */
function processProblems(page: JobFamilyPage['hiringProcess'], roles: readonly Role[]): Problem[] {
  const problems: Problem[] = [];
  const seenSteps = new Set<number>();
  const seenProcesses = new Set<string>();
  const check = (steps: readonly HiringStep[], whose: string, line: number): void => {
    for (const step of steps) {
      if (step.stage !== 'other' || seenSteps.has(step.line)) continue;
      seenSteps.add(step.line);
      problems.push(
        problem(
          'hiring-step-without-stage',
          step.line,
          `the hiring step "${quote(step.text)}" fits no hiring stage: say whom the candidate meets (a recruiter, the hiring manager, the team, an executive) or what they do (an assessment, references, the offer), or remove the line if it is not a step`,
        ),
      );
    }
    const key = steps.map((step) => step.line).join(',');
    if (steps.length === 0 || seenProcesses.has(key)) return;
    seenProcesses.add(key);
    for (const [stage, example] of [
      ['screening', 'a screening call with a recruiter'],
      ['offer', '"Successful candidates will subsequently be made an offer."'],
    ] as const) {
      if (!steps.some((step) => step.stage === stage)) {
        problems.push(
          problem(
            'hiring-process-incomplete',
            line,
            `the hiring process of ${whose} has no ${stage} step: add one (for example ${example})`,
          ),
        );
      }
    }
  };
  for (const role of roles) {
    if (role.hiringProcessInherited) continue;
    check(role.hiringProcess, `the role "${role.name}"`, role.line);
  }
  const inherited = roles.filter((role) => role.hiringProcessInherited);
  if (page.length > 0)
    check(page, inherited.length > 0 ? `the family (used by ${inherited.length} role(s))` : 'the page', page[0]?.line ?? 1);
  for (const role of inherited) check(role.hiringProcess, `the role "${role.name}" (inherited)`, role.hiringProcess[0]?.line ?? role.line);
  return problems;
}

/** Everything of the model but path, title, description and the front matter's problems. */
export type SettledPage = Omit<JobFamilyPage, 'path' | 'title' | 'description'>;

/**
 * `rootGrade`: a grade stated before the first heading, for pages that are one role. `stager`
 * stages each role's process (and the page's) for that role; `builtInStages`: the stages are the
 * built-in ones, so missing or unknown stages are worth a warning.
 */
export function settle(page: PageDraft, title: string, rootGrade: number | undefined, stager: Stager, builtInStages = true): SettledPage {
  demoteFamilyDescriptions(page);
  settlePageRole(page, title, rootGrade);
  for (const role of page.roles) if (role.grade === undefined && !role.noGrade) role.grade = page.gradeTable.get(nameKey(role.name));

  const memo: StageMemo = new Map();
  const roles = page.roles.map((role, index) => roleOut(role, index, page, stager, memo));
  // The family's own process, read as for a role named after the page.
  const familyContext = { role: title, reportsTo: page.reportsTo ?? titleRole(page, title)?.reportsTo };
  const hiringProcess = staged(
    page.hiring,
    stager(
      page.hiring.map((step) => step.text),
      familyContext,
      memo,
    ),
  );
  const responsibilities = [
    ...page.responsibilities,
    ...page.roles.flatMap((role) => [...roleResponsibilities(role), ...role.specialties.flatMap((s) => s.responsibilities)]),
    ...page.specialties.flatMap((s) => s.responsibilities),
  ];
  return {
    roles,
    responsibilities: texts(page.responsibilities),
    requirements: texts(page.requirements),
    hiringProcess,
    performanceIndicators: page.indicators,
    specialties: page.specialties.map(specialtyOut),
    okrs: okrItems(responsibilities),
    problems: [...page.problems, ...roleProblems(roles, page.roles), ...(builtInStages ? processProblems(hiringProcess, roles) : [])],
  };
}
