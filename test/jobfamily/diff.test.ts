import { page, role, step } from '../support/page-builders.js';
import { describe, expect, it } from 'vitest';
import { REVIEW_TRIGGER_NAMES, allChanges, diffPages, normalizeText, triggersOf, type Change } from '../../src/jobfamily/diff.js';
import type { HiringStep } from '../../src/jobfamily/model.js';

const kinds = (changes: readonly Change[]) => changes.map((c) => c.kind);

const directorSteps = [
  step('Qualified candidates will be invited to schedule a 30 minute screening call with one of our Global Recruiters.', 'screening'),
  step('Next, candidates will be invited to schedule a 45-60 minute interview with CISO', 'hiring-manager'),
  step('Candidates will then be invited to schedule 2-3 separate 45-60 minute interviews with peer directors', 'team-interviews'),
  step('Candidates may be requested to meet again with the CISO for a shortened conversation', 'executive'),
  step('Successful candidates will subsequently be made an offer via email', 'offer'),
];

describe('review trigger names', () => {
  it('are the documented `review.rules[].when` values, in order', () => {
    expect([...REVIEW_TRIGGER_NAMES]).toEqual([
      'role-added',
      'role-removed',
      'grade-changed',
      'responsibilities-changed',
      'requirements-changed',
      'hiring-process-changed',
      'performance-indicators-changed',
      'problems',
      'any',
    ]);
  });
});

