import { describe, expect, it } from 'vitest';
import { planBoard, planMoves, findBoard } from '../../../src/actions/hiring/board-plan.js';
import { hiringFamilyFromPage, stageColor, stageOrder, type HiringFamily } from '../../../src/actions/hiring/family.js';
import { MAX_DESCRIPTION_LENGTH, stageLabelDescription, stepRunner } from '../../../src/actions/hiring/label-description.js';
import { desiredHiringFor, desiredStageLabels, planStageLabels, type StageLabelSpec } from '../../../src/actions/hiring/stages-plan.js';
import { DEFAULT_STAGE_COLORS } from '../../../src/config/schema.js';
import type { Board, Label } from '../../../src/gitlab/api.js';
import { parsePage } from '../../../src/jobfamily/parse.js';
import { parseOptionsFromConfig } from '../../../src/config/parse-options.js';
import { SL_PATH, SL_SOURCE, TM_PATH, TM_SOURCE, testConfig, threatManagement } from '../support/hiring.js';

const TM_STAGES = ['screening', 'hiring-manager', 'team-interviews', 'executive', 'offer'];

describe('desiredStageLabels (the plan command)', () => {
  it('the threat-management seed wants five stage labels in canonical order, with the built-in colours', () => {
    const desired = desiredStageLabels(threatManagement(), testConfig());
    expect(desired.labels.map((label) => label.stage)).toEqual(TM_STAGES);
    expect(desired.labels.map((label) => label.name)).toEqual(TM_STAGES.map((stage) => `hiring-stage::${stage}`));
    expect(desired.labels.map((label) => label.color)).toEqual(['#6699cc', '#1f75cb', '#9400d3', '#330066', '#009966']);
    expect(desired.board).toEqual({ name: 'Hiring pipeline', lists: TM_STAGES.map((stage) => `hiring-stage::${stage}`) });
  });

  it('descriptions name the steps and who runs them', () => {
    const [screening, manager, team, executive, offer] = desiredStageLabels(threatManagement(), testConfig()).labels;
    expect(screening?.description).toBe(
      'Hiring stage "screening", kept by handbook-bot from the job-family pages\' hiring processes. Run by: Global Recruiters. ' +
        'Steps: "Qualified candidates will be invited to schedule a 30 minute screening call with one of our Global Recruiters." (Threat Management Roles).',
    );
    expect(manager?.description).toContain('Run by: Director of Threat Management.');
    expect(team?.description).toContain('Run by: members of the Security Organization.');
    expect(executive?.description).toContain('Run by: VP of Security.');
    // "made an offer via email" names nobody: no "Run by".
    expect(offer?.description).not.toContain('Run by');
    expect(offer?.description).toContain('"Successful candidates will subsequently be made an offer via email"');
  });

  it('configured stages give the order and colours (a stage without colour falls back to the built-in one)', () => {
    const config = testConfig({
      recruiting: {
        project: 'acme/recruiting',
        board: 'Pipeline',
        stages: [
          { name: 'offer', patterns: ['offer'], color: '#ABCDEF' },
          { name: 'screening', patterns: ['screen'] },
          { name: 'panel', patterns: ['members'], color: '#123456' },
        ],
      },
    });
    expect(stageOrder(config)).toEqual(['offer', 'screening', 'panel']);
    expect(stageColor('offer', config)).toBe('#ABCDEF');
    expect(stageColor('screening', config)).toBe(DEFAULT_STAGE_COLORS.screening);
    expect(stageColor('unheard-of', config)).toBe(DEFAULT_STAGE_COLORS.other);
    const page = parsePage(TM_SOURCE, TM_PATH, parseOptionsFromConfig(config));
    const desired = desiredStageLabels(page, config);
    expect(desired.labels.map((label) => [label.name, label.color])).toEqual([
      ['hiring-stage::offer', '#ABCDEF'],
      ['hiring-stage::screening', DEFAULT_STAGE_COLORS.screening],
      ['hiring-stage::panel', '#123456'],
      // Steps no configured pattern matches are "other", after the configured stages.
      ['hiring-stage::other', DEFAULT_STAGE_COLORS.other],
    ]);
    expect(desired.board.name).toBe('Pipeline');
  });

  it('labels are shared: the description gathers every family, independent of their order', () => {
    const config = testConfig();
    const order = stageOrder(config);
    const tm = hiringFamilyFromPage(threatManagement(), { path: TM_PATH, commit: 'a', order });
    const sl = hiringFamilyFromPage(parsePage(SL_SOURCE, SL_PATH, {}), { path: SL_PATH, commit: 'b', order });
    const one = desiredHiringFor([tm, sl], config);
    const two = desiredHiringFor([sl, tm], config);
    expect(one).toEqual(two);
    const screening = one.labels[0]?.description ?? '';
    // The same step text in two families is listed once, with both families.
    expect(screening).toContain('(Security Leadership, Threat Management Roles)');
    for (const label of one.labels) expect(label.description.length).toBeLessThanOrEqual(MAX_DESCRIPTION_LENGTH + 50);
  });

  it('a long description is cut between steps and says so, without a count that would change with every family', () => {
    const families: HiringFamily[] = Array.from({ length: 30 }, (_, index) => ({
      slug: `f${index}`,
      path: `f${index}.md`,
      title: `Family ${index}`,
      commit: '',
      roles: [
        {
          name: 'R',
          stages: ['screening'],
          steps: [{ stage: 'screening', text: `A screening call number ${index} with one of our Recruiters, about the role in detail` }],
        },
      ],
    }));
    const description = stageLabelDescription('screening', families);
    expect(description.length).toBeLessThanOrEqual(MAX_DESCRIPTION_LENGTH);
    expect(description.endsWith('; and more.')).toBe(true);
    expect(description).toContain('Run by: Recruiters.');
  });

  it('page text in a description is sanitized: no mentions, no HTML', () => {
    const family: HiringFamily = {
      slug: 'x',
      path: 'x.md',
      title: 'Evil <b>family</b> @all',
      commit: '',
      roles: [{ name: 'R', stages: ['screening'], steps: [{ stage: 'screening', text: 'A screening call with @all <img src=x>' }] }],
    };
    const description = stageLabelDescription('screening', [family]);
    expect(description).not.toMatch(/<[a-z]/iu);
    expect(description).not.toMatch(/(^|[^\w])@all\b/u);
  });
});

