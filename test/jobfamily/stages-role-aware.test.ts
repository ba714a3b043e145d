import { describe, expect, it } from 'vitest';
import { classifyStep, stageProcess, type StageContext } from '../../src/jobfamily/stages.js';
import { namesManager, reportingLine } from '../../src/jobfamily/reporting-line.js';
import { parsePage } from '../../src/jobfamily/parse.js';

/** The context of a role whose page says "The <role> reports to the <manager>." */
function role(name: string, reportsTo?: string): StageContext {
  const line = reportsTo ? reportingLine(`The ${name} reports to the ${reportsTo}.`) : undefined;
  if (reportsTo && !line) throw new Error(`no reporting line read from "${reportsTo}"`);
  return line ? { role: name, reportsTo: line } : { role: name };
}

const page = (...lines: string[]): ReturnType<typeof parsePage> => parsePage(['---', 'title: Test', '---', ...lines].join('\n'), 'test.md');

describe('who the hiring manager is: the reporting line and the role level, not the title alone', () => {
  it('stages the named hiring manager as hiring-manager even when a VP is named in passing', () => {
    const text = '60 minute interview with the hiring manager for the role (VP of Customer Support)';
    expect(classifyStep(text, undefined, role('Director, Customer Support', 'VP of Customer Support'))).toBe('hiring-manager');
    expect(classifyStep(text, undefined, role('Support Engineer'))).toBe('hiring-manager');
  });

  it('stages the skip manager as executive', () => {
    expect(
      classifyStep(
        "Interview with the skip manager (hiring manager's manager)",
        undefined,
        role('Senior Support Engineer', 'Manager, Support'),
      ),
    ).toBe('executive');
    expect(classifyStep('A 30 minute skip-level interview', undefined, role('Backend Engineer'))).toBe('executive');
  });

  it('stages a Director closing the process of an individual contributor as executive', () => {
    const steps = [
      'Qualified candidates will be invited to schedule a 30 minute screening call with one of our Global Recruiters.',
      'Next, candidates will be invited to schedule 1 or 2 50-minute interviews with Application Security team member peers.',
      'Then, candidates will be invited to schedule a 50-minute interview with the Application Security team hiring manager.',
      'Finally, candidates will be invited to schedule a 30-minute interview with the Director, Security Engineering & Research.',
    ];
    expect(stageProcess(steps, role('Application Security Engineer (Intermediate)', 'Security Manager, Application Security'))).toEqual([
      'screening',
      'team-interviews',
      'hiring-manager',
      'executive',
    ]);
  });

  it('stages the VP a Director role reports to as hiring-manager, and the level above as executive', () => {
    const steps = [
      'Selected candidates will be invited to schedule a 30 minute screening call with one of our Technical Recruiters',
      'Next, candidates will be invited to schedule a 60 minute first interview with a VP of Development',
      'Next, candidates will be invited to schedule a 45 minute second interview with a Director, Engineering',
      'Next, candidates will be invited to schedule a 45 minute fifth interview with the Chief Technology Officer',
      'Finally, candidates may be asked to schedule a 50 minute final interview with our CEO',
    ];
    expect(stageProcess(steps, role('Director, Engineering'))).toEqual([
      'screening',
      'hiring-manager',
      'team-interviews',
      'executive',
      'executive',
    ]);
    expect(stageProcess(steps, role('Director, Engineering', 'VP of Development'))).toEqual([
      'screening',
      'hiring-manager',
      'team-interviews',
      'executive',
      'executive',
    ]);
  });

  it('stages the same Director interview by the role: hiring manager of a Director of Events, above a coordinator’s manager', () => {
    const text = 'Candidates will be invited to a 50 minute interview with the VP, Integrated Marketing';
    expect(classifyStep(text, undefined, role('Director, Corporate Events', 'VP, Integrated Marketing'))).toBe('hiring-manager');
    expect(classifyStep(text, undefined, role('Corporate Events Coordinator', 'Manager, Corporate Events'))).toBe('executive');
  });

  it('stages the CEO as the hiring manager of a C-level officer, the board as executive, other officers as peers', () => {
    const steps = [
      '30 minute screen call with Recruiter',
      '50 minute interview with CEO',
      'Interviews with members of E-Group',
      'Interviews with members of the Board',
      '50 minute interview with CEO',
    ];
    expect(stageProcess(steps, role('Chief Information Security Officer', 'CEO'))).toEqual([
      'screening',
      'hiring-manager',
      'team-interviews',
      'executive',
      'hiring-manager',
    ]);
  });

  it('reads "Trust and Safety Manager" as the Manager, Trust and Safety the role reports to, and a senior title of the same function as not', () => {
    const analyst = role('Security Analyst, Trust and Safety (Intermediate)', 'Manager, Trust and Safety');
    expect(
      classifyStep('Next, candidates will be invited to schedule an interview with Trust and Safety Manager', undefined, analyst),
    ).toBe('hiring-manager');
    const writer = role('Technical Writer (Intermediate)', 'Manager, Technical Writing');
    expect(classifyStep("Finally, you'll meet our Senior Manager, Technical Writing for a 50-minute interview.", undefined, writer)).toBe(
      'executive',
    );
  });
});

