import { role } from '../support/page-builders.js';
import { describe, expect, it } from 'vitest';
import { findBlock, mergeChecklist, planOkrIssue, updateDescription } from '../../src/actions/okr/issue-plan.js';
import type { JobFamilyPage } from '../../src/jobfamily/model.js';
import { okrIssueModel, okrOwnership, pageSlug } from '../../src/jobfamily/okr.js';

const securityLeadership = (over: Partial<JobFamilyPage> = {}): JobFamilyPage => ({
  path: 'content/job-families/security/security-leadership.md',
  title: 'Security Leadership',
  description: 'Leaders in the security department',
  roles: [
    role('Senior Manager, Security', { grade: 9 }),
    role('Director, Security', { grade: 10 }),
    role('Senior Director, Security', { grade: 11 }),
    role('Vice President (VP) of Security', { grade: 12 }),
  ],
  responsibilities: ['Drive quarterly Objectives and Key Results (OKRs)', 'Own a Sub-department'],
  requirements: [],
  hiringProcess: [],
  performanceIndicators: [
    {
      name: 'Security Impact on IACV',
      url: 'https://about.gitlab.com/handbook/security/performance-indicators/#security-impact-on-iacv',
      line: 300,
    },
    {
      name: 'Security Control Health',
      url: 'https://about.gitlab.com/handbook/security/performance-indicators/#security-control-health',
      line: 301,
    },
  ],
  okrs: ['Drive quarterly Objectives and Key Results (OKRs)'],
  problems: [],
  ...over,
});
const options = {
  now: new Date('2026-11-15T12:00:00Z'),
  fiscalYearStartMonth: 2,
  labels: ['OKR'],
  pageUrl: 'https://gitlab.example.com/acme/handbook/-/blob/0123456789abcdef/content/job-families/security/security-leadership.md',
  commit: '0123456789abcdef0123456789abcdef01234567',
  committedAt: '2026-11-14T09:30:00Z',
};

describe('pageSlug', () => {
  it('takes the file name, or the folder of an index page', () => {
    expect(pageSlug('content/job-families/security/security-leadership.md')).toBe('security-leadership');
    expect(pageSlug('sites/handbook/source/job-families/security/security-leadership/index.html.md')).toBe('security-leadership');
    expect(pageSlug('sites/x/source/job-families/finance/data-science/index.html.md.erb')).toBe('data-science');
    expect(pageSlug('content/job-families/alliances/technology-partner-manager/_index.md')).toBe('technology-partner-manager');
    expect(pageSlug('content/job-families/Engineering/Site Reliability_Engineer.md')).toBe('site-reliability-engineer');
    expect(pageSlug('')).toBe('page');
  });

  it('keeps the folders below the department, so level pages of different families never collide', () => {
    expect(pageSlug('content/job-families/alliances/technology-partner-manager/senior.md')).toBe('technology-partner-manager-senior');
    expect(pageSlug('content/job-families/engineering/development/backend/associate.md')).toBe('development-backend-associate');
    expect(pageSlug('content/job-families/engineering/development/frontend/associate.md')).toBe('development-frontend-associate');
    expect(pageSlug('content/job-families/finance/accountant.md')).toBe('accountant');
  });
});

describe('okrOwnership', () => {
  it('gives every role when the OKR item is page-level', () => {
    expect(okrOwnership(securityLeadership())).toEqual({
      scope: 'page',
      roles: ['Senior Manager, Security', 'Director, Security', 'Senior Director, Security', 'Vice President (VP) of Security'],
    });
  });

  it('gives the roles whose responsibilities contain an OKR item', () => {
    const page = securityLeadership({
      responsibilities: [],
      okrs: ['Set quarterly OKRs for the team.'],
      roles: [
        role('Manager', { grade: 8, responsibilities: ['Hire people'] }),
        role('Director', { grade: 10, responsibilities: ['set quarterly OKRs for the team'] }),
        role('VP', {
          specialties: [{ name: 'Assurance', responsibilities: ['Set quarterly OKRs for the team'], requirements: [], line: 2 }],
        }),
      ],
    });
    expect(okrOwnership(page)).toEqual({ scope: 'roles', roles: ['Director', 'VP'] });
  });

  it('is none without OKR items', () => {
    expect(okrOwnership(securityLeadership({ okrs: [] }))).toEqual({ scope: 'none', roles: [] });
  });
});

