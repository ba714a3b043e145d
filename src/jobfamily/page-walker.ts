/**
 * Walks the outline once and sorts every heading into roles, role parts (grade, responsibilities,
 * requirements, hiring process, indicators), specialties and page-level content (role-evidence.ts
 * decides what a heading is). Role parts written as siblings right after their role
 * ("## Manager, X" then "## Responsibilities") belong to that role. A hiring-process section
 * written that way belongs to the role it follows when the page is built role / process / role /
 * process; a lone process after the last role is the family's.
 */
import type { Problem } from './model.js';
import { someText, type Block, type Section } from './outline.js';
import { ROLE_PARTS, trimName, type SectionKind } from './section-kind.js';
import { findGrade, findGradeInGradeSection, gradeTable, nameKey, statesNoGrade } from './grade.js';
import { blockItems } from './items.js';
import { hiringSteps, type StepText } from './hiring.js';
import { performanceIndicators } from './indicators.js';
import { specialtyName } from './specialty.js';
import { problem } from './problems.js';
import { findReportingLine } from './reporting-line.js';
import { pageDraft, roleDraft, type Bucket, type PageDraft, type RoleDraft, type RoleStrength, type SpecialtyDraft } from './drafts.js';
import { Evidence, type Context } from './role-evidence.js';

const ADOPTABLE: ReadonlySet<SectionKind> = new Set(['grade', 'responsibilities', 'requirements', 'nice-to-have']);
const NO_KINDS: ReadonlySet<SectionKind> = new Set();
// Sub-sections of a hiring process that hold its steps.
const STEP_KINDS: ReadonlySet<SectionKind> = new Set(['hiring', 'step']);
const INDICATOR_KINDS: ReadonlySet<SectionKind> = new Set(['indicators']);
const SPECIALTY_PROCESS = /\bspeciali[sz]ations?\b|\bspecialt(?:y|ies)\b/i;

export class PageWalker {
  private readonly evidence = new Evidence();
  private readonly indicatorKeys = new Set<string>();
  private readonly specialtyIndex = new WeakMap<SpecialtyDraft[], Map<string, SpecialtyDraft>>();
  /** Sections read as a role or a role part, so the section around them does not read them again. */
  private readonly consumed = new Set<Section>();
  private get lastRole(): RoleDraft | null {
    return this.page.roles[this.page.roles.length - 1] ?? null;
  }
  readonly page: PageDraft = pageDraft();

  walk(root: Section): PageDraft {
    this.collectTables(root);
    this.page.reportsTo = findReportingLine(blockTexts(root.blocks));
    this.walkContainer(root, 'page');
    return this.page;
  }

  private collectTables(section: Section): void {
    for (const block of section.blocks) if (block.kind === 'table') gradeTable(block, this.page.gradeTable);
    for (const child of section.children) this.collectTables(child);
  }

  // --- page level ----------------------------------------------------------------------------

