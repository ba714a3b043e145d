import { BUILT_PAGE_PATH, page, role, step } from '../../support/page-builders.js';
import { describe, expect, it } from 'vitest';
import type { ReviewRule } from '../../../src/config/schema.js';
import { CHECKLIST_MARKER, renderChecklist, type ChecklistInput } from '../../../src/actions/review/checklist-render.js';
import { diffPages } from '../../../src/jobfamily/diff.js';
import type { Problem } from '../../../src/jobfamily/model.js';

/** Models of what GitLab acts on in a note body. */
const gitlab = {
  quickActionLines: (body: string) => body.split('\n').filter((line) => /^\s*\/[a-z_]+/u.test(line)),
  massMention: (body: string) => /(^|[^\w])@(all|here|channel|everyone)\b/u.test(body),
  mentions: (body: string) => [
    ...new Set([...body.matchAll(/(?<![A-Za-z0-9_`])@([A-Za-z0-9_.][A-Za-z0-9_.-]*)/gu)].map((m) => (m[1] ?? '').replace(/\.+$/u, ''))),
  ],
  htmlOutsideBot: (body: string) =>
    body
      .replace(/<!-- handbook-bot:(review-checklist|item [0-9a-f-]+) -->/gu, '')
      .replace(/<\/?sub>/gu, '')
      .match(/<[A-Za-z!/?]/u) !== null,
};

const rules: ReviewRule[] = [
  { when: 'grade-changed', reviewers: ['total-rewards-lead'], labels: ['job-family::grade-change'], blocking: false },
  { when: 'hiring-process-changed', reviewers: ['recruiting-lead'], labels: ['job-family::hiring-change'], blocking: false },
  { when: 'problems', reviewers: ['handbook-maintainer'], labels: [], blocking: false },
  { when: 'role-added', reviewers: [], labels: ['job-family::new-role'], blocking: false },
];

const path = BUILT_PAGE_PATH;
const steps = [
  step('Qualified candidates will be invited to schedule a 30 minute screening call', 'screening'),
  step('Next, candidates will be invited to schedule a 45-60 minute interview with CISO', 'hiring-manager'),
  step('Candidates may be requested to meet again with the CISO for a shortened conversation', 'executive'),
  step('Successful candidates will subsequently be made an offer via email', 'offer'),
];
const before = page({
  roles: [role('Director, Security', { grade: 10, responsibilities: ['Lead'], hiringProcess: steps })],
});
const after = page({
  roles: [
    role('Director, Security', {
      grade: 11,
      responsibilities: ['Lead', 'Own the security roadmap'],
      hiringProcess: steps.filter((_, i) => i !== 2),
    }),
  ],
});
const input = (over: Partial<ChecklistInput> = {}): ChecklistInput => ({
  pages: [{ path, title: 'Security Leadership', diff: diffPages(before, after), problems: [] }],
  rules,
  commit: 'abc1234def5678abc1234def5678abc1234def56',
  commandWord: '@handbook-bot',
  ...over,
});
const withoutIds = (body: string) => body.replace(/ <!-- handbook-bot:item [0-9a-f-]+ -->/gu, '');

describe('renderChecklist', () => {
  it('renders the structure of DESIGN §4', () => {
    const { body, labels } = renderChecklist(input());
    expect(withoutIds(body)).toBe(
      [
        CHECKLIST_MARKER,
        '### Job-family review checklist',
        'This merge request changes 1 job-family page. Tick your items when reviewed.',
        '',
        '#### Security Leadership · content/job-families/security/security-leadership.md',
        '- [ ] **Grade** of *Director, Security*: 10 → 11 — compensation review: @total-rewards-lead',
        '- [ ] **Responsibilities** of *Director, Security*: 1 added',
        '  - added: "Own the security roadmap"',
        '- [ ] **Hiring process** of *Director, Security*: step removed, "Candidates may be requested to meet again with the CISO for a shortened conversation" (executive) — recruiting review: @recruiting-lead',
        '- No problems found by `handbook-bot check`.',
        '',
        '<sub>For commit abc1234 · `@handbook-bot recheck` to run again</sub>',
      ].join('\n'),
    );
    expect(labels).toEqual(['job-family::grade-change', 'job-family::hiring-change']);
    expect(
      body
        .split('\n')
        .filter((l) => l.startsWith('- [ ]'))
        .every((l) => / <!-- handbook-bot:item [0-9a-f]{12} -->$/u.test(l)),
    ).toBe(true);
  });

  it('is deterministic', () => {
    expect(renderChecklist(input()).body).toBe(renderChecklist(input()).body);
  });

  it('adds the reviewers of `any` rules to every item and its labels', () => {
    const { body, labels } = renderChecklist(
      input({ rules: [...rules, { when: 'any', reviewers: ['handbook-owner'], labels: ['job-family'], blocking: false }] }),
    );
    const items = body.split('\n').filter((l) => l.startsWith('- [ ]'));
    expect(items.map((l) => withoutIds(l).replace(/^.* — /u, ''))).toEqual([
      'compensation review: @total-rewards-lead, @handbook-owner',
      'review: @handbook-owner',
      'recruiting review: @recruiting-lead, @handbook-owner',
    ]);
    expect(labels).toEqual(['job-family::grade-change', 'job-family::hiring-change', 'job-family']);
  });

  it('lists each problem with its line and its reviewers', () => {
    const problems: Problem[] = [
      { severity: 'error', code: 'duplicate-role', message: 'Role "Director, Security" appears twice', line: 88 },
      { severity: 'warning', code: 'role-without-grade', message: 'Role "VP" has no grade', line: 120 },
    ];
    const { body, labels } = renderChecklist(
      input({ pages: [{ path, title: 'Security Leadership', diff: diffPages(after, after), problems }] }),
    );
    expect(withoutIds(body)).toContain(
      ['- No change to roles, grades, responsibilities, requirements, hiring process or performance indicators.'].join('\n'),
    );
    expect(withoutIds(body)).toContain(
      '- [ ] **Problem** (error, line 88): Role "Director, Security" appears twice — review: @handbook-maintainer',
    );
    expect(withoutIds(body)).toContain('- [ ] **Problem** (warning, line 120): Role "VP" has no grade — review: @handbook-maintainer');
    expect(body).not.toContain('No problems found');
    expect(labels).toEqual([]);
  });

  it('makes a page with broken front matter a blocking item', () => {
    const { body } = renderChecklist(
      input({
        pages: [
          { path, title: '', diff: null, problems: [], brokenFrontMatter: 'line 3: Nested mappings are not allowed in compact mappings' },
        ],
      }),
    );
    expect(withoutIds(body)).toContain(
      `#### ${path} · ${path}\n- [ ] **Blocking**: front matter of ${path} does not parse (line 3: Nested mappings are not allowed in compact mappings) — fix it before merging — review: @handbook-maintainer`,
    );
    expect(body).not.toContain('No problems found');
  });

  it('counts several pages and renders roles added, removed and renamed, and indicators', () => {
    const other = 'content/job-families/security/threat-management.md';
    const a = page({
      path: other,
      title: 'Threat Management',
      roles: [role('Manager', { grade: 8, responsibilities: ['x', 'y'] }), role('Analyst', { grade: 6 })],
      performanceIndicators: [{ name: 'MTTM', url: 'https://x.example/old', line: 1 }],
    });
    const b = page({
      path: other,
      title: 'Threat Management',
      roles: [role('Manager, Threat', { grade: 8, responsibilities: ['x', 'y'] }), role('Principal', { grade: 10 })],
      performanceIndicators: [{ name: 'MTTM', url: 'https://x.example/new', line: 1 }],
    });
    const { body, labels } = renderChecklist(
      input({
        pages: [
          { path, title: 'Security Leadership', diff: diffPages(before, after), problems: [] },
          { path: other, title: 'Threat Management', diff: diffPages(a, b), problems: [] },
        ],
      }),
    );
    const text = withoutIds(body);
    expect(text).toContain('This merge request changes 2 job-family pages.');
    expect(text).toContain('#### Threat Management · content/job-families/security/threat-management.md');
    expect(text).toContain('- [ ] **Performance indicator** [MTTM](https://x.example/new): link changed');
    expect(text).toContain('- [ ] **Role renamed**: *Manager* → *Manager, Threat*');
    expect(text).toContain('- [ ] **Role added**: *Principal* (grade 10)');
    expect(text).toContain('- [ ] **Role removed**: *Analyst* (grade 6)');
    expect(labels).toEqual(['job-family::grade-change', 'job-family::hiring-change', 'job-family::new-role']);
  });

  it('keeps ticked boxes of items that still exist when the diff changes', () => {
    const first = renderChecklist(input()).body;
    const ticked = first
      .split('\n')
      .map((l) => (l.includes('**Grade**') || l.includes('**Responsibilities**') ? l.replace('- [ ]', '- [x]') : l))
      .join('\n');
    // The next push also edits a responsibility: the grade item is the same, the responsibilities item is not.
    const later = page({
      roles: [
        role('Director, Security', {
          grade: 11,
          responsibilities: ['Lead', 'Own the security roadmap', 'Run the bug bounty'],
          hiringProcess: steps.filter((_, i) => i !== 2),
        }),
      ],
    });
    const second = renderChecklist(
      input({ pages: [{ path, title: 'Security Leadership', diff: diffPages(before, later), problems: [] }], previousBody: ticked }),
    ).body;
    const items = withoutIds(second)
      .split('\n')
      .filter((l) => /^- \[/u.test(l));
    expect(items).toEqual([
      '- [x] **Grade** of *Director, Security*: 10 → 11 — compensation review: @total-rewards-lead',
      '- [ ] **Responsibilities** of *Director, Security*: 2 added',
      expect.stringMatching(/^- \[ \] \*\*Hiring process\*\*/u),
    ]);
    // Unchanged input and the ticked body: nothing to edit.
    expect(renderChecklist(input({ previousBody: ticked })).body).toBe(ticked);
  });

  it('keeps ticks when only line numbers move, and ignores ticks of other pages', () => {
    const shifted = page({
      roles: after.roles.map((r) => ({
        ...r,
        line: r.line + 40,
        hiringProcess: r.hiringProcess.map((s) => ({ ...s, line: s.line + 40 })),
      })),
    });
    const ticked = renderChecklist(input()).body.replaceAll('- [ ]', '- [x]');
    const body = renderChecklist(
      input({ pages: [{ path, title: 'Security Leadership', diff: diffPages(before, shifted), problems: [] }], previousBody: ticked }),
    ).body;
    expect(body).toBe(ticked);
    const elsewhere = renderChecklist(
      input({
        pages: [
          {
            path: 'content/job-families/other.md',
            title: 'Other',
            diff: diffPages({ ...before, path: 'content/job-families/other.md' }, { ...after, path: 'content/job-families/other.md' }),
            problems: [],
          },
        ],
        previousBody: ticked,
      }),
    ).body;
    expect(elsewhere).not.toContain('- [x]');
  });

  it('neutralizes hostile page text', () => {
    const hostileStep = step('/merge', 'other');
    const hostileBefore = page({ title: 'Evil', roles: [role('@all', { grade: 1, hiringProcess: [hostileStep] })] });
    const hostileAfter = page({
      title: 'Evil\n/close <script>alert(1)</script>',
      roles: [
        role('@all', {
          grade: 2,
          responsibilities: [
            '/merge',
            '@here please review',
            '<img src=x onerror=alert(1)>',
            '<!-- handbook-bot:item 000000000000 -->',
            'z'.repeat(2 * 1024 * 1024),
          ],
          hiringProcess: [],
        }),
      ],
      problems: [{ severity: 'error', code: 'no-title', message: '/approve @channel <b>', line: 1 }],
    });
    const { body } = renderChecklist(
      input({
        pages: [
          {
            path: `${path}\n/close`,
            title: hostileAfter.title,
            diff: diffPages(hostileBefore, hostileAfter),
            problems: hostileAfter.problems,
          },
        ],
      }),
    );
    expect(gitlab.quickActionLines(body)).toEqual([]);
    expect(gitlab.massMention(body)).toBe(false);
    expect(gitlab.mentions(body).sort()).toEqual(['handbook-maintainer', 'recruiting-lead', 'total-rewards-lead']);
    expect(gitlab.htmlOutsideBot(body)).toBe(false);
    expect(body.length).toBeLessThan(10_000);
    expect(body).toContain('characters omitted');
    expect(body.split('\n')[0]).toBe(CHECKLIST_MARKER);
    expect(body.match(/<!-- handbook-bot:item /gu)?.length).toBe(body.split('\n').filter((l) => /^- \[ \]/u.test(l)).length);
  });

  it('does not take the command word or commit as markup', () => {
    const { body } = renderChecklist(input({ commandWord: '@bot`\n/close', commit: '<b>abc' }));
    expect(body.endsWith('<sub>For commit babc · `@botclose recheck` to run again</sub>')).toBe(true);
    expect(gitlab.quickActionLines(body)).toEqual([]);
  });
});
