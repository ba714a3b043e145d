import { describe, expect, it } from 'vitest';
import { parsePage } from '../../src/jobfamily/parse.js';
import type { Role } from '../../src/jobfamily/model.js';
import { seed } from '../support/pages.js';

const PI_BASE = 'https://about.gitlab.com/handbook/security/performance-indicators/';

function role(roles: readonly Role[], name: string): Role {
  const found = roles.find((r) => r.name === name);
  if (!found) throw new Error(`no role "${name}" among ${roles.map((r) => r.name).join(', ')}`);
  return found;
}

describe('seed: Security Leadership', () => {
  const page = parsePage(seed('security-leadership.md').source, 'content/job-families/security/security-leadership.md');

  it('reads path, title and description from the front matter', () => {
    expect(page.path).toBe('content/job-families/security/security-leadership.md');
    expect(page.title).toBe('Security Leadership');
    expect(page.description).toBe('Leaders in the security department at GitLab see the team as their product.');
  });

  it('finds exactly the four levels, in order, with their grades and heading lines', () => {
    expect(page.roles.map((r) => [r.name, r.grade, r.line])).toEqual([
      ['Senior Manager, Security', 9, 46],
      ['Director, Security', 10, 88],
      ['Senior Director, Security', 11, 184],
      ['Vice President (VP) of Security', 12, 247],
    ]);
  });

  it('keeps page-level responsibilities and requirements apart from the roles', () => {
    expect(page.responsibilities).toHaveLength(13);
    expect(page.responsibilities[0]).toBe('Drive quarterly Objectives and Key Results (OKRs)');
    expect(page.responsibilities[12]).toBe('Represent the company publicly in media and/or at conferences');
    // Links become their text.
    expect(page.requirements).toEqual([
      'Ability to use GitLab',
      'Exceptional communication skills, including verbal, written, and presentation skills, to a variety of stakeholders',
      'You share our values, and work in accordance with those values',
      'Leadership at GitLab',
    ]);
    // The values list under the intro heading is neither.
    expect(page.responsibilities.join(' ')).not.toContain('Security Principles');
  });

  it('reads the Senior Manager role, its items and its own five-step process', () => {
    const r = role(page.roles, 'Senior Manager, Security');
    expect(r.responsibilities).toHaveLength(11);
    expect(r.responsibilities[0]).toBe('Effectively grow and develop sub-department Security managers and team members');
    expect(r.responsibilities[8]).toBe('Hold regular 1:1s with team managers and skip-level 1:1s with all members of their team');
    expect(r.requirements).toHaveLength(6);
    expect(r.requirements[5]).toBe('Humble, servant leader');
    expect(r.specialties).toEqual([]);
    expect(r.hiringProcessInherited).toBe(false);
    expect(r.hiringProcess.map((s) => [s.stage, s.line])).toEqual([
      ['screening', 81],
      ['hiring-manager', 82],
      ['team-interviews', 83],
      ['executive', 84],
      ['offer', 85],
    ]);
    expect(r.hiringProcess[0]?.text).toBe(
      'Qualified candidates will be invited to schedule a 30 minute screening call with one of our Global Recruiters.',
    );
    // The trailer on the next line ("Additional details about our process…") is not part of the last step.
    expect(r.hiringProcess[4]?.text).toBe('Successful candidates will subsequently be made an offer via email');
  });

  it('reads the Director role: its own items under the h5, four specialties, a six-step process', () => {
    const r = role(page.roles, 'Director, Security');
    // "##### Director, Security Responsibilities" sits under the Job Grade h4 and belongs to the role itself.
    expect(r.responsibilities).toEqual([
      'Proven ability to successfully recruit, manage, motivate and develop high performing teams',
      'Relevant, progressive experience managing information security and engineering teams',
    ]);
    expect(r.requirements).toEqual([]);
    expect(r.specialties.map((s) => [s.name, s.responsibilities.length, s.requirements.length, s.line])).toEqual([
      ['Security Assurance', 7, 1, 101],
      ['Product Security', 9, 1, 115],
      ['Platform Security Engineering', 9, 1, 131],
      ['Security Operations', 12, 4, 147],
    ]);
    const operations = r.specialties[3];
    // Sub-bullets are items of their own; a wrapped item stays one item.
    expect(operations?.responsibilities).toContain('Identify and fill positions');
    expect(operations?.responsibilities).toContain(
      'Grow skills in team leads and team members, for example by creating training and testing materials',
    );
    expect(operations?.requirements[1]).toBe(
      'This position does not require extensive development experience but the candidate should be very familiar with common security libraries, security controls, and common security flaws that apply to Ruby on Rails applications',
    );
    expect(r.hiringProcessInherited).toBe(false);
    // The Director reports to the CISO: both CISO interviews are the hiring manager's.
    expect(r.hiringProcess.map((s) => s.stage)).toEqual([
      'screening',
      'hiring-manager',
      'team-interviews',
      'team-interviews',
      'hiring-manager',
      'offer',
    ]);
    expect(r.hiringProcess[4]).toEqual({
      text: 'Candidates may be requested to meet again with the CISO for a shortened conversation',
      stage: 'hiring-manager',
      line: 180,
    });
    expect(r.hiringProcess[3]?.text).toBe(
      'Candidates will then be invited to schedule 2-3 separate 45-60 minute interviews with cross-functional partners',
    );
  });

  it('reads the Senior Director role with the Security Assurance specialty', () => {
    const r = role(page.roles, 'Senior Director, Security');
    expect(r.responsibilities).toHaveLength(10);
    expect(r.requirements).toHaveLength(6);
    expect(r.specialties.map((s) => [s.name, s.responsibilities.length, s.requirements.length])).toEqual([['Security Assurance', 8, 7]]);
    expect(r.specialties[0]?.requirements[0]).toBe('Superior understanding of the organization’s goals and objectives');
    expect(r.hiringProcess.map((s) => s.stage)).toEqual([
      'screening',
      'hiring-manager',
      'team-interviews',
      'hiring-manager',
      'executive',
      'offer',
    ]);
    expect(r.hiringProcess[4]?.text).toBe('Candidates will then be invited to schedule an interview with CTO of Engineering');
  });

  it('reads the VP role: must-haves only (nice-to-haves are not requirements), five steps', () => {
    const r = role(page.roles, 'Vice President (VP) of Security');
    expect(r.responsibilities).toHaveLength(11);
    expect(r.requirements).toHaveLength(8);
    expect(r.requirements[0]).toBe('Relevant, progressive experience managing information security teams');
    expect(r.requirements[7]).toBe('Excellent project and program management skills and techniques');
    expect(r.requirements).not.toContain('Working knowledge of the GitLab application');
    expect(r.hiringProcess.map((s) => s.stage)).toEqual(['screening', 'hiring-manager', 'team-interviews', 'executive', 'offer']);
    expect(r.hiringProcess[2]?.text).toBe(
      'Candidates will then be invited to schedule separate 60 minute interviews with three leaders of the organization',
    );
  });

  it('has no page-level hiring process (every role has its own)', () => {
    expect(page.hiringProcess).toEqual([]);
  });

  it('lists the five performance indicators with their urls and lines', () => {
    expect(page.performanceIndicators).toEqual([
      { name: 'Security Impact on IACV', url: `${PI_BASE}#security-impact-on-iacv`, line: 315 },
      { name: 'Security Control Health', url: `${PI_BASE}#security-control-health`, line: 316 },
      {
        name: 'MTTM (Mean-Time-To-Mitigation) for severity::1-severity::2-severity::3 security vulnerabilities',
        url: `${PI_BASE}#mttm-mean-time-to-mitigation-for-severity1-severity2-severity3-security-vulnerabilities`,
        line: 317,
      },
      { name: 'SIRT (former Security Operations) Page Volume', url: `${PI_BASE}#sirt-former-security-operations-page-volume`, line: 318 },
      { name: 'Cost of Abuse', url: `${PI_BASE}#cost-of-abuse`, line: 319 },
    ]);
  });

  it('finds the OKR responsibility, and no problems', () => {
    expect(page.okrs).toEqual(['Drive quarterly Objectives and Key Results (OKRs)']);
    expect(page.okrs).toContain('Drive quarterly Objectives and Key Results (OKRs)');
    expect(page.specialties).toEqual([]);
    expect(page.problems).toEqual([]);
  });
});