  /**
   * Role parts written after their role as siblings ("## Manager, X" then "## Responsibilities")
   * belong to the role most recently opened by a sibling heading (or by a role nested in such a
   * part); any other heading in between closes it.
   */
  private walkContainer(container: Section, context: Context, skip: ReadonlySet<SectionKind> = NO_KINDS): void {
    let open: RoleDraft | null = null;
    // The role most recently opened by a heading of this container, kept across other headings.
    let sibling: RoleDraft | null = null;
    const children = container.children;
    let previousProcess = -1;
    // How many roles the page had when the previous process section began (roles written inside it count as between).
    let rolesAtPreviousProcess = 0;
    children.forEach((child, index) => {
      const { kind } = this.evidence.info(child);
      if (skip.has(kind)) return;
      const before = this.page.roles.length;
      if (kind === 'hiring') {
        // "### Hiring Process for Handbook Specialty" under "## Specialties": that specialty's
        // variant, not the process of the family's roles.
        if (context === 'specialties' && SPECIALTY_PROCESS.test(child.title)) {
          this.consumed.add(child);
          return;
        }
        // Role / process / role / process: a role heading comes after this process, or between it and the previous one.
        const writtenInside = previousProcess >= 0 && before > rolesAtPreviousProcess;
        const alternating =
          writtenInside ||
          this.roleBetween(children, index + 1, children.length, context) ||
          (previousProcess >= 0 && this.roleBetween(children, previousProcess + 1, index, context));
        previousProcess = index;
        rolesAtPreviousProcess = before;
        const owner = this.processOwner(writtenInside ? this.lastRole : sibling, alternating);
        if (owner) this.ownProcess(owner, child);
        else this.pagePart(child);
        if (this.page.roles.length > before) open = this.lastRole;
        return;
      }
      if (ROLE_PARTS.has(kind)) {
        if (open && ADOPTABLE.has(kind) && !open.parts.has(kind)) this.rolePart(open, child, true);
        else this.pagePart(child);
        if (this.page.roles.length > before) open = this.lastRole;
        return;
      }
      if (kind === 'aside') {
        // Its own text is not read, but a role heading misplaced below it ("## Career Ladder"
        // then "### Senior Data Scientist") is still a role.
        this.walkContainer(child, context);
        return;
      }
      open = null;
      if (kind === 'levels') this.walkContainer(child, 'levels');
      else if (kind === 'specialties') this.walkContainer(child, 'specialties');
      else if (kind === 'unknown') {
        let decision = this.evidence.decide(child, context);
        // A bare heading followed by its "Job Grade" ("### Senior Security Engineer", "### Job Grade").
        const next = children[index + 1];
        if (
          (decision === 'group' || decision === 'specialty') &&
          child.children.length === 0 &&
          next &&
          this.evidence.info(next).kind === 'grade'
        )
          decision = 'strong';
        if (decision === 'group') this.walkContainer(child, context);
        else if (decision === 'specialty') this.pageSpecialty(child);
        else {
          // The same role heading twice in a row ("## ESG Manager" for the grade, again for the rest) is one role.
          const last = this.lastRole;
          const same = last && before > 0 && nameKey(last.name) === nameKey(child.title) ? last : null;
          open = same ? this.roleContent(same, child) : this.role(child, decision);
          sibling = open;
        }
        if (decision === 'group') this.page.reportsTo ??= findReportingLine(blockTexts(child.blocks));
      }
    });
  }

  /** A heading among `children[from..to)` that is a role. */
  private roleBetween(children: readonly Section[], from: number, to: number, context: Context): boolean {
    for (let i = from; i < to; i++) {
      const next = children[i];
      if (!next || this.evidence.info(next).kind !== 'unknown') continue;
      const decision = this.evidence.decide(next, context);
      if (decision !== 'group' && decision !== 'specialty') return true;
    }
    return false;
  }

  /**
   * The role a hiring-process section written beside roles belongs to: the role it follows (the
   * role heading before it in the same container, or one written inside the previous process,
   * "## Hiring Process" then "### Senior Director"), else the role last read, as long as that role
   * has no process of its own yet. `alternating`: the page is built role / process / role / process.
   */
  private processOwner(sibling: RoleDraft | null, alternating: boolean): RoleDraft | null {
    if (!alternating) return null;
    if (sibling && !sibling.parts.has('hiring')) return sibling;
    const last = this.lastRole;
    return last && !last.parts.has('hiring') ? last : null;
  }

  /** A hiring-process section read as `role`'s own, after any role written inside it. */
  private ownProcess(role: RoleDraft, section: Section): void {
    this.consumed.add(section);
    this.walkContainer(section, 'page', STEP_KINDS);
    role.parts.add('hiring');
    role.hiring.push(...this.hiring(section, role.problems));
  }

  private pagePart(section: Section): void {
    const { kind } = this.evidence.info(section);
    this.consumed.add(section);
    switch (kind) {
      case 'grade':
        this.page.partLine ??= section.line;
        if (this.page.grade === undefined) {
          someText(section, (text) => {
            this.page.grade = findGradeInGradeSection(text);
            if (statesNoGrade(text)) this.page.noGrade = true;
            return this.page.grade !== undefined;
          });
          if (this.page.grade !== undefined) this.page.gradeLine = section.line;
        }
        for (const child of section.children) if (ROLE_PARTS.has(this.evidence.info(child).kind)) this.pagePart(child);
        break;
      case 'responsibilities':
      case 'requirements':
        this.page.partLine ??= section.line;
        this.listPart(section, kind, this.page, this.page.problems, (child) => this.pagePart(child));
        break;
      case 'hiring':
        // A role heading misplaced under the process is still a role; the steps are read from the rest.
        this.walkContainer(section, 'page', STEP_KINDS);
        this.familyProcess(section);
        break;
      case 'indicators':
        // "## Performance Indicators" then "### Intermediate Analyst": headings below are read as usual.
        this.walkContainer(section, 'page', INDICATOR_KINDS);
        this.indicators(section, this.page.problems);
        break;
      default:
        break;
    }
  }

