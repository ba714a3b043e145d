import { describe, expect, it } from 'vitest';
import type { ReviewRule } from '../../../src/config/schema.js';
import { CHECKLIST_MARKER, renderChecklist, type ChecklistPage } from '../../../src/actions/review/checklist-render.js';
import { diffPages } from '../../../src/jobfamily/diff.js';
import { parsePage } from '../../../src/jobfamily/parse.js';
import { seed as seedPage } from '../../support/pages.js';

/**
 * The Security Leadership seed, edited as in DESIGN §4: "Director, Security" moves from grade 10 to 11
 * and its hiring process drops the second meeting with the CISO.
 */
const PATH = 'content/job-families/security/security-leadership.md';
const seed = seedPage('security-leadership.md').source;
const DROPPED_STEP = 'Candidates may be requested to meet again with the CISO for a shortened conversation';

/** Replaces the first occurrence only (the dropped step also appears in the Senior Director's process). */
function replaceFirst(source: string, search: string, replacement: string): string {
  const at = source.indexOf(search);
  if (at < 0) throw new Error(`seed does not contain ${JSON.stringify(search)}`);
  return source.slice(0, at) + replacement + source.slice(at + search.length);
}

const edited = replaceFirst(
  replaceFirst(seed, 'The Director, Security Assurance is a [grade 10]', 'The Director, Security Assurance is a [grade 11]'),
  `- ${DROPPED_STEP}\n`,
  '',
);

const rules: ReviewRule[] = [
  { when: 'grade-changed', reviewers: ['total-rewards-lead'], labels: ['job-family::grade-change'], blocking: false },
  { when: 'hiring-process-changed', reviewers: ['recruiting-lead'], labels: ['job-family::hiring-change'], blocking: false },
  { when: 'role-removed', reviewers: ['people-ops'], labels: ['job-family::role-removed'], blocking: false },
];

function checklistPage(before: string, after: string): ChecklistPage {
  const next = parsePage(after, PATH);
  return { path: PATH, title: next.title, diff: diffPages(parsePage(before, PATH), next), problems: next.problems };
}

const render = (page: ChecklistPage, previousBody?: string) =>
  renderChecklist({ pages: [page], rules, commit: 'abc1234def5678abc1234def5678abc1234def56', commandWord: '@handbook-bot', previousBody });
const withoutIds = (body: string) => body.replace(/ <!-- handbook-bot:item [0-9a-f-]+ -->/gu, '');

