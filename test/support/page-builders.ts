import { emptyPage, type HiringStep, type JobFamilyPage, type Role } from '../../src/jobfamily/model.js';

/** Hand-built page models for unit tests of what consumes them (diff, checklist, OKR plan). */

export const BUILT_PAGE_PATH = 'content/job-families/security/security-leadership.md';

let nextLine = 1;

export function step(text: string, stage = 'other'): HiringStep {
  return { text, stage, line: nextLine++ };
}

export function role(name: string, over: Partial<Role> = {}): Role {
  return {
    name,
    grade: null,
    responsibilities: [],
    requirements: [],
    hiringProcess: [],
    hiringProcessInherited: false,
    specialties: [],
    line: nextLine++,
    ...over,
  };
}

export function page(over: Partial<JobFamilyPage> = {}): JobFamilyPage {
  const { specialties: _none, ...empty } = emptyPage(BUILT_PAGE_PATH);
  return { ...empty, title: 'Security Leadership', ...over };
}
