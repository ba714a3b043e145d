import { describe, expect, it } from 'vitest';
import { parsePage } from '../../src/jobfamily/parse.js';
import type { JobFamilyPage } from '../../src/jobfamily/model.js';

/** A page with front matter; `lines` are the body, starting on file line 5. */
function page(title: string, ...lines: string[]): JobFamilyPage {
  return parsePage(['---', `title: "${title}"`, 'description: "Test page"', '---', ...lines].join('\n'), 'test.md');
}

const codes = (p: JobFamilyPage): [string, number][] => p.problems.map((problem) => [problem.code, problem.line]);

const HIRING = [
  '## Hiring Process',
  '',
  'Candidates for this position can expect the hiring process to follow the order below. Please keep in mind that candidates can be declined from the position at any stage of the process.',
  '',
  '1. Qualified candidates will be invited to schedule a 30 minute [screening call](/handbook/hiring/#screening-call) with one of our Global Recruiters.',
  '1. Next, candidates will be invited to schedule a first interview with the Hiring Manager.',
  '1. Successful candidates will subsequently be made an offer via email.',
  '',
  'Additional details about our process can be found on our [hiring page](/handbook/hiring/).',
];

describe('grades', () => {
  it('reads every way pages write a grade', () => {
    const p = page(
      'Grades',
      '## Levels',
      '### Linked',
      'The Linked is a [grade 9](/handbook/total-rewards/#gitlab-job-grades).',
      '### Plain',
      'As with other roles this is a grade 8',
      '### Half',
      '#### Half Job Grade',
      'The Half is a [grade 9.5](/grades).',
      '### Colon',
      'Job Grade: 10',
      '### Hash',
      'The Hash is a [grade #11](/grades).',
      '### Worded',
      'The Worded is a job grade [level 7](/grades).',
      '### Bracketed',
      'The Bracketed is a grade [6].',
      '### Bare Number',
      '#### Job Grade',
      'The Bare Number is a [5](/grades).',
      '### Emphasised',
      '**Grade 12:** for this level.',
    );
    expect(p.roles.map((r) => [r.name, r.grade])).toEqual([
      ['Linked', 9],
      ['Plain', 8],
      ['Half', 9.5],
      ['Colon', 10],
      ['Hash', 11],
      ['Worded', 7],
      ['Bracketed', 6],
      ['Bare Number', 5],
      ['Emphasised', 12],
    ]);
  });

  it('takes the first grade of the role section when several are mentioned', () => {
    const p = page(
      'Chief of Staff',
      '### Chief of Staff to the CFO',
      '#### Job Grade',
      'The Chief of Staff to the CFO can be a [grade 11 or a grade 12](/grades)',
    );
    expect(p.roles.map((r) => [r.name, r.grade])).toEqual([['Chief of Staff to the CFO', 11]]);
  });

  it('gives null without a problem to a role that "does not have a grade", but warns about an ungraded role', () => {
    const p = page(
      'Security',
      '## Levels',
      '### Security Engineer',
      'The Security Engineer is a grade 6.',
      '### Facility Security Officer',
      '- Screens security candidates',
      '',
      'Please note: The FSO does not have a grade internally at GitLab.',
      '### Recruiting Intern',
      'The Recruiting Intern is not aligned to a job [grade](/grades).',
      '### Senior Security Engineer',
      '- Leads projects',
      ...HIRING,
    );
    expect(p.roles.map((r) => [r.name, r.grade])).toEqual([
      ['Security Engineer', 6],
      ['Facility Security Officer', null],
      ['Recruiting Intern', null],
      ['Senior Security Engineer', null],
    ]);
    expect(codes(p)).toEqual([['role-without-grade', 14]]);
    // Bullets right under a role heading stand for its responsibilities.
    expect(p.roles[1]?.responsibilities).toEqual(['Screens security candidates']);
  });

  it('falls back to a "| Role | Grade |" table for roles whose section has no grade', () => {
    const p = page(
      'Tables',
      '## Levels',
      '| Role | Grade |',
      '| --- | --- |',
      '| [Associate Architect](#associate-architect) | [Grade 5](/grades) |',
      '| Senior Architect | 7 |',
      '',
      '### Associate Architect',
      '#### Responsibilities',
      '- Design',
      '### Senior Architect',
      '#### Responsibilities',
      '- Design more',
    );
    expect(p.roles.map((r) => [r.name, r.grade])).toEqual([
      ['Associate Architect', 5],
      ['Senior Architect', 7],
    ]);
  });

  it('does not take a role grade from another role written in a table or from "upgrade"', () => {
    const p = page('Upgrade', '## Support Engineer', '### Responsibilities', '- Upgrade 3 instances a day', '- Handle grades of tickets');
    expect(p.roles.map((r) => [r.name, r.grade])).toEqual([['Support Engineer', null]]);
    expect(codes(p)).toEqual([['role-without-hiring-process', 5]]);
  });
});