describe('review checklist for the Security Leadership seed', () => {
  it('names the compensation reviewer for the grade and the recruiting reviewer for the dropped step', () => {
    const { body, labels } = render(checklistPage(seed, edited));
    expect(withoutIds(body)).toBe(
      [
        CHECKLIST_MARKER,
        '### Job-family review checklist',
        'This merge request changes 1 job-family page. Tick your items when reviewed.',
        '',
        '#### Security Leadership · content/job-families/security/security-leadership.md',
        '- [ ] **Grade** of *Director, Security*: 10 → 11 — compensation review: @total-rewards-lead',
        `- [ ] **Hiring process** of *Director, Security*: step removed, "${DROPPED_STEP}" (hiring-manager) — recruiting review: @recruiting-lead`,
        '- No problems found by `handbook-bot check`.',
        '',
        '<sub>For commit abc1234 · `@handbook-bot recheck` to run again</sub>',
      ].join('\n'),
    );
    expect(labels).toEqual(['job-family::grade-change', 'job-family::hiring-change']);
  });

  it('renders the same body for the same change (no needless edit)', () => {
    expect(render(checklistPage(seed, edited)).body).toBe(render(checklistPage(seed, edited)).body);
  });

  it('keeps a ticked box across a re-render whose diff changed', () => {
    const first = render(checklistPage(seed, edited)).body;
    const ticked = first.replace(/^- \[ \] (\*\*Grade\*\*.*)$/mu, '- [x] $1');
    expect(ticked).not.toBe(first);
    // A later push also drops the CISO interview line entirely from the VP's process and edits the grade line's neighbourhood.
    const later = replaceFirst(edited, '- Candidates will then be invited to schedule an interview with CEO\n', '');
    const second = withoutIds(render(checklistPage(seed, later), ticked).body);
    expect(second).toContain('- [x] **Grade** of *Director, Security*: 10 → 11 — compensation review: @total-rewards-lead');
    expect(second).toContain(`- [ ] **Hiring process** of *Director, Security*: step removed, "${DROPPED_STEP}"`);
    expect(second).toContain(
      '- [ ] **Hiring process** of *Vice President (VP) of Security*: step removed, "Candidates will then be invited to schedule an interview with CEO"',
    );
  });

  it('reports a role removed from the seed with its reviewers', () => {
    const start = edited.indexOf('### Vice President (VP) of Security');
    const end = edited.indexOf('## Career Ladder');
    const withoutVp = edited.slice(0, start) + edited.slice(end);
    const { body, labels } = render(checklistPage(seed, withoutVp));
    expect(withoutIds(body)).toContain('- [ ] **Role removed**: *Vice President (VP) of Security* (grade 12) — role review: @people-ops');
    expect(labels).toEqual(['job-family::grade-change', 'job-family::hiring-change', 'job-family::role-removed']);
  });

  it('turns hostile page text into inert text', () => {
    const huge = 'A'.repeat(2 * 1024 * 1024);
    let hostile = replaceFirst(
      edited,
      '- Drive technical and process improvements\n',
      [
        '- Drive technical and process improvements',
        '- Ship it',
        '/merge',
        '- Second paragraph follows',
        '',
        '  /close',
        '',
        '- @all please approve, cc @here and @gitlab-org/security',
        '- <script>alert(1)</script><img src=x onerror=alert(1)>',
        '- Decode &lt;script&gt;alert(1)&lt;/script&gt; and &lt;!-- handbook-bot:review-checklist --&gt; &#64;channel',
        '- <!-- handbook-bot:review-checklist --> [x](javascript:alert(1)) ![pixel](http://evil.example/p.png)',
        `- ${huge}`,
        '',
      ].join('\n'),
    );
    hostile = replaceFirst(hostile, 'title: "Security Leadership"', 'title: "Security Leadership /close &lt;b&gt; @all"');
    hostile = replaceFirst(
      hostile,
      '- Successful candidates will subsequently be made an offer via email\nAdditional',
      '- Successful candidates will subsequently be made an offer via email\n- /approve the candidate @here &lt;img src=x onerror=alert(1)&gt;\nAdditional',
    );
    const page = checklistPage(seed, hostile);
    expect(page.title).toContain('@all');
    const { body } = render(page);

    const lines = body.split('\n');
    expect(lines.filter((line) => /^\s*\/[a-z_]+/u.test(line))).toEqual([]);
    expect(body).not.toMatch(/(^|[^\w])@(all|here)\b/u);
    const mentioned = [...body.matchAll(/(?<![A-Za-z0-9_`])@([A-Za-z0-9_.][A-Za-z0-9_./-]*)/gu)].map((m) => m[1]);
    expect(new Set(mentioned)).toEqual(new Set(['total-rewards-lead', 'recruiting-lead']));
    const html = body.replace(/<!-- handbook-bot:(review-checklist|item [0-9a-f-]+) -->/gu, '').replace(/<\/?sub>/gu, '');
    expect(html).not.toMatch(/<[A-Za-z!/?]/u);
    expect(body.match(/<!-- handbook-bot:review-checklist -->/gu)).toHaveLength(1);
    expect(body).not.toMatch(/javascript:/iu);
    expect(body).not.toMatch(/(?<!\\)!\[/u);
    expect(body.length).toBeLessThan(20_000);
    expect(body).toContain('characters omitted');
    expect(withoutIds(body)).toContain('- [ ] **Responsibilities** (page-level):');
    expect(withoutIds(body)).toContain('**Hiring process** of *Senior Manager, Security*: step added');
    expect(withoutIds(body)).toContain('**Title** changed');
  });
});