  private pageSpecialty(section: Section): void {
    const specialty = this.specialty(this.page.specialties, trimName(section.title) || section.title, section.line);
    for (const child of section.children) {
      const { kind } = this.evidence.info(child);
      if (kind === 'responsibilities' || kind === 'requirements') {
        this.listPart(child, kind, specialty, this.page.problems, (part) => {
          if (this.evidence.info(part).kind === 'indicators') this.indicators(part, this.page.problems);
        });
      } else if (kind === 'indicators') {
        this.indicators(child, this.page.problems);
      }
    }
  }

  // --- roles ---------------------------------------------------------------------------------

  private role(section: Section, strength: RoleStrength, name?: string): RoleDraft {
    const role = roleDraft(name ?? (trimName(section.title) || section.title), section.line, strength);
    if (this.evidence.info(section).kind === 'grade') role.parts.add('grade');
    this.page.roles.push(role);
    return this.roleContent(role, section);
  }

  private roleContent(role: RoleDraft, section: Section): RoleDraft {
    this.consumed.add(section);
    role.reportsTo ??= findReportingLine(blockTexts(section.blocks));
    this.roleGrade(role, section);
    this.looseItems(role, section);
    // Parts that follow a role nested in this one belong to the nested role while it lacks them.
    let current = role;
    for (const child of section.children) {
      const { kind, prefix } = this.evidence.info(child);
      // A second "Job Grade" naming another role ("Vice President of PS Job Grade") starts that role.
      if (kind === 'grade' && current.parts.has('grade') && prefix && specialtyName(prefix, current.name) !== null) {
        current = this.role(child, 'strong', prefix);
        continue;
      }
      if (current !== role && ADOPTABLE.has(kind) && !current.parts.has(kind)) {
        this.rolePart(current, child, true);
        continue;
      }
      const before = this.page.roles.length;
      this.rolePart(role, child, false);
      if (kind === 'unknown' && this.page.roles.length > before) current = this.lastRole ?? role;
    }
    return role;
  }

  private looseItems(role: RoleDraft, section: Section): void {
    for (const block of section.blocks) {
      if (block.kind !== 'list') continue;
      for (const item of block.items) if (item.text) role.looseItems.push({ text: item.text, line: item.line });
    }
  }

  /**
   * The first grade written anywhere in the role's own section, in document order; failing that,
   * a bare number in its "Job Grade" section ("is a [6]").
   */
  private roleGrade(role: RoleDraft, section: Section): void {
    if (role.grade !== undefined) return;
    someText(section, (text) => {
      if (statesNoGrade(text)) role.noGrade = true;
      role.grade = findGrade(text);
      return role.grade !== undefined;
    });
    if (role.grade === undefined) this.bareGrade(role, section);
  }

  private bareGrade(role: RoleDraft, section: Section): void {
    if (this.evidence.info(section).kind === 'grade') {
      someText(section, (text) => {
        role.grade = findGradeInGradeSection(text);
        return role.grade !== undefined;
      });
    }
    for (const child of section.children) if (role.grade === undefined) this.bareGrade(role, child);
  }

  private rolePart(role: RoleDraft, section: Section, adopted: boolean): void {
    const { kind, prefix } = this.evidence.info(section);
    this.consumed.add(section);
    if (kind === 'hiring' && role.parts.has('hiring')) {
      // A role's process is one section; another one ("Hiring Process for EMEA" after "… for
      // North America") is a variant of the family's.
      this.familyProcess(section);
      return;
    }
    role.parts.add(kind);
    if (kind === 'grade' || adopted) role.reportsTo ??= findReportingLine(blockTexts(section.blocks));
    if (adopted) this.roleGrade(role, section);
    switch (kind) {
      case 'grade':
        // Bullets under "Job Grade" ("They: - mentor teammates …") describe the role.
        this.looseItems(role, section);
        for (const child of section.children) this.rolePart(role, child, false);
        break;
      case 'responsibilities':
      case 'requirements': {
        const name = specialtyName(prefix, role.name);
        const bucket = name ? this.specialty(role.specialties, name, section.line) : role;
        this.listPart(section, kind, bucket, role.problems, (child) => this.rolePart(role, child, false));
        break;
      }
      case 'hiring':
        role.hiring.push(...this.hiring(section, role.problems));
        break;
      case 'indicators':
        this.indicators(section, role.problems);
        break;
      case 'specialties':
        for (const child of section.children) {
          if (this.evidence.info(child).kind === 'unknown') this.roleSpecialty(role, child);
          else this.rolePart(role, child, false);
        }
        break;
      case 'levels':
        this.walkContainer(section, 'levels');
        break;
      case 'unknown':
        if (this.evidence.isGradedRole(section)) this.role(section, 'strong');
        else if (this.evidence.structural(section)) this.roleSpecialty(role, section);
        else for (const child of section.children) this.rolePart(role, child, false);
        break;
      default:
        break;
    }
  }

