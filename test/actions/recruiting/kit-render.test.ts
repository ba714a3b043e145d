import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HiringFamily, HiringRole } from '../../../src/actions/hiring/family.js';
import { kitsAffected, renderKit } from '../../../src/actions/recruiting/kit-render.js';
import { stepFacts } from '../../../src/actions/recruiting/kit-steps.js';

const PATH = 'content/job-families/security/security-leadership.md';
const COMMIT = '0123456789abcdef0123456789abcdef01234567';

function role(steps: Array<[string, string]>, name = 'Director, Security'): HiringRole {
  return { name, stages: [...new Set(steps.map(([stage]) => stage))], steps: steps.map(([stage, text]) => ({ stage, text })) };
}

function family(roles: HiringRole[], commit = COMMIT): HiringFamily {
  return { slug: 'security-leadership', path: PATH, title: 'Security Leadership', commit, roles };
}

const withoutIds = (body: string) => body.replace(/<!-- handbook-bot:item [0-9a-f]{12}(?:-\d+)? -->/gu, '<!-- item -->');

describe("stepFacts: what, with whom, how long, from the page's sentence", () => {
  it.each([
    [
      'Qualified candidates will be invited to schedule a 30 minute screening call with one of our Global Recruiters.',
      'Screening call',
      'one of our Global Recruiters',
      '30 min',
    ],
    [
      'Next, candidates will be invited to schedule a 45-60 minute interview with a Director of Security to which the position reports to',
      'Interview',
      'a Director of Security',
      '45–60 min',
    ],
    [
      'Candidates will then be invited to schedule 3 separate 45-60 minute interviews with additional directors and managers within the Security Organization',
      '3 interviews',
      'additional directors and managers within the Security Organization',
      '45–60 min',
    ],
    [
      'Candidates will then be invited to schedule 2-3 separate 45-60 minute interviews with cross-functional partners',
      '2–3 interviews',
      'cross-functional partners',
      '45–60 min',
    ],
    [
      'Candidates will then be invited to schedule separate 60 minute interviews with three leaders of the organization',
      'Interviews',
      'three leaders of the organization',
      '60 min',
    ],
    ['Candidates may be requested to meet again with the CISO for a shortened conversation', 'Conversation', 'the CISO', null],
    ['Candidates will then be invited to schedule an interview with CEO', 'Interview', 'CEO', null],
    ['Successful candidates will subsequently be made an offer via email', 'Offer', null, null],
    ['Finally, our CEO may choose to conduct a final 1 hour interview', 'Interview', null, '1 h'],
    ['Candidates complete a take-home assessment', 'Assessment', null, null],
    ['Hiring managers decide', null, null, null],
    // From the corpus: abbreviated titles, a run-on line, two meetings in one step, a phone screen.
    ['Finally, the candidates will interview with the Sr. Director of IT.', 'Interview', 'the Sr. Director of IT', null],
    [
      'Interview with Director of Product Design In this interview, the interviewer will want to understand the experience you have',
      'Interview',
      'Director of Product Design',
      null,
    ],
    [
      'Then, candidates will be invited to schedule a 30 minute interview with a Peer and a 30 minute interview with another Recruiting Manager',
      'Interview',
      'a Peer',
      '30 min',
    ],
    ['Phone screen with a GitLab Recruiting team member', 'Screening', 'a GitLab Recruiting team member', null],
    ['An optional final interview with a C level Executive may occur', 'Interview', 'a C level Executive', null],
    [
      'Selected candidates will be invited to schedule a 45 min screening call with our Global Recruiters.',
      'Screening call',
      'our Global Recruiters',
      '45 min',
    ],
  ])('%s', (text, what, withWhom, duration) => {
    expect(stepFacts(text)).toEqual({ what, withWhom, duration });
  });
});

