import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { planOkrIssue, type OkrPlanOptions } from '../../../src/actions/okr/issue-plan.js';
import {
  REMOVED_NOTICE_PREFIX,
  isRemovedBlock,
  markBlockRemoved,
  planOkrReconcile,
  type OkrPagePresent,
  type OkrPageRemoved,
} from '../../../src/actions/okr/reconcile-plan.js';
import type { Issue, IssueEdit } from '../../../src/gitlab/api.js';
import { parsePage } from '../../../src/jobfamily/parse.js';
import { seed } from '../../support/pages.js';

/** The pure half of the OKR issue: desired state + GitLab's issues → operations, no GitLab involved. */

const PATH = 'content/job-families/security/security-leadership.md';
const SOURCE = seed('security-leadership.md').source;
const C1 = '3f9a1c0e5b7d2468ace13579bdf02468ace13579';
const C2 = '8b2e4d6f8a0c2e4f6a8c0e2f4a6c8e0a2c4e6f8a';
const NOW = new Date('2026-11-20T12:00:00Z');

const withoutCostOfAbuse = SOURCE.replace(/^- \[Cost of Abuse\].*\n/mu, '');
const retitled = SOURCE.replace('title: "Security Leadership"', 'title: "Security Leadership and Assurance"');

function options(commit: string): OkrPlanOptions {
  return {
    now: NOW,
    fiscalYearStartMonth: 2,
    labels: ['OKR'],
    pageUrl: `https://gitlab.example.com/acme/handbook/-/blob/${commit}/${PATH}`,
    commit,
  };
}

/** `commit`: the commit that last changed the page (what the block links). */
function present(source: string, commit: string, over: Partial<OkrPagePresent> = {}): OkrPagePresent {
  return {
    kind: 'present',
    plan: planOkrIssue(parsePage(source, PATH), options(commit)),
    assignees: ['alice'],
    ...over,
  };
}

/** sha256 of the title, first 12 hex digits: what the begin marker records as `title=`. */
const TITLE_DIGEST = createHash('sha256').update('OKRs: Security Leadership — FY27-Q4').digest('hex').slice(0, 12);

function issue(iid: number, description: string | null, over: Partial<Issue> = {}): Issue {
  return {
    id: 9000 + iid,
    iid,
    project_id: 4242,
    title: 'OKRs: Security Leadership — FY27-Q4',
    description,
    state: 'opened',
    labels: ['OKR', 'job-family::security-leadership'],
    web_url: `https://gitlab.example.com/acme/handbook/-/issues/${iid}`,
    ...over,
  };
}

/** What GitLab holds after the plan's edit (the plan is pure, so "GitLab" is this function here). */
function applied(current: Issue, edit: IssueEdit): Issue {
  return {
    ...current,
    ...(edit.description === undefined ? {} : { description: edit.description }),
    ...(edit.title === undefined ? {} : { title: edit.title }),
    labels: [...current.labels, ...(edit.add_labels ?? [])],
    state: edit.state_event === 'close' ? 'closed' : edit.state_event === 'reopen' ? 'opened' : current.state,
  };
}

function onlyEdit(plan: ReturnType<typeof planOkrReconcile>): IssueEdit {
  const edits = plan.operations.filter((op) => op.kind === 'edit-issue');
  expect(edits).toHaveLength(1);
  const [op] = edits;
  if (op?.kind !== 'edit-issue') throw new Error('no edit');
  return op.edit;
}

