import { describe, expect, it } from 'vitest';
import type { DumpIssue, DumpNote, DumpProject, SimDump } from '../support/gitlab-sim/types.js';
import { gitlabView, normaliseBlock } from '../support/oracle/gitlab-view.js';
import { diffViews, formatDifferences } from '../support/oracle/view-diff.js';

/**
 * The oracle itself, on hand-written dumps: what it normalises away (commit ids and times, the
 * simulator's address, history notes, closed issues, unused labels) and what it must report, each
 * difference naming its page.
 */

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const PATH = 'handbook/job-families/security/threat-management.md';
const PAGE_V1 = '# Threat Management v1\n';
const PAGE_V2 = '# Threat Management v2\n';

function block(commit: string, port: number, extra = ''): string {
  return [
    'People write here.',
    `<!-- handbook-bot:begin commit=${commit} committed=2026-11-0${port % 9}T10:00:00Z -->`,
    '<!-- handbook-bot:okr threat-management FY27-Q4 -->',
    `**Job family:** [Threat Management](http://127.0.0.1:${port}/acme/handbook/-/blob/${commit}/handbook/job-families/security/threat-management.md) at commit \`${commit.slice(0, 8)}\` · ${PATH}`,
    '- [ ] [Cost of Abuse](https://handbook.example.com/kpis/#cost-of-abuse) — target: to be set — owner: unassigned',
    ...(extra === '' ? [] : [extra]),
    '<!-- handbook-bot:end -->',
  ].join('\n');
}

const note = (body: string, author = 'handbook-bot'): DumpNote => ({ id: 1, body, author, system: false, created_at: '', updated_at: '' });

function issue(over: Partial<DumpIssue>): DumpIssue {
  return {
    iid: 1,
    title: 'OKRs: Threat Management — FY27-Q4',
    description: block(A, 4001),
    state: 'opened',
    labels: ['OKR', 'job-family::threat-management'],
    assignees: [],
    author: 'handbook-bot',
    due_date: '2027-01-31',
    confidential: false,
    notes: [],
    ...over,
  };
}

function project(path: string, over: Partial<DumpProject>): DumpProject {
  return {
    id: path === 'acme/handbook' ? 101 : 102,
    path,
    default_branch: 'main',
    branches: {},
    labels: [],
    issues: [],
    merge_requests: [],
    boards: [],
    statuses: [],
    ...over,
  };
}

const label = (name: string, color = '#428bca', description: string | null = null) => ({ id: 1, name, color, description, group: null });

function dump(handbook: Partial<DumpProject>, recruiting: Partial<DumpProject> = {}): SimDump {
  return {
    users: [],
    projects: [
      project('acme/handbook', { labels: [label('OKR'), label('job-family::threat-management')], issues: [issue({})], ...handbook }),
      project('acme/recruiting', {
        labels: [label('hiring-stage::screening', '#6699cc', 'Screening'), label('hiring-stage::offer', '#009966', 'Offer')],
        boards: [{ id: 1, name: 'Hiring pipeline', lists: ['hiring-stage::screening', 'hiring-stage::offer'] }],
        ...recruiting,
      }),
    ],
    violations: [],
    requests: { total: 0, byRoute: {}, writes: [] },
    faults: { injected429: 0, injectedActionLimit429: 0, injected500: 0, injected502AfterApply: 0, delayedRequests: 0 },
  };
}

const finalTree = new Map([[PATH, PAGE_V2]]);
const files: Record<string, string> = { [`${A}:${PATH}`]: PAGE_V2, [`${B}:${PATH}`]: PAGE_V1 };
const options = {
  handbookPath: 'acme/handbook',
  recruitingPath: 'acme/recruiting',
  finalTree,
  fileAt: (commit: string, path: string) => files[`${commit}:${path}`],
};
const reference = gitlabView(dump({}), { handbookPath: 'acme/handbook', recruitingPath: 'acme/recruiting' });
const differences = (actual: SimDump) => formatDifferences(diffViews(gitlabView(actual, options), reference));