describe('peers named by job title', () => {
  it.each([
    [
      'A 30 minute interview with future co-worker/s (Marketing Operations Manager)',
      role('Marketing Operations Manager', 'Director, Marketing Operations'),
    ],
    [
      'Next, candidates will be invited to schedule an interview with Senior Security Incident Response Team Engineer',
      role('Security Incident Response Team Engineer', 'Manager, SIRT'),
    ],
    ['Product Designer interview (50 minutes)', role('Senior Product Designer', 'Product Design Manager')],
    [
      'Next, candidates will be invited to schedule a 90 minute technical interview with one of our Backend Engineers',
      role('Backend Engineer', 'Backend Engineering Manager'),
    ],
  ])('%s → team-interviews', (text, context) => {
    expect(classifyStep(text, undefined, context)).toBe('team-interviews');
  });
});

describe('assessments without the word "assessment"', () => {
  it.each([
    'Next, candidates will be asked to complete a project',
    'Candidates will be asked to share examples from their portfolio',
    'Then, candidates will give a presentation to the team',
    'Candidates will walk through a case study',
    'Next, qualified candidates will be asked to supply a writing sample',
    'Then, candidates will be required to deliver a demo of GitLab to a panel of Customer Success attendees using the Demo Guide.',
  ])('%s → assessment', (text) => {
    expect(classifyStep(text, undefined, role('Senior Technical Writer', 'Manager, Technical Writing'))).toBe('assessment');
  });

  it('lets the interviewer decide when the exercise comes after the interview in the sentence', () => {
    expect(
      classifyStep('Video Interview with the Hiring Manager to outline take home assignment.', undefined, role('Senior Practice Engineer')),
    ).toBe('hiring-manager');
    expect(
      classifyStep(
        'If you successfully pass the screening call, you will be invited to schedule a 50-minute interview with our Technical Writing Manager.',
        undefined,
        role('Technical Writer (Intermediate)', 'Manager, Technical Writing'),
      ),
    ).toBe('hiring-manager');
  });
});

describe('lines that are not steps', () => {
  it.each(['Next, candidates will move to the first round of interviews.', 'Candidates will need an SSH key pair installed locally.'])(
    '%s → other',
    (text) => {
      expect(classifyStep(text, undefined, role('Support Engineer'))).toBe('other');
    },
  );

  it('reads a sub-bullet under a step as its description, and under a label as a step', () => {
    const p = page(
      '## Support Engineer',
      'Grade 6.',
      '## Hiring Process',
      '- 90-Minute Technical Interview with a member of the Support team.',
      '  - The Technical Interview will involve live break-fix scenarios.',
      '- Next, candidates will be invited to a series of interviews that may include:',
      '  - At least one member of the support team',
    );
    expect(p.hiringProcess.map((s) => [s.text, s.stage, s.line])).toEqual([
      ['90-Minute Technical Interview with a member of the Support team.', 'team-interviews', 7],
      ['At least one member of the support team', 'team-interviews', 10],
    ]);
  });
});

