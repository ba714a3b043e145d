import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planOkrIssue, updateDescription } from '../../src/actions/okr/issue-plan.js';
import { parsePage } from '../../src/jobfamily/parse.js';

/** The OKR issue planned from the real Security Leadership seed (DESIGN §4's example). */
const PATH = 'content/job-families/security/security-leadership.md';
const seed = readFileSync(new URL('../fixtures/seeds/security-leadership.md', import.meta.url), 'utf8');
const COMMIT = 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7';
const options = {
  now: new Date('2026-11-03T10:00:00Z'),
  fiscalYearStartMonth: 2,
  labels: ['OKR'],
  pageUrl: `https://gitlab.example.com/acme/handbook/-/blob/${COMMIT}/${PATH}`,
  commit: COMMIT,
  committedAt: '2026-11-02T16:20:00Z',
};

describe('OKR issue for the Security Leadership seed', () => {
  const plan = planOkrIssue(parsePage(seed, PATH), options);

  it('has the title, labels and due date of DESIGN §4', () => {
    expect(plan.title).toBe('OKRs: Security Leadership — FY27-Q4');
    expect(plan.labels).toEqual(['OKR', 'job-family::security-leadership']);
    expect(plan.dueDate).toBe('2027-01-31');
    expect(plan.key).toBe('<!-- handbook-bot:okr security-leadership FY27-Q4 -->');
  });

  it('says every role owns OKRs (the OKR responsibility is page-level) and lists one key result per indicator', () => {
    const lines = plan.block.split('\n');
    expect(lines[0]).toBe(`<!-- handbook-bot:begin commit=${COMMIT} committed=2026-11-02T16:20:00Z -->`);
    expect(lines.at(-1)).toBe('<!-- handbook-bot:end -->');
    expect(plan.block).toContain(`[Security Leadership](${options.pageUrl})`);
    expect(plan.block).toContain(
      [
        '**Roles that own OKRs** (every role, because an OKR responsibility is page-level):',
        '- Senior Manager, Security',
        '- Director, Security',
        '- Senior Director, Security',
        '- Vice President (VP) of Security',
        '',
        '**OKR responsibilities:**',
        '- Drive quarterly Objectives and Key Results (OKRs)',
      ].join('\n'),
    );
    expect(lines.filter((line) => line.startsWith('- [ ] '))).toEqual([
      '- [ ] [Security Impact on IACV](https://about.gitlab.com/handbook/security/performance-indicators/#security-impact-on-iacv) — target: to be set — owner: Vice President (VP) of Security',
      '- [ ] [Security Control Health](https://about.gitlab.com/handbook/security/performance-indicators/#security-control-health) — target: to be set — owner: Vice President (VP) of Security',
      '- [ ] [MTTM (Mean-Time-To-Mitigation) for severity::1-severity::2-severity::3 security vulnerabilities](https://about.gitlab.com/handbook/security/performance-indicators/#mttm-mean-time-to-mitigation-for-severity1-severity2-severity3-security-vulnerabilities) — target: to be set — owner: Vice President (VP) of Security',
      '- [ ] [SIRT (former Security Operations) Page Volume](https://about.gitlab.com/handbook/security/performance-indicators/#sirt-former-security-operations-page-volume) — target: to be set — owner: Vice President (VP) of Security',
      '- [ ] [Cost of Abuse](https://about.gitlab.com/handbook/security/performance-indicators/#cost-of-abuse) — target: to be set — owner: Vice President (VP) of Security',
    ]);
  });

  it('keeps a ticked key result when the page changes at a later commit', () => {
    const description = updateDescription('Quarter notes by the team.', plan.block).replace(
      '- [ ] [Security Control Health]',
      '- [x] [Security Control Health]',
    );
    const edited = seed.replace(/^- \[Cost of Abuse\].*\n/mu, '');
    const later = planOkrIssue(parsePage(edited, PATH), { ...options, commit: 'e'.repeat(40) });
    const updated = updateDescription(description, later.block);
    expect(updated.startsWith('Quarter notes by the team.\n\n<!-- handbook-bot:begin commit=eeee')).toBe(true);
    expect(updated).toContain('- [x] [Security Control Health]');
    expect(updated).not.toContain('Cost of Abuse');
    expect(updated.match(/- \[x\]/gu)).toHaveLength(1);
  });
});
