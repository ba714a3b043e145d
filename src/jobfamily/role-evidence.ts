/**
 * What a heading is, judged from evidence rather than heading level (pages vary a lot):
 *   - a heading with a "Job Grade" sub-heading, or whose own text states a grade, is a role;
 *   - a heading whose children are such roles is a group of roles;
 *   - a heading with responsibilities/requirements sub-headings but no grade is a weak role (kept
 *     unless graded roles follow it, in which case it describes the whole family);
 *   - under "Levels", a heading that reads like a job title is a role even without detail;
 *   - under "Specialties", a heading without a grade is a specialty.
 */
import type { Section } from './outline.js';
import { headingInfo, trimName, type HeadingInfo, type SectionKind } from './section-kind.js';
import { findGrade, statesNoGrade } from './grade.js';
import type { RoleStrength } from './drafts.js';

export type Context = 'page' | 'levels' | 'specialties';
export type Decision = RoleStrength | 'group' | 'specialty';

const GRADE_KIND: ReadonlySet<SectionKind> = new Set(['grade']);
const CONTAINER_KINDS: ReadonlySet<SectionKind> = new Set(['levels', 'specialties']);
const LIST_KINDS: ReadonlySet<SectionKind> = new Set(['responsibilities', 'requirements']);

// A heading reads like a job title when it starts with a level or ends with a job noun
// ("Senior Manager, PR", "Facility Security Officer"); "Partner and Channel" does not.
const LEVEL_FIRST =
  /^(?:junior|associate|intermediate|senior|sr|staff|principal|lead|distinguished|fellow|manager|director|head|vp|svp|evp|vice president|president|chief|group manager|executive)\b/i;
const NOUN_LAST =
  /\b(?:manager|managers|director|lead|head|vp|president|officer|engineer|engineers|analyst|specialist|architect|administrator|designer|developer|scientist|counsel|accountant|coordinator|partner|representative|executive|consultant|recruiter|writer|strategist|advocate|controller|auditor|researcher|instructor|technician|assistant|agent|programmer|evangelist|editor|intern|fellow|leader|associate)$/i;
// Acronyms are upper case: CEO, CISO, CMSO (not "Cairo").
const CHIEF_ACRONYM = /\bC[A-Z]{1,3}O$/;
// Headings that introduce a whole family ("Backend Engineering Roles at GitLab") are containers.
const FAMILY_HEADING = /\broles\b|\bjob famil(?:y|ies)\b/i;

export function looksLikeJobTitle(title: string): boolean {
  const name = trimName(title.replace(/\([^)]*\)/g, ' ').replace(/\s+/g, ' '));
  return LEVEL_FIRST.test(name) || NOUN_LAST.test(name) || CHIEF_ACRONYM.test(name);
}

/** Heading kinds (computed once per section) and the evidence read from them. */
export class Evidence {
  private readonly infos = new Map<Section, HeadingInfo>();

  info(section: Section): HeadingInfo {
    let info = this.infos.get(section);
    if (!info) {
      info = headingInfo(section.title);
      this.infos.set(section, info);
    }
    return info;
  }

  hasChildOfKind(section: Section, kinds: ReadonlySet<SectionKind>): boolean {
    return section.children.some((child) => kinds.has(this.info(child).kind));
  }

  /** The heading or its own paragraphs state a grade (or that there is none). */
  statesGrade(section: Section): boolean {
    const says = (text: string): boolean => findGrade(text) !== undefined || statesNoGrade(text);
    if (says(section.title)) return true;
    // A line starting with "|" is a table that failed to parse: a list of grades, not the role's own.
    return section.blocks.some(
      (block) => block.kind === 'paragraph' && block.lines.some((line) => !line.text.startsWith('|') && says(line.text)),
    );
  }

  /** A sub-heading that is a role of its own: it has a "Job Grade" part, or reads like a job title and states a grade. */
  isGradedRole(section: Section): boolean {
    if (this.info(section).kind !== 'unknown') return false;
    return this.hasChildOfKind(section, GRADE_KIND) || (this.statesGrade(section) && looksLikeJobTitle(section.title));
  }

  /** Has responsibilities or requirements sub-headings. */
  structural(section: Section): boolean {
    return this.hasChildOfKind(section, LIST_KINDS);
  }

  decide(section: Section, context: Context): Decision {
    if (section.level === 1 || FAMILY_HEADING.test(section.title)) return 'group';
    if (this.hasChildOfKind(section, GRADE_KIND)) return 'strong';
    if (this.hasChildOfKind(section, CONTAINER_KINDS)) return 'group';
    const kids = section.children.filter((child) => this.info(child).kind === 'unknown');
    if (kids.some((kid) => this.isGradedRole(kid))) return 'group';
    if (context === 'specialties') return this.statesGrade(section) ? 'strong' : 'specialty';
    if (this.statesGrade(section)) return 'strong';
    const kidsStructured = kids.some((kid) => this.structural(kid));
    if (this.structural(section)) return kidsStructured ? 'group' : context === 'levels' ? 'listed' : 'weak';
    if (kidsStructured) return 'group';
    if (context === 'levels') {
      if (looksLikeJobTitle(section.title)) return 'listed';
      return section.children.length > 0 ? 'group' : 'specialty';
    }
    return 'group';
  }
}