describe('okrIssueModel', () => {
  it('holds the quarter, labels, due date and one key result per indicator owned by the most senior owner', () => {
    const model = okrIssueModel(securityLeadership(), options);
    expect(model.quarter.label).toBe('FY27-Q4');
    expect(model.labels).toEqual(['OKR', 'job-family::security-leadership']);
    expect(model.dueDate).toBe('2027-01-31');
    expect(model.keyResults.map((kr) => [kr.name, kr.owner])).toEqual([
      ['Security Impact on IACV', 'Vice President (VP) of Security'],
      ['Security Control Health', 'Vice President (VP) of Security'],
    ]);
  });

  it('leaves key results unassigned when no role owns OKRs, and de-duplicates labels', () => {
    const model = okrIssueModel(securityLeadership({ okrs: [] }), { ...options, labels: ['OKR', 'job-family::security-leadership'] });
    expect(model.keyResults.every((kr) => kr.owner === null)).toBe(true);
    expect(model.labels).toEqual(['OKR', 'job-family::security-leadership']);
  });

  it('uses the slug override and the slug as title of an untitled page', () => {
    const model = okrIssueModel(securityLeadership({ title: '  ' }), { ...options, slug: 'sec-lead' });
    expect(model.slug).toBe('sec-lead');
    expect(model.pageTitle).toBe('sec-lead');
  });
});

describe('planOkrIssue', () => {
  it('plans the title, labels, due date and the bot-owned block', () => {
    const plan = planOkrIssue(securityLeadership(), options);
    expect(plan.title).toBe('OKRs: Security Leadership — FY27-Q4');
    expect(plan.labels).toEqual(['OKR', 'job-family::security-leadership']);
    expect(plan.dueDate).toBe('2027-01-31');
    expect(plan.key).toBe('<!-- handbook-bot:okr security-leadership FY27-Q4 -->');
    expect(plan.block).toBe(
      [
        // title=: the first 12 hex digits of sha256("OKRs: Security Leadership — FY27-Q4"); no commit time.
        '<!-- handbook-bot:begin commit=0123456789abcdef0123456789abcdef01234567 title=008f3de0cbf3 -->',
        '<!-- handbook-bot:okr security-leadership FY27-Q4 -->',
        `**Job family:** [Security Leadership](${options.pageUrl}) at commit \`01234567\` · content/job-families/security/security-leadership.md`,
        '**Quarter:** FY27-Q4, due 2027-01-31',
        '',
        '**Roles that own OKRs** (every role, because an OKR responsibility is page-level):',
        '- Senior Manager, Security',
        '- Director, Security',
        '- Senior Director, Security',
        '- Vice President (VP) of Security',
        '',
        '**OKR responsibilities:**',
        '- Drive quarterly Objectives and Key Results (OKRs)',
        '',
        '**Key results** (one per performance indicator):',
        '- [ ] [Security Impact on IACV](https://about.gitlab.com/handbook/security/performance-indicators/#security-impact-on-iacv) — target: to be set — owner: Vice President (VP) of Security',
        '- [ ] [Security Control Health](https://about.gitlab.com/handbook/security/performance-indicators/#security-control-health) — target: to be set — owner: Vice President (VP) of Security',
        '<!-- handbook-bot:end -->',
      ].join('\n'),
    );
  });

  it('records no commit time (the reconcile never orders by time) and says when there is nothing to track', () => {
    const plan = planOkrIssue(securityLeadership({ okrs: [], performanceIndicators: [] }), { ...options, committedAt: undefined });
    expect(plan.block.split('\n')[0]).toBe(
      '<!-- handbook-bot:begin commit=0123456789abcdef0123456789abcdef01234567 title=008f3de0cbf3 -->',
    );
    expect(plan.block).toContain('**Roles that own OKRs:** none yet');
    expect(plan.block).toContain('- The page lists no performance indicators yet.');
    expect(plan.block).not.toContain('- [ ]');
  });

  it('sanitizes every piece of page text', () => {
    const hostile = securityLeadership({
      title: 'Security\n/close @all',
      roles: [role('/merge', { grade: 12 }), role('@all <script>alert(1)</script>', { grade: 1 })],
      okrs: ['/label ~x <!-- handbook-bot:end --> @here', 'Drive quarterly Objectives and Key Results (OKRs)'],
      performanceIndicators: [
        { name: '<img src=x onerror=alert(1)>', url: 'javascript:alert(1)', line: 1 },
        { name: 'x'.repeat(2 * 1024 * 1024), url: null, line: 2 },
      ],
    });
    const plan = planOkrIssue(hostile, options);
    expect(plan.title).not.toMatch(/\n/u);
    expect(plan.title).not.toMatch(/(^|[^\w])@(all|here)\b/u);
    const lines = plan.block.split('\n');
    expect(lines.filter((l) => /^\s*\/[a-z_]+/u.test(l))).toEqual([]);
    expect(plan.block).not.toMatch(/(^|[^\w])@(all|here)\b/u);
    expect(lines.filter((l) => /<[A-Za-z!/]/u.test(l))).toEqual([lines[0], lines[1], lines.at(-1)]);
    expect(plan.block).not.toMatch(/javascript:/iu);
    expect(plan.block.length).toBeLessThan(5_000);
    expect(plan.block).toContain('characters omitted');
    // The spoofed end marker did not end the block early.
    expect(findBlock(`${plan.block}`)?.block).toBe(plan.block);
  });

  it('never lets the commit attributes close the marker comment', () => {
    const plan = planOkrIssue(securityLeadership(), { ...options, commit: 'abc --> /close', committedAt: '2026 <b>' });
    expect(plan.block.split('\n')[0]).toBe('<!-- handbook-bot:begin commit=abc-close title=008f3de0cbf3 -->');
  });
});