describe('renderKit', () => {
  const director = role([
    ['screening', 'Qualified candidates will be invited to schedule a 30 minute screening call with one of our Global Recruiters.'],
    ['executive', 'Next, candidates will be invited to schedule a 45-60 minute interview with CISO'],
    [
      'team-interviews',
      'Candidates will then be invited to schedule 2-3 separate 45-60 minute interviews with peer directors and reporting managers of the Security Organization',
    ],
    ['team-interviews', 'Candidates will then be invited to schedule 2-3 separate 45-60 minute interviews with cross-functional partners'],
    ['executive', 'Candidates may be requested to meet again with the CISO for a shortened conversation'],
    ['offer', 'Successful candidates will subsequently be made an offer via email'],
  ]);

  it("lists the role's steps of the stage, in page order, the page linked at its commit", () => {
    const kit = renderKit({
      family: family([director]),
      role: director,
      roleMatched: true,
      stage: 'executive',
      handbookProject: 'acme/handbook',
    });
    expect(withoutIds(kit.body)).toBe(
      [
        '<!-- handbook-bot:interview-kit -->',
        '### Interview kit: executive',
        `The **executive** steps of *Director, Security* (Security Leadership), from [${PATH}](/acme/handbook/-/blob/${COMMIT}/${PATH}) at commit 01234567:`,
        '',
        '- [ ] **Interview** with CISO · 45–60 min <!-- item -->',
        '  - Next, candidates will be invited to schedule a 45-60 minute interview with CISO',
        '- [ ] **Conversation** with the CISO <!-- item -->',
        '  - Candidates may be requested to meet again with the CISO for a shortened conversation',
        '',
        '<sub>Kept by handbook-bot: edited in place when the issue moves to another stage or the page changes. Tick the steps as they are done.</sub>',
      ].join('\n'),
    );
  });

  it('a numeric handbook project: the path and commit, unlinked; no commit known: the path alone', () => {
    const byId = renderKit({ family: family([director]), role: director, roleMatched: true, stage: 'offer', handbookProject: 4242 });
    expect(byId.body.split('\n')[2]).toBe(
      `The **offer** steps of *Director, Security* (Security Leadership), from ${PATH} at commit 01234567:`,
    );
    const noCommit = renderKit({
      family: family([director], ''),
      role: director,
      roleMatched: true,
      stage: 'offer',
      handbookProject: 'acme/handbook',
    });
    expect(noCommit.body.split('\n')[2]).toBe(`The **offer** steps of *Director, Security* (Security Leadership), from ${PATH}:`);
    expect(noCommit.body.split('\n')[4]).toMatch(/^- \[ \] \*\*Offer\*\* <!-- handbook-bot:item [0-9a-f]{12} -->$/u);
  });

  it('a page change keeps the boxes ticked for steps still listed; the digest ignores the commit', () => {
    const before = renderKit({
      family: family([director]),
      role: director,
      roleMatched: true,
      stage: 'team-interviews',
      handbookProject: 'acme/handbook',
    });
    const ticked = before.body.replace('- [ ] **2–3 interviews** with peer directors', '- [x] **2–3 interviews** with peer directors');
    const edited = role([
      ['screening', 'Qualified candidates will be invited to schedule a 30 minute screening call with one of our Global Recruiters.'],
      [
        'team-interviews',
        'Candidates will then be invited to schedule 2-3 separate 45-60 minute interviews with peer directors and reporting managers of the Security Organization',
      ],
      ['team-interviews', 'Candidates will then be invited to a 30 minute panel with the Security team'],
    ]);
    const after = renderKit({
      family: family([edited], 'fedcba9876543210fedcba9876543210fedcba98'),
      role: edited,
      roleMatched: true,
      stage: 'team-interviews',
      handbookProject: 'acme/handbook',
      previousBody: ticked,
    });
    expect(withoutIds(after.body).split('\n').slice(4, 8)).toEqual([
      '- [x] **2–3 interviews** with peer directors and reporting managers of the Security Organization · 45–60 min <!-- item -->',
      '  - Candidates will then be invited to schedule 2-3 separate 45-60 minute interviews with peer directors and reporting managers of the Security Organization',
      '- [ ] **Panel** with the Security team · 30 min <!-- item -->',
      '  - Candidates will then be invited to a 30 minute panel with the Security team',
    ]);
    expect(after.digest).not.toBe(before.digest);
    const sameStepsNewCommit = renderKit({
      family: family([director], 'fedcba9876543210fedcba9876543210fedcba98'),
      role: director,
      roleMatched: true,
      stage: 'team-interviews',
      handbookProject: 'acme/handbook',
    });
    expect(sameStepsNewCommit.digest).toBe(before.digest);
  });

  it('kitsAffected: a step changed, yes; the same roles and steps at another commit, no', () => {
    const edited = role([['offer', 'Successful candidates receive a written offer']]);
    expect(kitsAffected(family([director]), family([edited]))).toBe(true);
    expect(kitsAffected(family([director]), family([director], 'fedcba9876543210fedcba9876543210fedcba98'))).toBe(false);
    expect(kitsAffected(null, family([director]))).toBe(false);
  });

  it('any step text: no line of the kit can start a quick action or notify everyone', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.constantFrom('/close', '@all', '@here', '/merge', '<!-- x -->'), (text, attack) => {
        const hostile = role([['screening', `${attack} ${text} ${attack}`]]);
        const { body } = renderKit({
          family: family([hostile]),
          role: hostile,
          roleMatched: true,
          stage: 'screening',
          handbookProject: 'acme/handbook',
        });
        for (const line of body.split('\n')) expect(line.trimStart().startsWith('/')).toBe(false);
        expect(body).not.toMatch(/(?<![A-Za-z0-9_])@(?:all|here)\b/u);
        expect(body.match(/<!--/gu)).toHaveLength(2);
      }),
      { numRuns: 200 },
    );
  });
});