describe('roles', () => {
  it('finds "##" roles without a Levels section, with parts written as their children', () => {
    const p = page(
      'Accounting',
      '## Accountant',
      '### Job Grade',
      'The Accountant is a [grade 6](/g).',
      '### Responsibilities',
      '- Close the books',
      '### Requirements',
      '- CPA',
      '## Senior Accountant',
      '### Job Grade',
      'The Senior Accountant is a [grade 7](/g).',
      '### Responsibilities',
      '- Review the books',
      ...HIRING,
    );
    expect(p.roles.map((r) => [r.name, r.grade, r.line, r.responsibilities, r.requirements])).toEqual([
      ['Accountant', 6, 5, ['Close the books'], ['CPA']],
      ['Senior Accountant', 7, 12, ['Review the books'], []],
    ]);
    expect(p.responsibilities).toEqual([]);
    expect(p.problems).toEqual([]);
  });

  it('gives a role the sections written after it as siblings, until another heading intervenes', () => {
    const p = page(
      'Threats',
      '## Team Roles and Responsibilities',
      '- Own the strategy',
      '## Manager, Threats',
      'This position reports to the Director. This is a grade 8',
      '## Responsibilities',
      '- Track quarterly goals (OKRs)',
      '## Qualifications',
      '- Cloud experience',
      '## Tools',
      'We use GitLab.',
      '## Requirements',
      '- Page-level requirement? No: still the open role until another role or plain heading.',
    );
    const [role] = p.roles;
    expect(role?.name).toBe('Manager, Threats');
    expect(role?.grade).toBe(8);
    expect(role?.responsibilities).toEqual(['Track quarterly goals (OKRs)']);
    expect(role?.requirements).toEqual(['Cloud experience']);
    expect(p.responsibilities).toEqual(['Own the strategy']);
    expect(p.okrs).toEqual(['Track quarterly goals (OKRs)']);
  });

  it('treats headings with responsibilities but no grade above graded roles as the family description', () => {
    const p = page(
      'Service Desk',
      '## Service Desk Analyst',
      '### Responsibilities',
      '- Triage questions',
      '### Requirements',
      '- A degree',
      '## Levels',
      '### Service Desk Analyst (Intermediate)',
      '#### Job Grade',
      'The Service Desk Analyst is a [grade 6](/g).',
      '#### Responsibilities',
      '- Extends the family responsibilities',
      ...HIRING,
    );
    expect(p.roles.map((r) => [r.name, r.grade])).toEqual([['Service Desk Analyst (Intermediate)', 6]]);
    expect(p.responsibilities).toEqual(['Triage questions']);
    expect(p.requirements).toEqual(['A degree']);
  });

  it('keeps headings with responsibilities as roles on a page without grades', () => {
    const p = page(
      'Field CTO',
      '# Field CTO Job Family',
      '## Field CTO',
      '### Responsibilities',
      '- Advise customers',
      '## Director, Field CTO',
      '### Responsibilities',
      '- Lead the Field CTOs',
    );
    expect(p.roles.map((r) => [r.name, r.grade, r.responsibilities])).toEqual([
      ['Field CTO', null, ['Advise customers']],
      ['Director, Field CTO', null, ['Lead the Field CTOs']],
    ]);
    // No role has a grade, so none is warned about it.
    expect(p.problems.map((x) => x.code)).toEqual(['role-without-hiring-process', 'role-without-hiring-process']);
  });

  it('reads a page without role headings as one role named after the page', () => {
    const p = page(
      'Principal Engineer Roles',
      '## Job Grade',
      'The Principal Engineer is a [grade 9](/g).',
      '## Responsibilities',
      '- Shape the architecture',
      ...HIRING,
    );
    expect(p.roles.map((r) => [r.name, r.grade, r.line, r.responsibilities])).toEqual([
      ['Principal Engineer', 9, 5, ['Shape the architecture']],
    ]);
    expect(p.responsibilities).toEqual([]);
    expect(p.roles[0]?.hiringProcessInherited).toBe(true);
  });

  it('finds roles written under "Career Ladder" or "Performance Indicators" by mistake', () => {
    const p = page(
      'Data',
      '## Levels',
      '### Data Scientist',
      '#### Job Grade',
      'The Data Scientist is a [grade 6](/g).',
      '## Career Ladder',
      'Data Scientists move to a grade 8 or grade 9 role.',
      '### Senior Data Scientist',
      '#### Job Grade',
      'The Senior Data Scientist is a [grade 7](/g).',
      '## Performance Indicators',
      '- [Models shipped](/pi)',
      '### Staff Data Scientist',
      '### Job Grade',
      'The Staff Data Scientist is a [grade 8](/g).',
    );
    expect(p.roles.map((r) => [r.name, r.grade])).toEqual([
      ['Data Scientist', 6],
      ['Senior Data Scientist', 7],
      ['Staff Data Scientist', 8],
    ]);
    expect(p.performanceIndicators).toEqual([{ name: 'Models shipped', url: '/pi', line: 15 }]);
  });

  it('warns about a role described twice, and reads a role heading repeated in a row as one role', () => {
    const p = page(
      'Dup',
      '## ESG Manager',
      '### Job Grade',
      'The ESG Manager is a [grade 7](/g).',
      '## ESG Manager',
      '### Responsibilities',
      '- Report on ESG',
      '## Analyst',
      'The Analyst is a grade 5.',
      '## ESG Manager',
      'The ESG Manager is a grade 7.',
      ...HIRING,
    );
    expect(p.roles.map((r) => [r.name, r.line, r.responsibilities])).toEqual([
      ['ESG Manager', 5, ['Report on ESG']],
      ['Analyst', 11, []],
      ['ESG Manager', 13, []],
    ]);
    expect(codes(p)).toEqual([['duplicate-role', 13]]);
  });
});

