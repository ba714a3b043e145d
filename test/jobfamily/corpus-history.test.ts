import { describe, expect, it } from 'vitest';
import { parsePage } from '../../src/jobfamily/parse.js';
import type { JobFamilyPage } from '../../src/jobfamily/model.js';
import { historyPair } from '../support/pages.js';

/**
 * The five real before/after pairs: what differs between the versions at the parse level (the
 * semantic diff builds on exactly these fields).
 */

function parsePair(fragment: string): { before: JobFamilyPage; after: JobFamilyPage } {
  const pair = historyPair(fragment);
  return { before: parsePage(pair.before.source, pair.before.name), after: parsePage(pair.after.source, pair.after.name) };
}

const grades = (page: JobFamilyPage): [string, number | null][] => page.roles.map((r) => [r.name, r.grade]);
const stages = (page: JobFamilyPage): string[] => page.hiringProcess.map((s) => s.stage);

describe('history: product marketing manager (grades lowered, a specialization removed)', () => {
  const { before, after } = parsePair('product-marketing-manager');

  it('reads the three levels with their grades before and after: 8→7, 9→8, 9.5→9', () => {
    expect(grades(before)).toEqual([
      ['Product Marketing Manager', 8],
      ['Senior Product Marketing Manager', 9],
      ['Principal Product Marketing Manager', 9.5],
    ]);
    expect(grades(after)).toEqual([
      ['Product Marketing Manager', 7],
      ['Senior Product Marketing Manager', 8],
      ['Principal Product Marketing Manager', 9],
    ]);
  });

  it('takes the first level from the page-level "Job Grade" above the role headings, named after the page', () => {
    const [first] = before.roles;
    expect(first?.line).toBe(14);
    expect(first?.responsibilities).toHaveLength(14);
    expect(first?.requirements).toHaveLength(12);
    expect(before.responsibilities).toEqual([]);
  });

  it('loses the "Partner and Channel Marketing" specialization (and the empty section it had)', () => {
    const names = (page: JobFamilyPage): string[] => (page.specialties ?? []).map((s) => s.name);
    expect(names(before)).toContain('Partner and Channel Marketing');
    expect(names(after)).not.toContain('Partner and Channel Marketing');
    expect(names(before).filter((name) => !names(after).includes(name))).toEqual(['Partner and Channel Marketing']);
    expect(names(after)).toHaveLength(10);
    expect(before.problems.map((p) => [p.code, p.line])).toEqual([['empty-section', 305]]);
    expect(after.problems).toEqual([]);
  });

  it('keeps the same hiring process (8 steps), only its lines move', () => {
    expect(stages(before)).toEqual(stages(after));
    expect(before.hiringProcess.map((s) => s.text)).toEqual(after.hiringProcess.map((s) => s.text));
    expect(before.hiringProcess[0]?.line).toBe(391);
    expect(after.hiringProcess[0]?.line).toBe(363);
  });
});

describe('history: product management leadership (one grade changed)', () => {
  const { before, after } = parsePair('product-management-leadership');

  it('changes only the Group Manager grade, 9.5 → 9', () => {
    const expected = (gmp: number): [string, number][] => [
      ['Group Manager, Product (GMP)', gmp],
      ['Director of Product Management', 10],
      ['Senior Director of Product Management', 11],
      ['VP of Product', 12],
      ['Senior Director of Product Monetization', 11],
    ];
    expect(grades(before)).toEqual(expected(9.5));
    expect(grades(after)).toEqual(expected(9));
  });

  it('gives every level its own hiring process, identical in both versions', () => {
    expect(before.roles.map((r) => [r.hiringProcess.length, r.hiringProcessInherited])).toEqual([
      [6, false],
      [8, false],
      [8, false],
      [7, false],
      [7, false],
    ]);
    expect(after.roles.map((r) => r.hiringProcess.map((s) => s.text))).toEqual(before.roles.map((r) => r.hiringProcess.map((s) => s.text)));
  });
});

describe('history: corporate development (a hiring section added)', () => {
  const { before, after } = parsePair('corporate-development');

  it('has the same five graded roles in both versions', () => {
    const expected: [string, number][] = [
      ['Analyst, Corporate Development', 6],
      ['Corporate Development Manager', 8],
      ['Senior Corporate Development Manager', 9],
      ['Director, Corporate Development', 10],
      ['Senior Director of Corporate Development', 11],
    ];
    expect(grades(before)).toEqual(expected);
    expect(grades(after)).toEqual(expected);
  });

  it('has no hiring process before (a warning per role) and six inherited steps after', () => {
    expect(before.hiringProcess).toEqual([]);
    expect(before.roles.every((r) => r.hiringProcess.length === 0 && !r.hiringProcessInherited)).toBe(true);
    expect(before.problems.map((p) => [p.code, p.line])).toEqual([
      ['role-without-hiring-process', 8],
      ['role-without-hiring-process', 45],
      ['role-without-hiring-process', 83],
      ['role-without-hiring-process', 127],
      ['role-without-hiring-process', 168],
    ]);

    // The hiring manager is the Sr. Director: the Director of Product and the Senior Director of
    // Legal are cross-functional interviews, the Chief Legal Officer is above.
    expect(after.hiringProcess.map((s) => [s.stage, s.line])).toEqual([
      ['screening', 223],
      ['hiring-manager', 224],
      ['team-interviews', 225],
      ['team-interviews', 226],
      ['executive', 227],
      ['offer', 228],
    ]);
    expect(after.hiringProcess[1]?.text).toBe(
      'Candidates will then be invited to schedule an interview with the Hiring Manager (Sr. Director of Corporate Development).',
    );
    const texts = (steps: readonly { text: string; line: number }[]): string[] => steps.map((s) => `${s.line}: ${s.text}`);
    expect(
      after.roles.every((r) => r.hiringProcessInherited && texts(r.hiringProcess).join('\n') === texts(after.hiringProcess).join('\n')),
    ).toBe(true);
    expect(after.problems).toEqual([]);
  });
});