describe('reporting lines', () => {
  it('reads the manager from the ways pages say it', () => {
    expect(reportingLine('This position reports to the Manager, Red Team role at GitLab.')?.text).toBe('Manager, Red Team');
    expect(
      reportingLine('The Director, Internal Audit reports directly to the chairman of the audit committee with a dotted line to the PAO.')
        ?.text,
    ).toBe('chairman of the audit committee');
    expect(
      reportingLine('Reporting to the Principal Accounting Officer, the Corporate Controller enhances financial controls.')?.text,
    ).toBe('Principal Accounting Officer');
    expect(reportingLine('The Pricing Analyst reports to the Sr. Director of Pricing.')?.text).toBe('Sr Director of Pricing');
    // "… and report to", with the manager's title as a link (the corpus' data-science page).
    expect(
      reportingLine(
        'Data Scientists are a part of the [Data Team](/handbook/data-team/) and report to the [Director/ Sr. Director, Data & Analytics](/job-families/finance/dir-data-and-analytics/).',
      )?.text,
    ).toBe('Director/ Sr Director, Data & Analytics');
    // A duty, not the role's line.
    expect(reportingLine('This includes developing the audit scope and reporting to the audit committee.')).toBeUndefined();
    expect(reportingLine('Report to management on payroll issues and changes')).toBeUndefined();
  });

  it('matches the manager by their words close together, acronyms of officers, and shared functions', () => {
    const cpo = reportingLine('The VP reports to the Chief People Officer.');
    expect(cpo && namesManager('Candidates will have a 50 minute interview with the CPO', cpo)).toBe(true);
    const either = reportingLine('The Demo Architect reports to the Manager or Director, Solutions Architect.');
    expect(either && namesManager('an interview with a Demo Architect peer or other SA team Manager or Director', either)).toBe(false);
    expect(either && namesManager('an interview with the Manager, Solutions Architect', either)).toBe(true);
  });
});