  private roleSpecialty(role: RoleDraft, section: Section): void {
    const title = trimName(section.title) || section.title;
    const specialty = this.specialty(role.specialties, specialtyName(title, role.name) ?? title, section.line);
    for (const child of section.children) {
      const { kind } = this.evidence.info(child);
      if (kind === 'responsibilities' || kind === 'requirements') {
        this.listPart(child, kind, specialty, role.problems, (part) => this.rolePart(role, part, false));
      } else if (kind === 'indicators') {
        this.indicators(child, role.problems);
      }
    }
  }

  // --- shared parts --------------------------------------------------------------------------

  private specialty(list: SpecialtyDraft[], name: string, line: number): SpecialtyDraft {
    // Indexed by name so a page with thousands of specialty headings stays linear.
    let index = this.specialtyIndex.get(list);
    if (!index) {
      index = new Map(list.map((s) => [s.name.toLowerCase(), s]));
      this.specialtyIndex.set(list, index);
    }
    const key = name.toLowerCase();
    let specialty = index.get(key);
    if (!specialty) {
      specialty = { name, line, responsibilities: [], requirements: [] };
      list.push(specialty);
      index.set(key, specialty);
    }
    return specialty;
  }

  /**
   * Items of a responsibilities/requirements section into `bucket`. Plain sub-headings ("Who,
   * Where and Why") are folded in; role-part sub-headings go to `part`.
   */
  private listPart(
    section: Section,
    kind: 'responsibilities' | 'requirements',
    bucket: Bucket,
    problems: Problem[],
    part: (child: Section) => void,
  ): void {
    const count = this.foldItems(section, kind, bucket, part);
    if (count === 0) problems.push(problem('empty-section', section.line, `the section "${section.title}" lists no ${kind}`));
  }

  private foldItems(section: Section, kind: 'responsibilities' | 'requirements', bucket: Bucket, part: (child: Section) => void): number {
    const { items, stopped } = blockItems(section.blocks, kind === 'requirements');
    bucket[kind].push(...items);
    let count = items.length;
    for (const child of section.children) {
      const childKind = this.evidence.info(child).kind;
      if (ROLE_PARTS.has(childKind)) part(child);
      else if (this.evidence.isGradedRole(child)) this.role(child, 'strong');
      else if (!stopped && childKind !== 'aside') count += this.foldItems(child, kind, bucket, part);
    }
    return count;
  }

  /**
   * A hiring-process section that belongs to no single role. The family's process is one section
   * too: a later one is read for its problems but not used, with a warning.
   */
  private familyProcess(section: Section): void {
    const steps = this.hiring(section, this.page.problems);
    const first = this.page.hiring[0];
    if (!first) {
      this.page.hiring.push(...steps);
      return;
    }
    if (steps.length > 0) {
      this.page.problems.push(
        problem(
          'duplicate-hiring-process',
          section.line,
          `the section "${section.title}" is a second hiring process for roles that have none of their own (the first starts on line ${first.line}) and is not used: write it right after the role it is for, or merge the two`,
        ),
      );
    }
  }

  private hiring(section: Section, problems: Problem[]): StepText[] {
    const steps = hiringSteps(section, (child) => this.consumed.has(child));
    if (steps.length === 0) problems.push(problem('empty-section', section.line, `the section "${section.title}" lists no hiring steps`));
    return steps;
  }

  private indicators(section: Section, problems: Problem[]): void {
    const found = performanceIndicators(section, (child) => this.consumed.has(child));
    if (found.length === 0)
      problems.push(problem('empty-section', section.line, `the section "${section.title}" lists no performance indicators`));
    for (const indicator of found) {
      const key = `${indicator.name}\u0000${indicator.url ?? ''}`;
      if (!this.indicatorKeys.has(key)) {
        this.indicatorKeys.add(key);
        this.page.indicators.push(indicator);
      }
    }
  }
}

/** The text of paragraphs and list items, where a reporting line may be written. */
function* blockTexts(blocks: readonly Block[]): Generator<string> {
  for (const block of blocks) {
    if (block.kind === 'paragraph') for (const line of block.lines) yield line.text;
    else if (block.kind === 'list') for (const item of block.items) yield item.text;
  }
}