describe('stepRunner', () => {
  it.each([
    ['Qualified candidates will be invited to schedule a 30 minute screening call with one of our Global Recruiters.', 'Global Recruiters'],
    [
      'Next, candidates will be invited to schedule a 45-60 minute interview with the Director of Threat Management.',
      'Director of Threat Management',
    ],
    [
      'Candidates will then be invited to schedule separate 45 minute interviews with three members of the Security Organization',
      'members of the Security Organization',
    ],
    ['Candidates may be requested to meet again with the CISO for a shortened conversation', 'CISO'],
    ['Successful candidates will subsequently be made an offer via email', null],
    ['Candidates will be asked to complete a short exercise with Bash or similar', null],
    ['Candidates may meet in person with any of the above.', null],
    ['Finally, candidates may be asked to schedule a 50 minute final interview with our CEO', 'CEO'],
  ])('%s → %s', (text, runner) => {
    expect(stepRunner(text)).toBe(runner);
  });
});

const spec = (stage: string, color: string, description = `about ${stage}`): StageLabelSpec => ({
  stage,
  name: `hiring-stage::${stage}`,
  color,
  description,
});
const label = (id: number, name: string, color: string, description: string | null, extra: Partial<Label> = {}): Label => ({
  id,
  name,
  color,
  description,
  is_project_label: true,
  ...extra,
});

describe('planStageLabels', () => {
  it('creates what is missing, updates what differs, leaves the rest alone', () => {
    const desired = [spec('screening', '#6699cc'), spec('offer', '#009966'), spec('executive', '#330066')];
    const existing = [
      label(1, 'hiring-stage::screening', '#6699CC', 'about screening'), // same (colour case ignored)
      label(2, 'hiring-stage::offer', '#ff0000', 'about offer'), // wrong colour
      label(3, 'unrelated', '#000000', null),
    ];
    expect(planStageLabels(desired, existing)).toEqual([
      { kind: 'update-label', labelId: 2, name: 'hiring-stage::offer', color: '#009966', description: 'about offer' },
      { kind: 'create-label', label: { name: 'hiring-stage::executive', color: '#330066', description: 'about executive' } },
    ]);
  });

  it('a differing description is updated; a group label is used as it is', () => {
    const desired = [spec('screening', '#6699cc'), spec('offer', '#009966')];
    const existing = [
      label(1, 'hiring-stage::screening', '#6699cc', null),
      label(2, 'hiring-stage::offer', '#ffffff', 'group owned', { is_project_label: false }),
    ];
    expect(planStageLabels(desired, existing)).toEqual([
      { kind: 'update-label', labelId: 1, name: 'hiring-stage::screening', color: '#6699cc', description: 'about screening' },
    ]);
  });

  it('plans nothing when everything matches', () => {
    const desired = [spec('screening', '#6699cc')];
    expect(planStageLabels(desired, [label(1, 'hiring-stage::screening', '#6699cc', 'about screening')])).toEqual([]);
  });
});

