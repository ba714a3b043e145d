/**
 * A small handbook for property tests: three pages, each with a few hand-written versions that differ
 * in what the bot carries into GitLab (the title → the OKR issue title, the performance indicators →
 * its key results, the hiring steps → the stage labels and board lists), and the paths a page can be
 * moved to (same folder depth, so the same slug, or another name, so another slug).
 */

export interface PageSpec {
  title: string;
  role: string;
  /** Hiring steps, each one sentence a stage pattern recognises. */
  steps: readonly string[];
  indicators: readonly string[];
}

export const STEP = {
  screening: 'Qualified candidates will be invited to schedule a 30 minute screening call with one of our Global Recruiters.',
  manager: 'Next, candidates will be invited to schedule a 45 minute interview with the Hiring Manager.',
  technical: 'Candidates will then be invited to a 90 minute technical interview with two engineers.',
  executive: 'Candidates will then be invited to a 30 minute interview with the VP of Security.',
  offer: 'Successful candidates will subsequently be made an offer via email.',
  /** Same stages as `screening` and `manager`, other words and people: stage label descriptions list both. */
  peopleScreening: 'Selected candidates will be invited to a 25 minute call with a People Recruiter.',
  director: 'Next, candidates will be invited to schedule a 45 minute interview with the Director of People Operations.',
} as const;

export function renderPage(spec: PageSpec): string {
  return [
    '---',
    'layout: job_family_page',
    `title: "${spec.title}"`,
    `description: "The ${spec.title} job family."`,
    '---',
    '',
    `The ${spec.title} job family.`,
    '',
    '## Responsibilities',
    '- Own the team roadmap.',
    '- Set quarterly goals (OKRs) for the team.',
    '',
    `## ${spec.role}`,
    `The ${spec.role} reports to the Director.`,
    '',
    '### Responsibilities',
    '- Lead the team.',
    '',
    '### Requirements',
    '- Five years of experience.',
    '',
    '## Hiring Process',
    'Candidates can expect the hiring process to follow the order below.',
    '',
    ...spec.steps.map((step) => `- ${step}`),
    '',
    '## Performance Indicators',
    '',
    ...spec.indicators.map((name) => `- [${name}](https://handbook.example.com/kpis/#${name.toLowerCase().replace(/[^a-z0-9]+/gu, '-')})`),
    '',
  ].join('\n');
}

/** Per page: its versions (index = version number). */
export const PAGE_VERSIONS: readonly (readonly PageSpec[])[] = [
  [
    {
      title: 'Security Engineering',
      role: 'Security Engineer',
      steps: [STEP.screening, STEP.manager, STEP.technical, STEP.offer],
      indicators: ['Mean Time To Mitigate', 'Open Vulnerabilities'],
    },
    {
      title: 'Security Engineering',
      role: 'Security Engineer',
      steps: [STEP.screening, STEP.manager, STEP.offer],
      indicators: ['Mean Time To Mitigate', 'Open Vulnerabilities'],
    },
    {
      title: 'Security Engineering',
      role: 'Senior Security Engineer',
      steps: [STEP.screening, STEP.technical, STEP.offer],
      indicators: ['Mean Time To Mitigate'],
    },
  ],
  [
    {
      title: 'Threat Management',
      role: 'Manager, Threat Management',
      steps: [STEP.screening, STEP.executive, STEP.offer],
      indicators: ['Cost of Abuse'],
    },
    {
      title: 'Threat Management Roles',
      role: 'Manager, Threat Management',
      steps: [STEP.screening, STEP.manager, STEP.executive, STEP.offer],
      indicators: ['Cost of Abuse', 'Page Volume'],
    },
  ],
  [
    {
      title: 'People Operations',
      role: 'People Operations Specialist',
      steps: [STEP.peopleScreening, STEP.director],
      indicators: ['Onboarding Satisfaction'],
    },
    { title: 'People Operations', role: 'People Operations Specialist', steps: [STEP.peopleScreening, STEP.offer], indicators: [] },
  ],
];

/** Per page: the paths it may live at. Index 0 is its home; 1 keeps the slug (another department); 2 changes it. */
export const PAGE_PATHS: readonly (readonly string[])[] = [
  [
    'handbook/job-families/security/security-engineer.md',
    'handbook/job-families/engineering/security-engineer.md',
    'handbook/job-families/security/product-security-engineer.md',
  ],
  [
    'handbook/job-families/security/threat-management.md',
    'handbook/job-families/engineering/threat-management.md',
    'handbook/job-families/security/threat-operations.md',
  ],
  [
    'handbook/job-families/people/people-operations.md',
    'handbook/job-families/people-group/people-operations.md',
    'handbook/job-families/people/people-experience.md',
  ],
];

/** The hiring stage each step is, as a recruiter reads it (the bot's built-in stage patterns must agree). */
export const STEP_STAGE: Readonly<Record<string, string>> = {
  [STEP.screening]: 'screening',
  [STEP.manager]: 'hiring-manager',
  [STEP.technical]: 'team-interviews',
  [STEP.executive]: 'executive',
  [STEP.offer]: 'offer',
  [STEP.peopleScreening]: 'screening',
  [STEP.director]: 'hiring-manager',
};

/** The `job-family::` slug of each path of PAGE_PATHS (the folder under the department, or the file name). */
export const PAGE_SLUGS: readonly (readonly string[])[] = [
  ['security-engineer', 'security-engineer', 'product-security-engineer'],
  ['threat-management', 'threat-management', 'threat-operations'],
  ['people-operations', 'people-operations', 'people-experience'],
];

/**
 * Recruiting issues filed once the pages are synced, each on a stage of its page's first version that
 * a later version drops (page 0: team-interviews; page 2: hiring-manager) or keeps (page 1: executive).
 */
export const RECRUITING_ISSUES: ReadonlyArray<{ page: number; title: string; stage: string }> = [
  { page: 0, title: 'Security Engineer — Candidate 1', stage: 'team-interviews' },
  { page: 1, title: 'Manager, Threat Management — Candidate 2', stage: 'executive' },
  { page: 2, title: 'People Operations Specialist — Candidate 3', stage: 'hiring-manager' },
];