describe('diffPages: page level', () => {
  it('reports nothing for identical pages, or pages that differ only in formatting', () => {
    const a = page({ responsibilities: ['Drive quarterly OKRs.'], roles: [role('A', { grade: 9 })] });
    const b = page({ responsibilities: ['  drive   **quarterly** [OKRs](/okrs)  '], roles: [role('A', { grade: 9 })] });
    const diff = diffPages(a, b);
    expect(diff.status).toBe('unchanged');
    expect(allChanges(diff)).toEqual([]);
    expect(triggersOf(diff)).toEqual(new Set());
  });

  it('reports a new page as added, with its roles, lists, indicators and problems', () => {
    const next = page({
      roles: [role('Director, Security', { grade: 10 })],
      responsibilities: ['Own things'],
      performanceIndicators: [{ name: 'Cost of Abuse', url: 'https://x.example/coa', line: 99 }],
      problems: [{ severity: 'warning', code: 'role-without-hiring-process', message: 'no process', line: 3 }],
    });
    const diff = diffPages(null, next);
    expect(diff.status).toBe('added');
    expect(kinds(allChanges(diff))).toEqual([
      'page-added',
      'responsibilities-changed',
      'performance-indicator-added',
      'problem-found',
      'role-added',
    ]);
    expect(diff.roles).toEqual([
      expect.objectContaining({ role: 'Director, Security', status: 'added', changes: [expect.objectContaining({ grade: 10 })] }),
    ]);
    expect(triggersOf(diff)).toEqual(
      new Set(['any', 'role-added', 'responsibilities-changed', 'performance-indicators-changed', 'problems']),
    );
  });

  it('reports a removed page with its roles only', () => {
    const old = page({ roles: [role('A', { grade: 8 }), role('B')], responsibilities: ['x'], problems: [] });
    const diff = diffPages(old, null);
    expect(diff.status).toBe('removed');
    expect(diff.path).toBe(old.path);
    expect(kinds(allChanges(diff))).toEqual(['page-removed', 'role-removed', 'role-removed']);
    expect(triggersOf(diff)).toEqual(new Set(['any', 'role-removed']));
  });

  it('is empty for two missing pages', () => {
    expect(diffPages(null, null)).toEqual({ path: '', title: '', status: 'unchanged', changes: [], roles: [] });
  });

  it('reports a title change and page-level responsibilities and requirements by normalized text', () => {
    const diff = diffPages(
      page({ title: 'Security Leadership', responsibilities: ['A', 'B', 'B'], requirements: ['R1'] }),
      page({ title: 'Security Leaders', responsibilities: ['b.', 'C', 'a'], requirements: ['R1', 'R2'] }),
    );
    expect(diff.changes).toEqual([
      { kind: 'title-changed', from: 'Security Leadership', to: 'Security Leaders' },
      { kind: 'responsibilities-changed', role: null, added: ['C'], removed: ['B'] },
      { kind: 'requirements-changed', role: null, added: ['R2'], removed: [] },
    ]);
    expect(triggersOf(diff)).toEqual(new Set(['any', 'responsibilities-changed', 'requirements-changed']));
  });

  it('reports performance indicators added, removed, and changed (url or name)', () => {
    const diff = diffPages(
      page({
        performanceIndicators: [
          { name: 'Security Control Health', url: 'https://x.example/sch', line: 1 },
          { name: '# of Business Functions', url: 'https://x.example/dcm', line: 2 },
          { name: 'Cost of Abuse', url: 'https://x.example/coa', line: 3 },
          { name: 'Plain KPI', url: null, line: 4 },
        ],
      }),
      page({
        performanceIndicators: [
          { name: 'Security Control Health', url: 'https://x.example/sch-v2', line: 1 },
          { name: 'Number of Business Functions', url: 'https://x.example/dcm', line: 2 },
          { name: 'MTTM', url: 'https://x.example/mttm', line: 3 },
          { name: 'Other plain KPI', url: null, line: 4 },
        ],
      }),
    );
    const named = (c: Change): string =>
      c.kind === 'performance-indicator-changed' ? c.from.name : 'indicator' in c ? c.indicator.name : '';
    expect(diff.changes.map((c) => [c.kind, named(c)])).toEqual([
      ['performance-indicator-changed', 'Security Control Health'],
      ['performance-indicator-changed', '# of Business Functions'],
      ['performance-indicator-added', 'MTTM'],
      ['performance-indicator-added', 'Other plain KPI'],
      ['performance-indicator-removed', 'Cost of Abuse'],
      ['performance-indicator-removed', 'Plain KPI'],
    ]);
    expect(triggersOf(diff)).toEqual(new Set(['any', 'performance-indicators-changed']));
  });

  it('reports only problems the old version did not have, ignoring line shifts', () => {
    const known = { severity: 'warning' as const, code: 'role-without-grade' as const, message: 'Role "A" has no grade', line: 5 };
    const fresh = { severity: 'error' as const, code: 'duplicate-role' as const, message: 'Role "B" appears twice', line: 40 };
    const diff = diffPages(page({ problems: [known] }), page({ problems: [{ ...known, line: 9 }, fresh] }));
    expect(diff.changes).toEqual([{ kind: 'problem-found', problem: fresh }]);
    expect(triggersOf(diff)).toEqual(new Set(['any', 'problems']));
  });
});