describe('planOkrReconcile: page present', () => {
  const desired = present(SOURCE, C1);

  it('creates the issue, labels first, when no issue of the page carries the quarter key', () => {
    const lastQuarter = issue(
      3,
      desired.plan.block.replace('security-leadership FY27-Q4', 'security-leadership FY27-Q3').replace(/- \[ \]/gu, '- [x]'),
      { state: 'closed' },
    );
    const plan = planOkrReconcile(desired, [lastQuarter]);
    expect(plan.outcome).toBe('created');
    expect(plan.operations).toEqual([
      {
        kind: 'ensure-labels',
        labels: [
          {
            name: 'OKR',
            color: '#428bca',
            description: 'OKR tracking issue of a job-family page, kept in step with the page by handbook-bot',
          },
          {
            name: 'job-family::security-leadership',
            color: '#a8d695',
            description:
              'Issues about the job-family page "security-leadership": its OKR tracking issue and recruiting issues (handbook-bot)',
          },
        ],
      },
      {
        kind: 'create-issue',
        issue: {
          title: 'OKRs: Security Leadership — FY27-Q4',
          description: desired.plan.block,
          labels: ['OKR', 'job-family::security-leadership'],
          due_date: '2027-01-31',
        },
        assignees: ['alice'],
      },
    ]);
  });

  it('plans nothing for the issue it would create (a second run)', () => {
    const plan = planOkrReconcile(desired, [issue(7, desired.plan.block)]);
    expect(plan).toEqual({ outcome: 'unchanged', iid: 7, operations: [] });
  });

  it('rewrites only the block of a changed page: people text and ticks of surviving items stay', () => {
    const human = `Team notes: targets agreed in the staff meeting.\n\n${desired.plan.block}\n\nFollow-up: @carol owns the IACV dashboard.`;
    const ticked = human
      .replace('- [ ] [Security Control Health]', '- [x] [Security Control Health]')
      .replace('- [ ] [Cost of Abuse]', '- [x] [Cost of Abuse]');
    const next = present(withoutCostOfAbuse, C2);
    const plan = planOkrReconcile(next, [issue(7, ticked)]);
    expect(plan.outcome).toBe('updated');
    const edit = onlyEdit(plan);
    expect(Object.keys(edit)).toEqual(['description']);
    const description = edit.description ?? '';
    expect(description.startsWith('Team notes: targets agreed in the staff meeting.\n\n<!-- handbook-bot:begin commit=')).toBe(true);
    expect(description.endsWith('<!-- handbook-bot:end -->\n\nFollow-up: @carol owns the IACV dashboard.')).toBe(true);
    expect(description).toContain(`<!-- handbook-bot:begin commit=${C2} title=${TITLE_DIGEST} -->`);
    expect(description).toContain('- [x] [Security Control Health]');
    expect(description).toContain('- [ ] [Security Impact on IACV]');
    expect(description).not.toContain('Cost of Abuse');
    // And on what GitLab then holds, nothing more.
    expect(planOkrReconcile(next, [applied(issue(7, ticked), edit)]).operations).toEqual([]);
  });

  it('an older version of the page replaces a newer block: a revert or a force-push back is just another state', () => {
    const newer = present(withoutCostOfAbuse, C2);
    const edit = onlyEdit(planOkrReconcile(present(SOURCE, C1), [issue(7, newer.plan.block)]));
    expect(edit.description).toContain(`<!-- handbook-bot:begin commit=${C1} title=${TITLE_DIGEST} -->`);
    expect(edit.description).toContain(
      '- [ ] [Cost of Abuse](https://about.gitlab.com/handbook/security/performance-indicators/#cost-of-abuse)',
    );
  });

  it('renames the issue with the page only while the title is still the one the bot gave it', () => {
    // The block records the digest of the title the bot gave; a title people chose does not match it.
    const next = present(retitled, C2);
    expect(onlyEdit(planOkrReconcile(next, [issue(7, desired.plan.block)])).title).toBe(
      'OKRs: Security Leadership and Assurance — FY27-Q4',
    );
    const renamedByPeople = issue(7, desired.plan.block, { title: 'Security OKRs (owned by Carol)' });
    expect(onlyEdit(planOkrReconcile(next, [renamedByPeople])).title).toBeUndefined();
  });

  it('puts back a label people removed, creating it deliberately first', () => {
    const plan = planOkrReconcile(desired, [issue(7, desired.plan.block, { labels: ['job-family::security-leadership'] })]);
    expect(plan.operations.map((op) => op.kind)).toEqual(['ensure-labels', 'edit-issue']);
    expect(onlyEdit(plan)).toEqual({ add_labels: ['OKR'] });
  });

  it('uses the lowest iid when people copied the key into another issue', () => {
    const plan = planOkrReconcile(desired, [issue(9, desired.plan.block), issue(4, desired.plan.block)]);
    expect(plan.iid).toBe(4);
  });
});

