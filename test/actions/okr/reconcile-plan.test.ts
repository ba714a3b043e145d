import { describe, expect, it } from 'vitest';
import { planOkrIssue, type OkrPlanOptions } from '../../../src/actions/okr/issue-plan.js';
import {
  REMOVED_NOTICE_PREFIX,
  isRemovedBlock,
  markBlockRemoved,
  planOkrReconcile,
  sameExceptCommit,
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
const T1 = '2026-11-02T16:20:00Z';
const C2 = '8b2e4d6f8a0c2e4f6a8c0e2f4a6c8e0a2c4e6f8a';
const T2 = '2026-11-18T09:45:00Z';
const NOW = new Date('2026-11-20T12:00:00Z');

const withoutCostOfAbuse = SOURCE.replace(/^- \[Cost of Abuse\].*\n/mu, '');
const retitled = SOURCE.replace('title: "Security Leadership"', 'title: "Security Leadership and Assurance"');

function options(commit: string, committedAt: string): OkrPlanOptions {
  return {
    now: NOW,
    fiscalYearStartMonth: 2,
    labels: ['OKR'],
    pageUrl: `https://gitlab.example.com/acme/handbook/-/blob/${commit}/${PATH}`,
    commit,
    committedAt,
  };
}

function present(source: string, commit: string, committedAt: string, over: Partial<OkrPagePresent> = {}): OkrPagePresent {
  return {
    kind: 'present',
    plan: planOkrIssue(parsePage(source, PATH), options(commit, committedAt)),
    committedAt,
    previousTitle: null,
    ignoreCommitOnlyChange: false,
    assignees: ['alice'],
    ...over,
  };
}

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
  const desired = present(SOURCE, C1, T1);

  it('creates the issue, labels first, when no issue of the page carries the quarter key', () => {
    const lastQuarter = issue(3, desired.plan.block.replace('security-leadership FY27-Q4', 'security-leadership FY27-Q3'));
    const plan = planOkrReconcile(desired, [lastQuarter]);
    expect(plan.outcome).toBe('created');
    expect(plan.operations).toEqual([
      {
        kind: 'ensure-labels',
        labels: [
          { name: 'OKR', color: '#428bca', description: 'OKR tracking issue of a job-family page, kept in step with the page by handbook-bot' },
          {
            name: 'job-family::security-leadership',
            color: '#a8d695',
            description: 'Issues about the job-family page "security-leadership": its OKR tracking issue and recruiting issues (handbook-bot)',
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
    const ticked = human.replace('- [ ] [Security Control Health]', '- [x] [Security Control Health]').replace('- [ ] [Cost of Abuse]', '- [x] [Cost of Abuse]');
    const next = present(withoutCostOfAbuse, C2, T2);
    const plan = planOkrReconcile(next, [issue(7, ticked)]);
    expect(plan.outcome).toBe('updated');
    const edit = onlyEdit(plan);
    expect(Object.keys(edit)).toEqual(['description']);
    const description = edit.description ?? '';
    expect(description.startsWith('Team notes: targets agreed in the staff meeting.\n\n<!-- handbook-bot:begin commit=')).toBe(true);
    expect(description.endsWith('<!-- handbook-bot:end -->\n\nFollow-up: @carol owns the IACV dashboard.')).toBe(true);
    expect(description).toContain(`<!-- handbook-bot:begin commit=${C2} committed=${T2} -->`);
    expect(description).toContain('- [x] [Security Control Health]');
    expect(description).toContain('- [ ] [Security Impact on IACV]');
    expect(description).not.toContain('Cost of Abuse');
    // And on what GitLab then holds, nothing more.
    expect(planOkrReconcile(next, [applied(issue(7, ticked), edit)]).operations).toEqual([]);
  });

  it('never replaces a block written for a later commit', () => {
    const newer = present(withoutCostOfAbuse, C2, T2);
    const plan = planOkrReconcile(present(SOURCE, C1, T1), [issue(7, newer.plan.block)]);
    expect(plan).toEqual({ outcome: 'older-commit', iid: 7, operations: [] });
  });

  it('a re-sync at a newer commit of an unchanged page writes nothing; a push at that commit does', () => {
    const current = [issue(7, desired.plan.block)];
    expect(planOkrReconcile(present(SOURCE, C2, T2, { ignoreCommitOnlyChange: true }), current).operations).toEqual([]);
    const pushed = planOkrReconcile(present(SOURCE, C2, T2), current);
    expect(onlyEdit(pushed).description).toContain(`commit=${C2} committed=${T2}`);
    expect(sameExceptCommit(desired.plan.block, present(SOURCE, C2, T2).plan.block)).toBe(true);
    expect(sameExceptCommit(desired.plan.block, present(withoutCostOfAbuse, C2, T2).plan.block)).toBe(false);
  });

  it('renames the issue with the page only while the title is still the one the bot gave it', () => {
    const next = present(retitled, C2, T2, { previousTitle: desired.plan.title });
    expect(onlyEdit(planOkrReconcile(next, [issue(7, desired.plan.block)])).title).toBe('OKRs: Security Leadership and Assurance — FY27-Q4');
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
  const T3 = '2026-11-19T08:00:00Z';
  const removed: OkrPageRemoved = { kind: 'removed', slug: 'security-leadership', path: PATH, commit: C3, committedAt: T3 };
  const block = present(SOURCE, C1, T1).plan.block.replace('- [ ] [Security Control Health]', '- [x] [Security Control Health]');

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
    expect(edit.description).toContain(`<!-- handbook-bot:begin commit=${C3} committed=${T3} removed=true -->`);
    expect(edit.description).toContain(`${REMOVED_NOTICE_PREFIX} from the handbook at commit \`c0ffee00\`; this issue was closed.`);
    expect(edit.description).toContain('- [x] [Security Control Health]');
    expect(edit.description?.startsWith('Notes\n\n')).toBe(true);
    expect(planOkrReconcile(removed, [applied(open, edit)])).toEqual({ outcome: 'unchanged', iid: 7, operations: [] });
  });

  it('an older removal leaves a newer block alone; a same-commit block of another path means the page moved', () => {
    const newer = present(SOURCE, 'f'.repeat(40), '2026-11-19T09:00:00Z').plan.block;
    expect(planOkrReconcile(removed, [issue(7, newer)])).toEqual({ outcome: 'older-commit', iid: 7, operations: [] });
    const moved = present(SOURCE, C3, T3).plan.block;
    expect(planOkrReconcile(removed, [issue(7, moved)])).toEqual({ outcome: 'moved', iid: 7, operations: [] });
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
    const back = present(SOURCE, 'd'.repeat(40), '2026-11-20T08:00:00Z');
    const edit = onlyEdit(planOkrReconcile(back, [closed]));
    expect(edit.state_event).toBe('reopen');
    expect(edit.description).not.toContain(REMOVED_NOTICE_PREFIX);
    expect(edit.description).toContain('- [x] [Security Control Health]');
    // A closed issue the bot did not close (people finished the quarter) stays closed.
    const done = issue(8, back.plan.block, { state: 'closed' });
    expect(planOkrReconcile(back, [done]).operations).toEqual([]);
  });
});