describe('mergeChecklist and updateDescription', () => {
  const block = (lines: string[]) => ['<!-- handbook-bot:begin commit=a -->', ...lines, '<!-- handbook-bot:end -->'].join('\n');

  it('keeps ticks of items that still exist, matched by text, not position', () => {
    const old = block([
      '- [x] [KPI A](https://a) — target: to be set — owner: VP',
      '- [ ] KPI B — target: to be set — owner: VP',
      '- [X] KPI gone — target: 5 — owner: VP',
    ]);
    const next = block([
      '- [ ] KPI new — target: to be set — owner: VP',
      '- [ ] KPI B — target: to be set — owner: Director',
      '- [ ] [KPI A](https://a) — target: to be set — owner: Director',
    ]);
    expect(mergeChecklist(old, next)).toBe(
      block([
        '- [ ] KPI new — target: to be set — owner: VP',
        '- [ ] KPI B — target: to be set — owner: Director',
        '- [x] [KPI A](https://a) — target: to be set — owner: Director',
      ]),
    );
  });

  it('replaces only the block and keeps people text around it', () => {
    const description = `Notes from the team\n\n${block(['- [x] KPI A — target: 3 — owner: VP'])}\n\nMore notes /not-a-command`;
    const updated = updateDescription(
      description,
      block(['- [ ] KPI A — target: to be set — owner: VP', '- [ ] KPI C — target: to be set — owner: VP']),
    );
    expect(updated).toBe(
      `Notes from the team\n\n${block(['- [x] KPI A — target: to be set — owner: VP', '- [ ] KPI C — target: to be set — owner: VP'])}\n\nMore notes /not-a-command`,
    );
  });

  it('appends the block to a description without one, or uses it alone', () => {
    const b = block(['- [ ] KPI A — target: to be set — owner: VP']);
    expect(updateDescription(null, b)).toBe(b);
    expect(updateDescription('Hello\n\n', b)).toBe(`Hello\n\n${b}`);
  });

  it('is idempotent: planning the same page twice gives the same description', () => {
    const plan = planOkrIssue(securityLeadership(), options);
    const once = updateDescription('Intro', plan.block);
    expect(updateDescription(once, planOkrIssue(securityLeadership(), options).block)).toBe(once);
  });
});
