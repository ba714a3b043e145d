import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ReviewRule } from '../../../src/config/schema.js';
import { renderChecklist, type ChecklistPage } from '../../../src/actions/review/checklist-render.js';
import { diffPages } from '../../../src/jobfamily/diff.js';
import { parsePage } from '../../../src/jobfamily/parse.js';

/** Checklists for real page histories (test/fixtures/corpus/history), several pages in one merge request. */
const HISTORY = new URL('../../fixtures/corpus/history/', import.meta.url);

function historyPage(name: string): ChecklistPage {
  const base = `sites__uncategorized__source__job-families__${name}__index.html`;
  const path = `sites/uncategorized/source/job-families/${name.replaceAll('__', '/')}/index.html.md`;
  const read = (suffix: string) => parsePage(readFileSync(new URL(`${base}.${suffix}.md`, HISTORY), 'utf8'), path);
  const next = read('after');
  return { path, title: next.title, diff: diffPages(read('before'), next), problems: next.problems };
}

const rules: ReviewRule[] = [
  { when: 'grade-changed', reviewers: ['total-rewards-lead'], labels: ['job-family::grade-change'] },
  { when: 'hiring-process-changed', reviewers: ['recruiting-lead'], labels: ['job-family::hiring-change'] },
  { when: 'role-removed', reviewers: ['people-ops'], labels: [] },
];
const withoutIds = (body: string) => body.replace(/ <!-- handbook-bot:item [0-9a-f-]+ -->/gu, '');

describe('review checklist for real page histories', () => {
  const pages = ['marketing__product-marketing-manager', 'finance__data-science'].map(historyPage);
  const { body, labels } = renderChecklist({ pages, rules, commit: '0123456789abcdef', commandWord: '@handbook-bot' });
  const text = withoutIds(body);

  it('lists the product-marketing-manager grade changes and the removed level', () => {
    expect(text).toContain('This merge request changes 2 job-family pages.');
    expect(text).toContain(
      [
        '#### Product Marketing Manager · sites/uncategorized/source/job-families/marketing/product-marketing-manager/index.html.md',
        '- [ ] **Specialty removed** (family-wide): *Partner and Channel Marketing* — role review: @people-ops',
        '- [ ] **Grade** of *Product Marketing Manager*: 8 → 7 — compensation review: @total-rewards-lead',
        '- [ ] **Grade** of *Senior Product Marketing Manager*: 9 → 8 — compensation review: @total-rewards-lead',
        '- [ ] **Grade** of *Principal Product Marketing Manager*: 9.5 → 9 — compensation review: @total-rewards-lead',
        '- No problems found by `handbook-bot check`.',
      ].join('\n'),
    );
  });

  it('says the data-science interview with the Senior Director moved to the end', () => {
    expect(text).toContain(
      '- [ ] **Hiring process** (page-level): step "Next, candidates will be invited to schedule an interview with the Senior Director, Data and Analytics" (hiring-manager) reworded from "Next, candidates will be invited to schedule a first interview with our Senior Director, Data and Analytics"; moved from position 3 to 6 — recruiting review: @recruiting-lead',
    );
    expect(text.match(/^- \[ \] \*\*Hiring process\*\* \(page-level\)/gmu)).toHaveLength(4);
  });

  it('labels the merge request with the labels of every matching rule', () => {
    expect(labels).toEqual(['job-family::grade-change', 'job-family::hiring-change']);
  });
});
