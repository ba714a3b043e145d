import { describe, expect, it } from 'vitest';
import type { HiringFamily, HiringRole } from '../../../src/actions/hiring/family.js';
import { issueStages, planIssueStage, roleForTitle } from '../../../src/actions/recruiting/issue-plan.js';
import { renderStageComment, stageCommentMarker } from '../../../src/actions/recruiting/stage-comments.js';
import { DEFAULT_STAGE_ORDER } from '../../../src/jobfamily/model.js';

const role = (name: string, stages: string[]): HiringRole => ({ name, stages, steps: [] });

describe('a recruiting issue never stays without a stage when its family has a process', () => {
  // Three "##" roles with the processes after the last one: the page as the parser used to read it.
  const roles = [
    role('Field Marketing Coordinator', []),
    role('Field Marketing Specialist', []),
    role('Senior Field Marketing Specialist', ['screening', 'hiring-manager', 'team-interviews', 'executive', 'offer']),
  ];

  it('gives an issue whose role has no process of its own the family’s first stage', () => {
    const { role: matched, matched: named } = roleForTitle('Field Marketing Coordinator — Berlin', roles);
    expect([matched?.name, named]).toEqual(['Field Marketing Coordinator', true]);
    const stages = issueStages(matched, roles);
    expect(stages).toEqual(['screening', 'hiring-manager', 'team-interviews', 'executive', 'offer']);
    expect(
      planIssueStage({ labels: ['job-family::field-marketing'], stages, order: DEFAULT_STAGE_ORDER, dropped: [], addedLabels: [] }),
    ).toEqual({
      edit: { add: ['hiring-stage::screening'], remove: [] },
      comment: null,
      stage: 'screening',
      reason: 'first-stage',
    });
  });

  it('comments once, saying why, when no stage can be chosen', () => {
    const none = [role('Field Marketing Coordinator', [])];
    const plan = planIssueStage({
      labels: [],
      stages: issueStages(none[0] ?? null, none),
      order: DEFAULT_STAGE_ORDER,
      dropped: [],
      addedLabels: [],
    });
    expect(plan).toEqual({ edit: null, comment: { kind: 'no-stage' }, stage: null, reason: 'no-process' });
    if (plan.comment === null) throw new Error('expected a comment');
    expect(stageCommentMarker(plan.comment)).toEqual({ kind: 'no-stage', key: 'none' });
    const family: HiringFamily = {
      slug: 'field-marketing',
      path: 'content/job-families/marketing/field-marketing.md',
      title: 'Field Marketing /close @all',
      commit: 'abc',
      roles: none,
    };
    expect(renderStageComment(plan.comment, { family, role: none[0] ?? null, roleMatched: true, commandWord: '@handbook-bot' })).toBe(
      [
        // Page text is sanitized: the @all mention is defused.
        'This issue has no hiring stage, and none can be chosen: the page of the job family *Field Marketing /close @\u200dall* (content/job-families/marketing/field-marketing.md) describes no hiring process.',
        'Add a "Hiring Process" section to the page; the issue then gets its first stage.',
      ].join('\n'),
    );
  });
});