describe('diffPages: roles', () => {
  it('reports grade changes, including to and from null', () => {
    const diff = diffPages(
      page({ roles: [role('Director, Security', { grade: 10 }), role('VP', { grade: 12 }), role('Manager')] }),
      page({ roles: [role('Director, Security', { grade: 11 }), role('VP', { grade: null }), role('Manager', { grade: 9.5 })] }),
    );
    expect(diff.roles.map((r) => r.changes)).toEqual([
      [expect.objectContaining({ kind: 'grade-changed', role: 'Director, Security', from: 10, to: 11 })],
      [expect.objectContaining({ kind: 'grade-changed', role: 'VP', from: 12, to: null })],
      [expect.objectContaining({ kind: 'grade-changed', role: 'Manager', from: null, to: 9.5 })],
    ]);
    expect(triggersOf(diff)).toEqual(new Set(['any', 'grade-changed']));
  });

  it('reports added and removed roles', () => {
    const diff = diffPages(
      page({ roles: [role('Manager', { grade: 8, responsibilities: ['m1'] }), role('Staff', { grade: 9, responsibilities: ['s1'] })] }),
      page({
        roles: [role('Manager', { grade: 8, responsibilities: ['m1'] }), role('Principal', { grade: 10, responsibilities: ['p1'] })],
      }),
    );
    expect(diff.roles.map((r) => [r.role, r.status])).toEqual([
      ['Principal', 'added'],
      ['Staff', 'removed'],
    ]);
    expect(triggersOf(diff)).toEqual(new Set(['any', 'role-added', 'role-removed']));
  });

  it('treats names that differ only in case or punctuation as a rename of the same role', () => {
    const diff = diffPages(
      page({ roles: [role('Senior Manager, Security', { grade: 9 })] }),
      page({ roles: [role('Senior manager - Security', { grade: 9 })] }),
    );
    expect(diff.roles).toEqual([
      {
        role: 'Senior manager - Security',
        previousName: 'Senior Manager, Security',
        status: 'renamed',
        changes: [expect.objectContaining({ kind: 'role-renamed', from: 'Senior Manager, Security', to: 'Senior manager - Security' })],
      },
    ]);
  });

  it('treats a removed and an added role with mostly the same content as a rename, with its other changes', () => {
    const responsibilities = ['Lead the team', 'Own the roadmap', 'Hire managers', 'Report to the CISO'];
    const diff = diffPages(
      page({ roles: [role('Director, Security Assurance', { grade: 10, responsibilities })] }),
      page({
        roles: [
          role('Director, Security Compliance', { grade: 10, responsibilities: [...responsibilities.slice(0, 3), 'Report to the CTO'] }),
        ],
      }),
    );
    expect(diff.roles).toHaveLength(1);
    expect(diff.roles[0]).toMatchObject({
      role: 'Director, Security Compliance',
      previousName: 'Director, Security Assurance',
      status: 'renamed',
    });
    expect(diff.roles[0]!.changes).toEqual([
      expect.objectContaining({ kind: 'role-renamed' }),
      {
        kind: 'responsibilities-changed',
        role: 'Director, Security Compliance',
        added: ['Report to the CTO'],
        removed: ['Report to the CISO'],
      },
    ]);
  });

  it('does not call different content a rename', () => {
    const diff = diffPages(
      page({ roles: [role('Analyst', { grade: 6, responsibilities: ['Analyse data', 'Write reports'] })] }),
      page({ roles: [role('Engineer', { grade: 7, responsibilities: ['Build pipelines', 'Write reports'] })] }),
    );
    expect(diff.roles.map((r) => r.status)).toEqual(['added', 'removed']);
  });

  it('reports role requirements and specialties', () => {
    const diff = diffPages(
      page({
        roles: [
          role('PMM', {
            requirements: ['Writing'],
            specialties: [
              { name: 'Security', responsibilities: ['s1'], requirements: [], line: 1 },
              { name: 'Partner and Channel Marketing', responsibilities: ['c1'], requirements: [], line: 2 },
            ],
          }),
        ],
      }),
      page({
        roles: [
          role('PMM', {
            requirements: ['Writing', 'Speaking'],
            specialties: [
              { name: 'security', responsibilities: ['s1', 's2'], requirements: [], line: 1 },
              { name: 'Market Insights', responsibilities: [], requirements: [], line: 3 },
            ],
          }),
        ],
      }),
    );
    expect(diff.roles[0]!.changes).toEqual([
      { kind: 'requirements-changed', role: 'PMM', added: ['Speaking'], removed: [] },
      { kind: 'responsibilities-changed', role: 'PMM', specialty: 'security', added: ['s2'], removed: [] },
      { kind: 'specialty-added', role: 'PMM', specialty: 'Market Insights' },
      { kind: 'specialty-removed', role: 'PMM', specialty: 'Partner and Channel Marketing' },
    ]);
    expect(triggersOf(diff)).toEqual(new Set(['any', 'requirements-changed', 'responsibilities-changed', 'role-added', 'role-removed']));
  });

  it('reports family-wide specialties (outside any role) at page level', () => {
    const diff = diffPages(
      page({
        specialties: [
          { name: 'Security', responsibilities: ['s1'], requirements: [], line: 1 },
          { name: 'Partner and Channel Marketing', responsibilities: ['c1'], requirements: ['r1'], line: 2 },
        ],
      }),
      page({ specialties: [{ name: 'Security', responsibilities: ['s1'], requirements: ['new'], line: 1 }] }),
    );
    expect(diff.roles).toEqual([]);
    expect(diff.changes).toEqual([
      { kind: 'requirements-changed', role: null, specialty: 'Security', added: ['new'], removed: [] },
      { kind: 'specialty-removed', role: null, specialty: 'Partner and Channel Marketing' },
    ]);
    expect(triggersOf(diff)).toEqual(new Set(['any', 'requirements-changed', 'role-removed']));
    // Hand-built models may omit `specialties`.
    expect(allChanges(diffPages(page(), page({ specialties: [] })))).toEqual([]);
  });

  it('matches duplicate role names in order', () => {
    const diff = diffPages(
      page({ roles: [role('Manager', { grade: 8 }), role('Manager', { grade: 9 })] }),
      page({ roles: [role('Manager', { grade: 8 }), role('Manager', { grade: 10 })] }),
    );
    expect(allChanges(diff)).toEqual([expect.objectContaining({ kind: 'grade-changed', from: 9, to: 10 })]);
  });
});