const board = (lists: string[], id = 5, name = 'Hiring pipeline'): Board => ({
  id,
  name,
  lists: lists.map((labelName, position) => ({ id: 100 + position, position, label: { id: 200 + position, name: labelName } })),
});

describe('planBoard', () => {
  const stages = ['s1', 's2', 's3', 's4'];

  it('no board: create it and one list per stage, in order, and nothing to move', () => {
    expect(planBoard(null, 'Hiring pipeline', stages)).toEqual([
      { kind: 'create-board', name: 'Hiring pipeline' },
      ...stages.map((label) => ({ kind: 'create-list', label })),
    ]);
  });

  it('a board in order plans nothing', () => {
    expect(planBoard(board(stages), 'Hiring pipeline', stages)).toEqual([]);
  });

  it('missing lists are added and moved into place', () => {
    expect(planBoard(board(['s1', 's3']), 'Hiring pipeline', stages)).toEqual([
      { kind: 'create-list', label: 's2' },
      { kind: 'create-list', label: 's4' },
      // New lists are appended ([s1, s3, s2, s4]): one move puts s3 after s2.
      { kind: 'move-list', label: 's3', position: 2 },
    ]);
  });

  it('lists out of order: the fewest moves', () => {
    expect(planBoard(board(['s4', 's1', 's2', 's3']), 'Hiring pipeline', stages)).toEqual([
      { kind: 'move-list', label: 's4', position: 3 },
    ]);
    expect(planBoard(board(['s2', 's1', 's4', 's3']), 'Hiring pipeline', stages)).toHaveLength(2);
  });

  it('lists of other labels stay, after the stage lists, in their order', () => {
    // [mine, s1, also-mine, s2] → [s1, s2, mine, also-mine]
    expect(planBoard(board(['mine', 's1', 'also-mine', 's2']), 'Hiring pipeline', ['s1', 's2'])).toEqual([
      { kind: 'move-list', label: 'mine', position: 3 },
      { kind: 'move-list', label: 'also-mine', position: 3 },
    ]);
  });

  it('findBoard: the oldest board with that exact name', () => {
    expect(findBoard([board([], 9), board([], 7), board([], 3, 'Other')], 'Hiring pipeline')?.id).toBe(7);
    expect(findBoard([board([], 3, 'hiring pipeline')], 'Hiring pipeline')).toBeNull();
  });
});

describe('planMoves', () => {
  /** GitLab's MoveService on an array: take out, insert at position. */
  function apply(current: string[], moves: Array<{ item: string; position: number }>): string[] {
    const array = [...current];
    for (const move of moves) {
      array.splice(array.indexOf(move.item), 1);
      array.splice(move.position, 0, move.item);
    }
    return array;
  }

  function lisLength(values: number[]): number {
    const best = values.map(() => 1);
    values.forEach((value, i) => {
      for (let j = 0; j < i; j += 1) if ((values[j] ?? 0) < value) best[i] = Math.max(best[i] ?? 1, (best[j] ?? 1) + 1);
    });
    return Math.max(0, ...best);
  }

  it('turns every permutation of 6 lists into the target with n − LIS moves', () => {
    const target = ['a', 'b', 'c', 'd', 'e', 'f'];
    const permutations = (items: string[]): string[][] =>
      items.length <= 1
        ? [items]
        : items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
    for (const current of permutations(target)) {
      const moves = planMoves(current, target);
      expect(apply(current, moves)).toEqual(target);
      expect(moves).toHaveLength(target.length - lisLength(current.map((item) => target.indexOf(item))));
      for (const move of moves) expect(move.position).toBeGreaterThanOrEqual(0);
    }
  });
});
