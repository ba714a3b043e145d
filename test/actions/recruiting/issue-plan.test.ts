import { describe, expect, it } from 'vitest';
import type { HiringRole } from '../../../src/actions/hiring/family.js';
import {
  familyLabelSlugs,
  jobFamilyLinks,
  nextRemainingStage,
  planIssueStage,
  roleForTitle,
  type IssueStageInput,
} from '../../../src/actions/recruiting/issue-plan.js';
import { DEFAULT_STAGE_ORDER } from '../../../src/jobfamily/model.js';

const ORDER = [...DEFAULT_STAGE_ORDER];
const TM = ['screening', 'hiring-manager', 'team-interviews', 'executive', 'offer'];
const input = (over: Partial<IssueStageInput>): IssueStageInput => ({
  labels: [],
  stages: TM,
  order: ORDER,
  dropped: [],
  addedLabels: [],
  ...over,
});

describe('planIssueStage', () => {
  it("no stage label: the role's first stage", () => {
    expect(planIssueStage(input({ labels: ['job-family::tm'] }))).toEqual({
      edit: { add: ['hiring-stage::screening'], remove: [] },
      comment: null,
      stage: 'screening',
      reason: 'first-stage',
    });
  });

  it("exactly one valid stage: nothing (the bot's own edits and redeliveries end here)", () => {
    expect(
      planIssueStage(input({ labels: ['job-family::tm', 'hiring-stage::executive'], addedLabels: ['hiring-stage::executive'] })),
    ).toEqual({
      edit: null,
      comment: null,
      stage: 'executive',
      reason: 'ok',
    });
  });

  it('two stages: keep the one just added, remove the other, in one update', () => {
    const plan = planIssueStage(
      input({ labels: ['hiring-stage::offer', 'hiring-stage::screening'], addedLabels: ['hiring-stage::screening'] }),
    );
    expect(plan).toEqual({
      edit: { add: [], remove: ['hiring-stage::offer'] },
      comment: { kind: 'stage-collapsed', kept: 'screening', removed: ['offer'], because: 'just-added' },
      stage: 'screening',
      reason: 'collapsed',
    });
  });

  it('two stages and no event to tell: the furthest valid stage stays', () => {
    const plan = planIssueStage(input({ labels: ['hiring-stage::hiring-manager', 'hiring-stage::screening', 'hiring-stage::bogus'] }));
    expect(plan.edit).toEqual({ add: [], remove: ['hiring-stage::screening', 'hiring-stage::bogus'] });
    expect(plan.stage).toBe('hiring-manager');
    expect(plan.comment).toEqual({ kind: 'stage-collapsed', kept: 'hiring-manager', removed: ['screening', 'bogus'], because: 'furthest' });
  });

  it('a stage the role does not have: a comment (and nothing else when it is the only one)', () => {
    const plan = planIssueStage(input({ labels: ['hiring-stage::assessment'] }));
    expect(plan).toEqual({ edit: null, comment: { kind: 'stage-invalid', stage: 'assessment' }, stage: 'assessment', reason: 'invalid' });
  });

  it('just added an invalid stage next to a valid one: the added one is kept, the other removed, and a comment says why it is wrong', () => {
    const plan = planIssueStage(
      input({ labels: ['hiring-stage::assessment', 'hiring-stage::screening'], addedLabels: ['hiring-stage::assessment'] }),
    );
    expect(plan.edit).toEqual({ add: [], remove: ['hiring-stage::screening'] });
    expect(plan.comment).toEqual({ kind: 'stage-invalid', stage: 'assessment' });
  });

  it('a dropped stage moves to the next remaining one, with a comment, in one update', () => {
    const stages = ['screening', 'hiring-manager', 'team-interviews', 'offer'];
    const plan = planIssueStage(input({ labels: ['x', 'hiring-stage::executive'], stages, dropped: ['executive'] }));
    expect(plan).toEqual({
      edit: { add: ['hiring-stage::offer'], remove: ['hiring-stage::executive'] },
      comment: { kind: 'stage-moved', from: 'executive', to: 'offer' },
      stage: 'offer',
      reason: 'migrated',
    });
  });

  it('a role without hiring process: no stage is added, duplicates still collapse', () => {
    expect(planIssueStage(input({ labels: [], stages: [] })).reason).toBe('no-process');
    expect(
      planIssueStage(
        input({ labels: ['hiring-stage::offer', 'hiring-stage::screening'], stages: [], addedLabels: ['hiring-stage::offer'] }),
      ).edit,
    ).toEqual({
      add: [],
      remove: ['hiring-stage::screening'],
    });
  });
});

describe('nextRemainingStage', () => {
  it('the next stage in canonical order, else the previous one', () => {
    expect(nextRemainingStage('executive', ['screening', 'team-interviews', 'offer'], ORDER)).toBe('offer');
    expect(nextRemainingStage('hiring-manager', ['screening', 'team-interviews', 'offer'], ORDER)).toBe('team-interviews');
    expect(nextRemainingStage('offer', ['screening', 'executive'], ORDER)).toBe('executive');
    expect(nextRemainingStage('offer', [], ORDER)).toBeNull();
  });
});

describe('which family and role', () => {
  it('family slugs from job-family labels', () => {
    expect(familyLabelSlugs(['OKR', 'job-family::threat-management', 'hiring-stage::offer'])).toEqual(['threat-management']);
  });

  it('links to job-family pages in a description', () => {
    const description = [
      'Role: [Manager](https://handbook.gitlab.com/job-families/security/threat-management/#manager).',
      'Source: content/job-families/security/security-leadership.md, see also https://example.com/other',
    ].join('\n');
    expect(jobFamilyLinks(description)).toEqual([
      'https://handbook.gitlab.com/job-families/security/threat-management/',
      'content/job-families/security/security-leadership.md',
    ]);
    expect(jobFamilyLinks(null)).toEqual([]);
  });

  const roles: HiringRole[] = [
    { name: 'Senior Manager, Security', stages: ['screening'], steps: [] },
    { name: 'Director, Security', stages: ['executive'], steps: [] },
    { name: 'Senior Director, Security', stages: ['offer'], steps: [] },
    { name: 'Vice President (VP) of Security', stages: ['team-interviews'], steps: [] },
  ];

  it('the longest role name in the title wins', () => {
    expect(roleForTitle('Senior Director, Security - Jane Doe', roles)).toEqual({ role: roles[2], matched: true });
    expect(roleForTitle('director security: John', roles)).toEqual({ role: roles[1], matched: true });
    expect(roleForTitle('Vice President of Security (candidate 3)', roles)).toEqual({ role: roles[3], matched: true });
  });

  it('no role named: the first role with a hiring process', () => {
    expect(roleForTitle('Candidate: Jane Doe', roles)).toEqual({ role: roles[0], matched: false });
    expect(
      roleForTitle('x', [
        { name: 'A', stages: [], steps: [] },
        { name: 'B', stages: ['offer'], steps: [] },
      ]).role?.name,
    ).toBe('B');
    expect(roleForTitle('x', [])).toEqual({ role: null, matched: false });
  });
});