describe('heading steps and processes attached to their role', () => {
  it('keeps steps written as headings named like asides ("### References")', () => {
    const p = page(
      '## Engineer',
      'Grade 6.',
      '## Hiring Process',
      '### Recruiter Screening',
      'A call.',
      '### Technical interview',
      'With an engineer.',
      '### References',
      'We call two of them.',
      '### Offer',
      'By email.',
    );
    expect(p.roles[0]?.hiringProcess.map((s) => [s.text, s.stage, s.line])).toEqual([
      ['Recruiter Screening', 'screening', 7],
      ['Technical interview', 'team-interviews', 9],
      ['References', 'references', 11],
      ['Offer', 'offer', 13],
    ]);
  });

  it('gives each role the process that follows it when the page is built role / process / role / process', () => {
    const p = page(
      '## Levels',
      '### Analyst',
      'The Analyst is a grade 6. The Analyst reports to the Manager, Data.',
      '### Hiring Process',
      '- Screening call with a recruiter',
      '- Interview with the Manager, Data',
      '### Manager, Data',
      'The Manager, Data is a grade 8. The Manager, Data reports to the Director, Data.',
      '### Hiring Process',
      '- Screening call with a recruiter',
      '- Interview with the Director, Data',
      '- Interview with the VP of Finance',
    );
    expect(p.hiringProcess).toEqual([]);
    expect(p.roles.map((r) => [r.name, r.hiringProcess.map((s) => [s.stage, s.line]), r.hiringProcessInherited])).toEqual([
      [
        'Analyst',
        [
          ['screening', 8],
          ['hiring-manager', 9],
        ],
        false,
      ],
      [
        'Manager, Data',
        [
          ['screening', 13],
          ['hiring-manager', 14],
          ['executive', 15],
        ],
        false,
      ],
    ]);
  });

  it('gives roles without a process of their own the family’s, when the processes follow the last role', () => {
    const p = page(
      '## Field Marketing Coordinator',
      'The Field Marketing Coordinator is a grade 5.',
      '## Field Marketing Specialist',
      'The Field Marketing Specialist is a grade 6.',
      '## Senior Field Marketing Specialist',
      'The Senior Field Marketing Specialist is a grade 7.',
      '### Hiring Process for North America',
      '- Selected candidates will be invited to schedule a screening call with our Global Recruiters.',
      '- Next, candidates will be invited to schedule a first interview with the Manager, Field Marketing North America.',
      '### Hiring Process for EMEA',
      '- Selected candidates will be invited to schedule a screening call with our Global Recruiters.',
      '- Next, candidates will be invited to schedule a first interview with the Manager, Field Marketing EMEA.',
    );
    expect(p.roles.map((r) => [r.name, r.hiringProcess.map((s) => [s.stage, s.line]), r.hiringProcessInherited])).toEqual([
      [
        'Field Marketing Coordinator',
        [
          ['screening', 14],
          ['hiring-manager', 15],
        ],
        true,
      ],
      [
        'Field Marketing Specialist',
        [
          ['screening', 14],
          ['hiring-manager', 15],
        ],
        true,
      ],
      [
        'Senior Field Marketing Specialist',
        [
          ['screening', 11],
          ['hiring-manager', 12],
        ],
        false,
      ],
    ]);
    expect(p.problems.filter((problem) => problem.code === 'role-without-hiring-process')).toEqual([]);
  });

  it('keeps the family’s process to one section: a second one after the last role is not used, with a warning', () => {
    const p = page(
      '## Analyst',
      'The Analyst is a grade 6.',
      '## Senior Analyst',
      'The Senior Analyst is a grade 7.',
      '## Hiring Process',
      '- Screening call with a recruiter',
      '- Interview with the hiring manager',
      '## Hiring Process (EMEA)',
      '- Screening call with a recruiter in EMEA',
    );
    expect(p.roles.map((r) => [r.name, r.hiringProcess.map((s) => s.line), r.hiringProcessInherited])).toEqual([
      ['Analyst', [9, 10], true],
      ['Senior Analyst', [9, 10], true],
    ]);
    expect(
      p.problems.filter((problem) => problem.code === 'duplicate-hiring-process').map((problem) => [problem.line, problem.message]),
    ).toEqual([
      [
        11,
        'the section "Hiring Process (EMEA)" is a second hiring process for roles that have none of their own (the first starts on line 9) and is not used: write it right after the role it is for, or merge the two',
      ],
    ]);
  });

  it('gives managers the steps written for managers and individual contributors theirs', () => {
    const p = page(
      '## Levels',
      '### Backend Engineer',
      'The Backend Engineer is a grade 6.',
      '### Backend Engineering Manager',
      'The Backend Engineering Manager is a grade 8.',
      '## Hiring Process',
      'For Individual Contributors:',
      '- Next, candidates will be invited to schedule a 90 minute technical interview with one of our Backend Engineers',
      '- Next, candidates will be invited to schedule a 60 minute interview with one of our Backend Engineering Managers',
      'For Managers:',
      '- Next, candidates will be invited to schedule a 60 minute first interview with a Director of Engineering',
      '- Next, candidates will be invited to schedule a 45 minute second peer interview with an Engineering Manager',
    );
    expect(p.roles.map((r) => [r.name, r.hiringProcess.map((s) => [s.stage, s.line])])).toEqual([
      [
        'Backend Engineer',
        [
          ['team-interviews', 11],
          ['hiring-manager', 12],
        ],
      ],
      [
        'Backend Engineering Manager',
        [
          ['hiring-manager', 14],
          ['team-interviews', 15],
        ],
      ],
    ]);
  });
});