describe('planOkrReconcile: page removed', () => {
  const C3 = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';
  const removed: OkrPageRemoved = { kind: 'removed', slug: 'security-leadership', path: PATH, commit: C3 };
  const block = present(SOURCE, C1).plan.block.replace('- [ ] [Security Control Health]', '- [x] [Security Control Health]');

  it('comments once, marks the block removed (ticks kept) and closes; then plans nothing', () => {
    const open = issue(7, `Notes\n\n${block}`);
    const plan = planOkrReconcile(removed, [open]);
    expect(plan.outcome).toBe('closed');
    expect(plan.operations.map((op) => op.kind)).toEqual(['comment-once', 'edit-issue']);
    const [comment] = plan.operations;
    expect(comment).toEqual({
      kind: 'comment-once',
      iid: 7,
      marker: { kind: 'okr-removed', key: `security-leadership ${C3}` },
      body: `The job-family page ${PATH} was removed from the handbook at commit \`c0ffee00\`, so this OKR tracking issue is closed. If the page comes back this quarter, handbook-bot reopens the issue and updates it.`,
    });
    const edit = onlyEdit(plan);
    expect(edit.state_event).toBe('close');
    expect(edit.description).toContain(`<!-- handbook-bot:begin commit=${C3} removed=true -->`);
    expect(edit.description).toContain(`${REMOVED_NOTICE_PREFIX} from the handbook at commit \`c0ffee00\`; this issue was closed.`);
    expect(edit.description).toContain('- [x] [Security Control Health]');
    expect(edit.description?.startsWith('Notes\n\n')).toBe(true);
    expect(planOkrReconcile(removed, [applied(open, edit)])).toEqual({ outcome: 'unchanged', iid: 7, operations: [] });
  });

  it('plans nothing without an issue of the page', () => {
    expect(planOkrReconcile(removed, [])).toEqual({ outcome: 'no-issue', iid: null, operations: [] });
  });

  it('closes every open issue of the page, whatever the quarter, and leaves closed ones alone', () => {
    const q3 = issue(3, block.replace('security-leadership FY27-Q4', 'security-leadership FY27-Q3'));
    const q2 = issue(2, block.replace('security-leadership FY27-Q4', 'security-leadership FY27-Q2'), { state: 'closed' });
    const other = issue(5, block.replace('security-leadership FY27-Q4', 'security-leadership-extra FY27-Q4'));
    const plan = planOkrReconcile(removed, [issue(7, block), q3, q2, other]);
    expect(plan.operations.map((op) => `${op.kind} #${'iid' in op ? op.iid : ''}`)).toEqual([
      'comment-once #3',
      'edit-issue #3',
      'comment-once #7',
      'edit-issue #7',
    ]);
  });

  it('a page that comes back reopens the issue the bot closed, ticks kept, notice gone', () => {
    const closed = issue(7, markBlockRemoved(block, removed), { state: 'closed' });
    expect(isRemovedBlock(closed.description)).toBe(true);
    const back = present(SOURCE, 'd'.repeat(40));
    const edit = onlyEdit(planOkrReconcile(back, [closed]));
    expect(edit.state_event).toBe('reopen');
    expect(edit.description).not.toContain(REMOVED_NOTICE_PREFIX);
    expect(edit.description).toContain('- [x] [Security Control Health]');
    // A closed issue the bot did not close (people finished the quarter) stays closed.
    const done = issue(8, back.plan.block, { state: 'closed' });
    expect(planOkrReconcile(back, [done]).operations).toEqual([]);
  });
});

describe('planOkrReconcile: quarter rollover', () => {
  const q1 = present(SOURCE, C1, {
    plan: planOkrIssue(parsePage(SOURCE, PATH), { ...options(C1), now: new Date('2027-02-01T00:10:00Z') }),
  });
  const q4 = present(SOURCE, C1).plan.block.replace('- [ ] [Security Control Health]', '- [x] [Security Control Health]');

  it("opens the new quarter's issue with the key results left unticked, then closes the old one with a link", () => {
    const plan = planOkrReconcile(q1, [issue(7, `Notes\n\n${q4}`)]);
    expect(plan.operations.map((op) => op.kind)).toEqual(['ensure-labels', 'create-issue', 'supersede']);
    const create = plan.operations[1];
    if (create?.kind !== 'create-issue') throw new Error('no create');
    expect(create.issue.title).toBe('OKRs: Security Leadership — FY28-Q1');
    const carried = create.issue.description.split('<!-- handbook-bot:end -->\n\n')[1]?.split('\n') ?? [];
    expect(carried[0]).toBe('**Carried over from FY27-Q4** (#7): key results still unticked there.');
    expect(carried.slice(1).map((line) => line.split(']')[0])).toEqual(['- [ ', '- [ ', '- [ ', '- [ ']);
    expect(carried.slice(1).map((line) => /\[([^\]]+)\]\(/u.exec(line)?.[1])).toEqual([
      'Security Impact on IACV',
      'MTTM (Mean-Time-To-Mitigation) for severity::1-severity::2-severity::3 security vulnerabilities',
      'SIRT (former Security Operations) Page Volume',
      'Cost of Abuse',
    ]);
    const supersede = plan.operations[2];
    expect(
      supersede?.kind === 'supersede' && {
        iid: supersede.iid,
        successor: supersede.successor,
        quarter: supersede.quarter,
        state: supersede.edit.state_event,
      },
    ).toEqual({
      iid: 7,
      successor: null,
      quarter: 'FY28-Q1',
      state: 'close',
    });
  });

  it('a superseded issue someone reopened is left alone', () => {
    const current = issue(9, q1.plan.block, { title: 'OKRs: Security Leadership — FY28-Q1' });
    const reopened = issue(7, q4.replace(`title=${TITLE_DIGEST} -->`, `title=${TITLE_DIGEST} superseded=FY28-Q1 -->`));
    expect(planOkrReconcile(q1, [reopened, current])).toEqual({ outcome: 'unchanged', iid: 9, operations: [] });
  });
});