describe('history: legal counsel (hiring process edited)', () => {
  const { before, after } = parsePair('legal-counsel');

  it('keeps the six roles and grades', () => {
    const expected: [string, number][] = [
      ['Associate Legal Counsel', 5],
      ['Legal Counsel', 6],
      ['Senior Legal Counsel', 7],
      ['Lead Legal Counsel', 8],
      ['Manager, Lead Legal Counsel', 8],
      ['Principal Legal Counsel', 9],
    ];
    expect(grades(before)).toEqual(expected);
    expect(grades(after)).toEqual(expected);
  });

  it('goes from five steps to six: a hiring-manager interview is added', () => {
    // Before, "*Next, …" lost its list marker's space: still a step of its own. Legal Counsel
    // reports to the Director, Legal: the Director of Legal is the hiring manager.
    expect(before.hiringProcess.map((s) => [s.stage, s.text])).toEqual([
      ['screening', 'Selected candidates will be invited to schedule a 30-minute screening call with our Global Recruiters'],
      ['hiring-manager', 'Next, candidates will be invited to schedule an interview with our Director of Legal, Privacy and Product'],
      ['team-interviews', 'Next, candidates will be invited to schedule with additional team members of the legal department'],
      ['executive', 'Next, candidates will be invited to schedule an interview with our Chief Legal Officer'],
      [
        'team-interviews',
        'Finally, candidates may be invited to schedule interviews with Directors or team members in relevant functional areas',
      ],
    ]);
    expect(after.hiringProcess.map((s) => [s.stage, s.text])).toEqual([
      ['screening', 'Selected candidates will be invited to schedule a 30-minute screening call with our Global Recruiters.'],
      ['hiring-manager', 'Next, candidates will be invited to schedule an interview with the hiring manager.'],
      ['hiring-manager', 'Next, candidates will be invited to schedule an interview with the Director of Legal for the functional area.'],
      ['team-interviews', 'Next, candidates will be invited to schedule with additional team members of Legal and Corporate Affairs.'],
      ['executive', 'Next, candidates will be invited to schedule an interview with our Chief Legal Officer (as applicable).'],
      [
        'team-interviews',
        'Finally, candidates may be invited to schedule interviews with Directors or team members in relevant functional areas.',
      ],
    ]);
    expect(before.roles.every((r) => r.hiringProcessInherited && r.hiringProcess.length === 5)).toBe(true);
    expect(after.roles.every((r) => r.hiringProcessInherited && r.hiringProcess.length === 6)).toBe(true);
  });
});

describe('history: data science (hiring process reordered, indicators reworded)', () => {
  const { before, after } = parsePair('data-science');

  it('keeps the four levels, including those written under "Career Ladder"', () => {
    const expected: [string, number][] = [
      ['Data Scientist (Intermediate)', 6],
      ['Senior Data Scientist', 7],
      ['Staff Data Scientist', 8],
      ['Principal Data Scientist', 9],
    ];
    expect(grades(before)).toEqual(expected);
    expect(grades(after)).toEqual(expected);
  });

  it('reorders the interviews: the Senior Director moves from first to last', () => {
    // The short questionnaire is the recruiters' first filter; data scientists "report to the
    // [Director/ Sr. Director, Data & Analytics]", so that interview is the hiring manager's; the
    // business division DRI is a cross-functional partner.
    expect(stages(before)).toEqual(['screening', 'screening', 'hiring-manager', 'team-interviews', 'team-interviews', 'team-interviews']);
    expect(stages(after)).toEqual(['screening', 'screening', 'team-interviews', 'team-interviews', 'team-interviews', 'hiring-manager']);
    expect(before.hiringProcess[2]?.text).toBe(
      'Next, candidates will be invited to schedule a first interview with our Senior Director, Data and Analytics',
    );
    expect(after.hiringProcess[5]?.text).toBe(
      'Next, candidates will be invited to schedule an interview with the Senior Director, Data and Analytics',
    );
  });

  it('rewords two performance indicators of the Principal level', () => {
    const names = (page: JobFamilyPage): string[] => page.performanceIndicators.map((i) => i.name);
    // Before, "* # of …" is a heading inside a bullet; its text is kept as the item.
    expect(names(before).slice(-2)).toEqual([
      'of Business Functions which achieve Level 4 of the Data Capability Model',
      'E-Group Customer Satisfaction Score (CSAT)',
    ]);
    expect(names(after).slice(-2)).toEqual([
      'Number of Business Functions which achieve Level 4 of the Data Capability Model',
      'E-Group Customer Satisfaction Score (CSAT) of 4 or higher',
    ]);
    expect(names(before).slice(0, -2)).toEqual(names(after).slice(0, -2));
    expect(after.performanceIndicators.at(-1)).toEqual({
      name: 'E-Group Customer Satisfaction Score (CSAT) of 4 or higher',
      url: 'https://en.wikipedia.org/wiki/Customer_satisfaction',
      line: 173,
    });
  });
});