describe('items', () => {
  it('reads plain text: links become their text, emphasis goes, whitespace collapses, sub-bullets are items', () => {
    const p = page(
      'Items',
      '## Engineer',
      'The Engineer is a grade 6.',
      '### Responsibilities',
      '- **Ship:** features with  `code` and [links](https://example.com)',
      '- Mentor others, for example by',
      '  running *trainings*',
      '  - Write docs',
      '  - Review <b>merge</b> requests',
      '- {Insert responsibilities here}',
    );
    expect(p.roles[0]?.responsibilities).toEqual([
      'Ship: features with code and links',
      'Mentor others, for example by running trainings',
      'Write docs',
      'Review merge requests',
    ]);
  });

  it('reads requirements under their other names and stops at nice-to-haves', () => {
    const p = page(
      'Requirements',
      '## Levels',
      '### A Engineer',
      'Grade 6.',
      '#### Qualifications',
      '- Go',
      '### B Engineer',
      'Grade 7.',
      '#### What you’ll bring',
      'All of the following.',
      '',
      'Must-haves:',
      '',
      '- Rust',
      '',
      'Nice-to-haves',
      'Great candidates have some of these.',
      '',
      '- Zig',
      '#### Nice-to-have Requirements',
      '- Haskell',
    );
    expect(p.roles.map((r) => [r.name, r.requirements])).toEqual([
      ['A Engineer', ['Go']],
      ['B Engineer', ['Rust']],
    ]);
  });

  it('names specialties from role-part headings by dropping the role title and the section word', () => {
    const p = page(
      'Security',
      '## Levels',
      '### Director, Security',
      '#### Director, Security Job Grade',
      'The Director is a grade 10.',
      '##### Director, Security Responsibilities',
      '- Lead',
      '#### Director, Security Assurance Responsibilities',
      '- Certify',
      '#### Director, Security Assurance Requirements',
      '- ISO 27001',
      '#### Director, Product Security Responsibilities',
      '- Secure the product',
      '### Senior Backend Engineer',
      'The Senior Backend Engineer is a grade 7.',
      '#### Senior Responsibilities',
      '- Own features',
      '#### Senior Backend Engineer, Gitaly Requirements',
      '- Git internals',
    );
    const [director, backend] = p.roles;
    expect(director?.responsibilities).toEqual(['Lead']);
    expect(director?.specialties).toEqual([
      { name: 'Security Assurance', responsibilities: ['Certify'], requirements: ['ISO 27001'], line: 11 },
      { name: 'Product Security', responsibilities: ['Secure the product'], requirements: [], line: 15 },
    ]);
    expect(backend?.responsibilities).toEqual(['Own features']);
    expect(backend?.specialties).toEqual([{ name: 'Gitaly', responsibilities: [], requirements: ['Git internals'], line: 21 }]);
  });

  it('keeps family-wide specialties at page level', () => {
    const p = page(
      'Backend',
      '## Levels',
      '### Backend Engineer',
      'The Backend Engineer is a grade 6.',
      '## Specialties',
      '### Gitaly',
      '#### Requirements',
      '- Git',
      '#### Responsibilities',
      '- Scale storage',
      '### Content',
      'The content specialty covers writing.',
      '### Manager, Gitaly',
      '#### Job Grade',
      'The Manager, Gitaly is a grade 8.',
    );
    expect(p.specialties).toEqual([
      { name: 'Gitaly', responsibilities: ['Scale storage'], requirements: ['Git'], line: 9 },
      { name: 'Content', responsibilities: [], requirements: [], line: 14 },
    ]);
    expect(p.roles.map((r) => [r.name, r.grade])).toEqual([
      ['Backend Engineer', 6],
      ['Manager, Gitaly', 8],
    ]);
  });

  it('reports empty sections on their heading line', () => {
    const p = page(
      'Empty',
      '## Engineer',
      'The Engineer is a grade 6.',
      '### Responsibilities',
      '### Requirements',
      '- TBD',
      '## Performance Indicators',
      '',
      ...HIRING,
    );
    expect(codes(p)).toEqual([
      ['empty-section', 7],
      ['empty-section', 8],
      ['empty-section', 10],
    ]);
  });
});