describe('diffPages: hiring process', () => {
  const withSteps = (steps: HiringStep[], inherited = false) =>
    page({ roles: [role('Director, Security', { hiringProcess: steps, hiringProcessInherited: inherited })] });

  it('reports a removed step with its stage and position', () => {
    const next = directorSteps.filter((_, i) => i !== 3);
    const diff = diffPages(withSteps(directorSteps), withSteps(next));
    expect(allChanges(diff)).toEqual([{ kind: 'hiring-step-removed', role: 'Director, Security', step: directorSteps[3], position: 4 }]);
    expect(triggersOf(diff)).toEqual(new Set(['any', 'hiring-process-changed']));
  });

  it('reports an added step', () => {
    const added = step('Candidates will then be invited to schedule an interview with the CTO', 'executive');
    const next = [...directorSteps.slice(0, 4), added, directorSteps[4]!];
    expect(allChanges(diffPages(withSteps(directorSteps), withSteps(next)))).toEqual([
      { kind: 'hiring-step-added', role: 'Director, Security', step: added, position: 5 },
    ]);
  });

  it('ignores wording that normalizes to the same text (trailing period, spacing)', () => {
    const next = directorSteps.map((s) => ({ ...s, text: `${s.text.replace(/\.$/u, '')}.  ` }));
    expect(allChanges(diffPages(withSteps(directorSteps), withSteps(next)))).toEqual([]);
  });

  it('reports a reordered step as moved, not as removed and added', () => {
    const next = [directorSteps[0]!, directorSteps[2]!, directorSteps[1]!, directorSteps[3]!, directorSteps[4]!];
    const changes = allChanges(diffPages(withSteps(directorSteps), withSteps(next)));
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ kind: 'hiring-step-changed', edits: ['order'] });
    const moved = changes[0] as Extract<Change, { kind: 'hiring-step-changed' }>;
    expect(Math.abs(moved.fromPosition - moved.toPosition)).toBe(1);
  });

  it('reports a stage change of the same step', () => {
    const next = directorSteps.map((s, i) => (i === 3 ? { ...s, stage: 'team-interviews' } : s));
    expect(allChanges(diffPages(withSteps(directorSteps), withSteps(next)))).toEqual([
      expect.objectContaining({ kind: 'hiring-step-changed', edits: ['stage'], fromPosition: 4, toPosition: 4 }),
    ]);
  });

  it('pairs reworded steps by similar wording, then by position between unchanged steps', () => {
    const reworded = step('Next, candidates will be invited to schedule an interview with the hiring manager (CISO)', 'hiring-manager');
    const replaced = step('Take-home assessment', 'assessment');
    const next = [directorSteps[0]!, reworded, directorSteps[2]!, replaced, directorSteps[4]!];
    const changes = allChanges(diffPages(withSteps(directorSteps), withSteps(next)));
    expect(changes).toEqual([
      expect.objectContaining({
        kind: 'hiring-step-changed',
        from: directorSteps[1],
        to: reworded,
        edits: ['wording'],
        fromPosition: 2,
        toPosition: 2,
      }),
      expect.objectContaining({
        kind: 'hiring-step-changed',
        from: directorSteps[3],
        to: replaced,
        edits: ['wording', 'stage'],
        fromPosition: 4,
        toPosition: 4,
      }),
    ]);
  });

  it('reports an inherited process once, at page level', () => {
    const old = page({ hiringProcess: directorSteps, roles: [role('A', { hiringProcess: directorSteps, hiringProcessInherited: true })] });
    const steps = directorSteps.slice(0, 4);
    const next = page({ hiringProcess: steps, roles: [role('A', { hiringProcess: steps, hiringProcessInherited: true })] });
    const diff = diffPages(old, next);
    expect(diff.roles).toEqual([]);
    expect(diff.changes).toEqual([expect.objectContaining({ kind: 'hiring-step-removed', role: null, position: 5 })]);
  });

  it('reports a hiring section added to a page once, not again for every role that now inherits it', () => {
    const old = page({ roles: [role('A'), role('B')] });
    const next = page({
      hiringProcess: directorSteps,
      roles: [
        role('A', { hiringProcess: directorSteps, hiringProcessInherited: true }),
        role('B', { hiringProcess: directorSteps, hiringProcessInherited: true }),
      ],
    });
    const diff = diffPages(old, next);
    expect(diff.roles).toEqual([]);
    expect(diff.changes.map((c) => [c.kind, 'position' in c ? c.position : 0])).toEqual(
      directorSteps.map((_, i) => ['hiring-step-added', i + 1]),
    );
    // And removed again.
    expect(diffPages(next, old).changes.map((c) => c.kind)).toEqual(directorSteps.map(() => 'hiring-step-removed'));
  });

  it('compares the effective process when a role stops inheriting', () => {
    const own = [step('Chat with the VP', 'executive')];
    const old = page({ hiringProcess: directorSteps, roles: [role('A', { hiringProcess: directorSteps, hiringProcessInherited: true })] });
    const next = page({ hiringProcess: directorSteps, roles: [role('A', { hiringProcess: own, hiringProcessInherited: false })] });
    const changes = allChanges(diffPages(old, next));
    expect(changes.every((c) => c.kind.startsWith('hiring-step') && 'role' in c && c.role === 'A')).toBe(true);
    expect(changes.length).toBeGreaterThan(0);
  });

  // Its time is measured by `npm run bench:hostile`.
  it('diffs a hostile page with thousands of steps and roles: every step changed in place, every role replaced', () => {
    const many = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => step(`${prefix} step ${i} ${'word '.repeat(i % 7)}`));
    const rolesOf = (prefix: string) => Array.from({ length: 2_000 }, (_, i) => role(`${prefix} ${i}`, { responsibilities: [`r ${i}`] }));
    const diff = diffPages(
      page({ hiringProcess: many(3_000, 'a'), roles: rolesOf('x') }),
      page({ hiringProcess: many(3_000, 'b'), roles: rolesOf('y') }),
    );
    expect(diff.status).toBe('modified');
    expect(diff.changes).toHaveLength(3_000);
    expect(new Set(diff.changes.map((c) => c.kind))).toEqual(new Set(['hiring-step-changed']));
    const added = diff.roles.filter((r) => r.status === 'added').map((r) => r.role);
    const removed = diff.roles.filter((r) => r.status === 'removed').map((r) => r.role);
    expect([added.length, removed.length, diff.roles.length]).toEqual([2_000, 2_000, 4_000]);
    expect([added[0], added.at(-1), removed[0], removed.at(-1)]).toEqual(['y 0', 'y 1999', 'x 0', 'x 1999']);
  });
});

describe('normalizeText', () => {
  it('ignores case, spacing, quotes, emphasis, link markup and final punctuation', () => {
    expect(normalizeText('  Share our [values](/handbook/values/), **really**’s. ')).toBe("share our values, really's");
  });
});