describe('the oracle', () => {
  it('keeps the block, without commit ids, commit times and the simulator address', () => {
    expect(normaliseBlock(block(A, 4001))).toBe(
      [
        '<!-- handbook-bot:begin -->',
        '<!-- handbook-bot:okr threat-management FY27-Q4 -->',
        '**Job family:** [Threat Management](<gitlab>/acme/handbook/-/blob/<commit>/handbook/job-families/security/threat-management.md) at commit `<commit>` · handbook/job-families/security/threat-management.md',
        '- [ ] [Cost of Abuse](https://handbook.example.com/kpis/#cost-of-abuse) — target: to be set — owner: unassigned',
        '<!-- handbook-bot:end -->',
      ].join('\n'),
    );
  });

  it('finds no difference when only ids, times, addresses, history notes, closed issues and unused labels differ', () => {
    const actual = dump({
      labels: [
        label('OKR'),
        label('job-family::threat-management'),
        label('job-family::threat-operations'),
        label('job-family::grade-change'),
      ],
      issues: [
        issue({
          description: block(A, 5123),
          notes: [note('<!-- handbook-bot:okr-moved threat-operations.threat-management -->\nMoved.')],
        }),
        issue({
          iid: 2,
          state: 'closed',
          title: 'OKRs: Threat Operations — FY27-Q4',
          description: block(B, 5123).replace('threat-management FY27', 'threat-operations FY27'),
        }),
      ],
    });
    expect(differences(actual)).toBe('');
  });

  it('names the page whose block links a version that is not the branch head', () => {
    expect(differences(dump({ issues: [issue({ description: block(B, 4001) })] }))).toBe(
      `threat-management: OKR block links a stale version: ${PATH} at bbbbbbbb (differs from the branch head)`,
    );
  });

  it('names the page of a changed block line, title, label set and state note', () => {
    const actual = dump({
      issues: [
        issue({
          title: 'OKRs: Threat Management Roles — FY27-Q4',
          labels: ['OKR'],
          description: block(
            A,
            4001,
            '- [ ] [Page Volume](https://handbook.example.com/kpis/#page-volume) — target: to be set — owner: unassigned',
          ),
          notes: [note('<!-- handbook-bot:stage-invalid offer -->\nNo such stage.')],
        }),
      ],
    });
    expect(differences(actual).split('\n')).toEqual([
      'threat-management: OKR issue title "OKRs: Threat Management Roles — FY27-Q4", expected "OKRs: Threat Management — FY27-Q4"',
      'threat-management: OKR issue labels ["OKR"], expected ["OKR","job-family::threat-management"]',
      'threat-management: OKR block differs: unexpected "- [ ] [Page Volume](https://handbook.example.com/kpis/#page-volume) — target: to be set — owner: unassigned"',
      'threat-management: OKR issue bot notes ["stage-invalid"], expected []',
    ]);
  });

  it('reports a second open issue for a page, and an open issue for a page the final tree does not have', () => {
    const other = issue({
      iid: 3,
      title: 'OKRs: Threat Operations — FY27-Q4',
      description: block(A, 4001).replace('threat-management FY27', 'threat-operations FY27'),
      labels: ['OKR', 'job-family::threat-operations'],
    });
    const actual = dump({
      labels: [label('OKR'), label('job-family::threat-management'), label('job-family::threat-operations')],
      issues: [issue({}), issue({ iid: 2 }), other],
    });
    expect(differences(actual).split('\n')).toEqual([
      'threat-management: 2 open OKR issues for threat-management FY27-Q4: ["OKRs: Threat Management — FY27-Q4","OKRs: Threat Management — FY27-Q4"]',
      'threat-operations: open OKR issue(s) a fresh sync does not have: ["OKRs: Threat Operations — FY27-Q4"]',
      'labels: label job-family::threat-operations should not exist',
    ]);
  });

  it('reports stale stage labels and lists out of order, but not the label and list of a stage no page has any more (kept by design)', () => {
    const actual = dump(
      {},
      {
        labels: [
          label('hiring-stage::screening', '#6699cc', 'Screening (Old Page)'),
          label('hiring-stage::offer', '#009966', 'Offer'),
          label('hiring-stage::assessment', '#0000ff', 'Assessment'),
        ],
        boards: [{ id: 1, name: 'Hiring pipeline', lists: ['hiring-stage::offer', 'hiring-stage::assessment', 'hiring-stage::screening'] }],
      },
    );
    const found = diffViews(gitlabView(actual, options), reference).map(
      (difference) => `${difference.aspect} | ${difference.subject}: ${difference.what}`,
    );
    expect(found).toEqual([
      'hiring | stage labels: label hiring-stage::screening is {"name":"hiring-stage::screening","color":"#6699cc","description":"Screening (Old Page)"}, expected {"name":"hiring-stage::screening","color":"#6699cc","description":"Screening"}',
      'hiring | board: board "Hiring pipeline" lists ["hiring-stage::offer","hiring-stage::assessment","hiring-stage::screening"], expected ["hiring-stage::screening","hiring-stage::offer"]',
    ]);
  });

  it('reports violations whatever else matches', () => {
    const actual = dump({});
    actual.violations.push({
      seq: 3,
      kind: 'quick-action',
      project: 'acme/handbook',
      target: 'issues/1',
      user: 'handbook-bot',
      text: '/close',
    });
    expect(differences(actual)).toBe('gitlab: violation: quick-action in acme/handbook issues/1: /close');
  });
});