describe('hiring process', () => {
  it('reads a numbered list without its intro and trailer, with stages and lines', () => {
    const p = page('Hire', '## Engineer', 'Grade 6.', ...HIRING);
    expect(p.hiringProcess).toEqual([
      {
        text: 'Qualified candidates will be invited to schedule a 30 minute screening call with one of our Global Recruiters.',
        stage: 'screening',
        line: 11,
      },
      {
        text: 'Next, candidates will be invited to schedule a first interview with the Hiring Manager.',
        stage: 'hiring-manager',
        line: 12,
      },
      { text: 'Successful candidates will subsequently be made an offer via email.', stage: 'offer', line: 13 },
    ]);
    expect(p.roles[0]?.hiringProcess).toEqual(p.hiringProcess);
    expect(p.roles[0]?.hiringProcessInherited).toBe(true);
  });

  it('reads "### Step N" headings and splits lines run into a bullet', () => {
    const steps = page(
      'Steps',
      '## Hiring Process',
      'Candidates can expect the hiring process to follow the order below.',
      '### Step 1: Recruiter Screening Call',
      'A 30 minute call.',
      '### Step 2: Portfolio Review and interview',
      'We review your portfolio.',
      '### Step 3: Team Interviews',
      'You meet the team.',
    );
    expect(steps.hiringProcess.map((s) => [s.text, s.stage, s.line])).toEqual([
      ['Recruiter Screening Call', 'screening', 7],
      ['Portfolio Review and interview', 'assessment', 9],
      ['Team Interviews', 'team-interviews', 11],
    ]);

    const lazy = page(
      'Lazy',
      '## Hiring Process',
      '* Qualified candidates will be invited to a screening call.',
      '* Next, candidates will be invited to a first interview with the Regional Manager',
      'Candidates may be invited to an interview with a peer.',
      'Then, candidates will deliver a demo of GitLab to a panel.',
      '*Next, candidates meet our CEO',
    );
    expect(lazy.hiringProcess.map((s) => [s.stage, s.line])).toEqual([
      ['screening', 6],
      ['hiring-manager', 7],
      ['team-interviews', 8],
      ['assessment', 9],
      ['executive', 10],
    ]);
    expect(lazy.hiringProcess[4]?.text).toBe('Next, candidates meet our CEO');
  });

  it('keeps a wrapped step together', () => {
    const p = page(
      'Wrap',
      '## Hiring Process',
      '- Next, candidates will be invited to schedule an interview with our',
      '  Director of Engineering',
      '- Successful candidates will be made an offer.',
    );
    expect(p.hiringProcess.map((s) => s.text)).toEqual([
      'Next, candidates will be invited to schedule an interview with our Director of Engineering',
      'Successful candidates will be made an offer.',
    ]);
  });

  it('prefers a role’s own process, gives a role without one the family’s, and warns when the family has none', () => {
    const own = page(
      'Own',
      '## Levels',
      '### Manager',
      'Grade 8.',
      '#### Hiring Process',
      '- Interview with the CEO',
      '### Engineer',
      'Grade 6.',
    );
    expect(own.roles.map((r) => [r.name, r.hiringProcess.map((s) => [s.stage, s.line]), r.hiringProcessInherited])).toEqual([
      ['Manager', [['executive', 9]], false],
      ['Engineer', [['executive', 9]], true],
    ]);
    // One process shared by both roles, reported once: it has neither a screening nor an offer step.
    expect(codes(own)).toEqual([
      ['hiring-process-incomplete', 6],
      ['hiring-process-incomplete', 6],
    ]);
    const none = page('None', '## Levels', '### Manager', 'Grade 8.', '### Engineer', 'Grade 6.');
    expect(codes(none)).toEqual([
      ['role-without-hiring-process', 6],
      ['role-without-hiring-process', 8],
    ]);
  });

  it('drops template placeholders', () => {
    const p = page(
      'Template',
      '## Hiring Process',
      '* Candidates will be invited to a screening call',
      '{Insert hiring process steps here.}',
    );
    expect(p.hiringProcess.map((s) => s.text)).toEqual(['Candidates will be invited to a screening call']);
  });
});