describe('seed: Threat Management', () => {
  const page = parsePage(seed('threat-management.md').source, 'threat-management.md');

  it('reads title and description', () => {
    expect(page.title).toBe('Threat Management Roles');
    expect(page.description).toBe(
      'As part of the Threat Management sub-department, the vulnerability management team is responsible for understanding our cloud footprint and any potential vulnerabilities',
    );
  });

  it('finds the one role with grade 8 from the plain sentence "this is a grade 8"', () => {
    expect(page.roles.map((r) => [r.name, r.grade, r.line])).toEqual([['Manager, Vulnerability Management Team', 8, 20]]);
  });

  it('gives the role the sections written after it as siblings (Responsibilities, Qualifications)', () => {
    const [r] = page.roles;
    expect(r?.responsibilities).toHaveLength(18);
    expect(r?.responsibilities[0]).toBe('Define and iterate a department strategy and direction that addresses the following:');
    expect(r?.responsibilities[11]).toBe('Identify, document and track team quarterly goals (OKRs).');
    expect(r?.requirements).toHaveLength(12);
    expect(r?.requirements[0]).toBe('Understanding of Git, and GitLab.');
    expect(r?.requirements[11]).toBe('Alignment with Manager responsibilities as outlined in Leadership at GitLab');
    // "Team Roles and Responsibilities" above the role stays page-level.
    expect(page.responsibilities).toHaveLength(7);
    expect(page.responsibilities[0]).toBe('Own and execute on a cloud asset management strategy.');
  });

  it('reads the hiring process from plain lines, without intro and trailer, and the role inherits it', () => {
    expect(page.hiringProcess.map((s) => [s.stage, s.line])).toEqual([
      ['screening', 61],
      // The manager reports to the Sr. Manager of Threat Management: the Director above is the skip level.
      ['executive', 62],
      ['team-interviews', 63],
      ['executive', 64],
      ['offer', 65],
    ]);
    expect(page.hiringProcess.map((s) => s.text)).toEqual([
      'Qualified candidates will be invited to schedule a 30 minute screening call with one of our Global Recruiters.',
      'Next, candidates will be invited to schedule a 45-60 minute interview with the Director of Threat Management.',
      'Candidates will then be invited to schedule separate 45 minute interviews with three members of the Security Organization',
      'Candidates will then be invited to an 30 minute interview with the VP of Security',
      'Successful candidates will subsequently be made an offer via email',
    ]);
    const [r] = page.roles;
    expect(r?.hiringProcessInherited).toBe(true);
    expect(r?.hiringProcess).toEqual(page.hiringProcess);
  });

  it('finds the OKR item and no problems', () => {
    expect(page.okrs).toEqual(['Identify, document and track team quarterly goals (OKRs).']);
    expect(page.performanceIndicators).toEqual([]);
    expect(page.problems).toEqual([]);
  });
});