describe('performance indicators and OKRs', () => {
  it('names an indicator by its whole item, links by the first url', () => {
    const p = page(
      'PIs',
      '## Performance Indicators',
      '- [IACV](/handbook/sales/#iacv) vs. plan',
      '- Meet assigned quarterly OKRs',
      '### Managers',
      '- [Team Retention](/pi/#retention)',
      '- [IACV](/handbook/sales/#iacv) vs. plan',
    );
    expect(p.performanceIndicators).toEqual([
      { name: 'IACV vs. plan', url: '/handbook/sales/#iacv', line: 6 },
      { name: 'Meet assigned quarterly OKRs', url: null, line: 7 },
      { name: 'Team Retention', url: '/pi/#retention', line: 9 },
    ]);
    // Indicators are not responsibilities, so not OKR items either.
    expect(p.okrs).toEqual([]);
  });

  it('collects OKR responsibilities from page and roles, once each, in page order', () => {
    const p = page(
      'OKRs',
      '## Responsibilities',
      '- Drive quarterly Objectives and Key Results (OKRs)',
      '## Levels',
      '### Manager',
      'Grade 8.',
      '#### Responsibilities',
      '- Own the team OKRs',
      '- Drive quarterly Objectives and Key Results (OKRs)',
      '- Set quarterly goals with the team',
      '- Hire well',
    );
    expect(p.okrs).toEqual(['Drive quarterly Objectives and Key Results (OKRs)', 'Own the team OKRs', 'Set quarterly goals with the team']);
  });
});

describe('outline details', () => {
  it('reads a heading inside a bullet as the bullet’s text', () => {
    const p = page(
      'Bullets',
      '## Performance Indicators',
      '* # of functions at level 4',
      '* Customer satisfaction',
      '## Hiring Process',
      '- Interview with the CFO',
    );
    expect(p.performanceIndicators.map((i) => i.name)).toEqual(['of functions at level 4', 'Customer satisfaction']);
    expect(p.hiringProcess.map((s) => s.stage)).toEqual(['executive']);
  });

  it('ignores code blocks and HTML comments', () => {
    const p = page('Code', '## Engineer', '<!-- The Engineer is a grade 3 -->', '```', 'grade 4', '```', 'The Engineer is a grade 6.');
    expect(p.roles.map((r) => r.grade)).toEqual([6]);
  });
});
