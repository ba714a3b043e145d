import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { pageSyncJob, pushResolveJob, quarterRolloverJob } from '../../src/queue/job-specs.js';
import { HANDBOOK, startLevelWorld, type LevelWorld } from './support/level-world.js';

/**
 * Issue 10: the bot's GitLab state follows what the branch holds, not the order, time or number of
 * the deliveries. Each scenario runs the real worker processors on BullMQ and real Redis against the
 * GitLab simulator, delivering jobs in the order the test chooses; the expected state (titles, labels,
 * block lines, the stage of each issue) is written out here, never computed by the bot's planners.
 */

const PATH = 'content/job-families/security/vulnerability-research.md';
const RENAMED = 'content/job-families/security/security-research.md';
const STAGE_STEPS = [
  '- Qualified candidates will be invited to schedule a 30 minute screening call with one of our Global Recruiters.',
  '- Next, candidates will be invited to schedule a 45 minute interview with the Hiring Manager.',
  '- Candidates will then be invited to an 30 minute interview with the VP of Security',
  '- Successful candidates will subsequently be made an offer via email',
];

function page(options: { executive: boolean; indicators: string[] }): string {
  const steps = STAGE_STEPS.filter((line) => options.executive || !line.includes('VP of Security'));
  return [
    '---',
    'title: "Vulnerability Research"',
    '---',
    '',
    '## Responsibilities',
    '',
    '- Drive quarterly Objectives and Key Results (OKRs)',
    '',
    '## Levels',
    '',
    '### Vulnerability Researcher',
    '',
    '#### Hiring Process',
    '',
    ...steps,
    '',
    '## Performance Indicators',
    '',
    ...options.indicators,
    '',
  ].join('\n');
}

const TRIAGE = '- [Mean time to triage](https://example.com/pi#triage)';
const FIXED = '- [Findings fixed](https://example.com/pi#fixed)';
const V1 = page({ executive: true, indicators: [TRIAGE, FIXED] });
/** The executive interview and the "Findings fixed" indicator dropped. */
const V2 = page({ executive: false, indicators: [TRIAGE] });
/** V2 with an indicator added later. */
const V3 = page({ executive: false, indicators: [TRIAGE, '- [Reports closed](https://example.com/pi#closed)'] });

const TITLE = 'OKRs: Vulnerability Research — FY27-Q4';
const CANDIDATE = 'Vulnerability Researcher — Jane Doe';

function digest(title: string): string {
  return createHash('sha256').update(title).digest('hex').slice(0, 12);
}

/** The OKR block's lines as the issue holds them (markers included). */
function blockLines(description: string | null): string[] {
  const text = description ?? '';
  const start = text.indexOf('<!-- handbook-bot:begin');
  const end = text.indexOf('<!-- handbook-bot:end -->');
  return text.slice(start, end + '<!-- handbook-bot:end -->'.length).split('\n');
}

/** The block the issue should hold for a page version: written out line by line. */
function expectedBlock(
  world: LevelWorld,
  options: { commit: string; path?: string; slug?: string; quarter?: string; due?: string; keyResults: string[] },
): string[] {
  const path = options.path ?? PATH;
  const quarter = options.quarter ?? 'FY27-Q4';
  return [
    `<!-- handbook-bot:begin commit=${options.commit} title=${digest(`OKRs: Vulnerability Research — ${quarter}`)} -->`,
    `<!-- handbook-bot:okr ${options.slug ?? 'vulnerability-research'} ${quarter} -->`,
    `**Job family:** [Vulnerability Research](${world.sim.url}/acme/handbook/-/blob/${options.commit}/${path}) at commit \`${options.commit.slice(0, 8)}\` · ${path}`,
    `**Quarter:** ${quarter}, due ${options.due ?? '2027-01-31'}`,
    '',
    '**Roles that own OKRs** (every role, because an OKR responsibility is page-level):',
    '- Vulnerability Researcher',
    '',
    '**OKR responsibilities:**',
    '- Drive quarterly Objectives and Key Results (OKRs)',
    '',
    '**Key results** (one per performance indicator):',
    ...options.keyResults,
    '<!-- handbook-bot:end -->',
  ];
}

const KR_TRIAGE = '- [ ] [Mean time to triage](https://example.com/pi#triage) — target: to be set — owner: Vulnerability Researcher';
const KR_FIXED = '- [ ] [Findings fixed](https://example.com/pi#fixed) — target: to be set — owner: Vulnerability Researcher';
const KR_CLOSED = '- [ ] [Reports closed](https://example.com/pi#closed) — target: to be set — owner: Vulnerability Researcher';

/** One role owns the OKRs, so it is each key result's owner. */

/** A push's page-sync, as the router queues it: the page, the delivery, the pushed commit. */
function pushed(commit: string, delivery: string, path = PATH) {
  return pageSyncJob({ projectId: HANDBOOK, path, change: 'modified', commit, ref: 'refs/heads/main', delivery, trigger: 'webhook' });
}

let world: LevelWorld;

async function start(): Promise<{ c1: string }> {
  world = await startLevelWorld({
    pages: { [PATH]: V1, 'README.md': '# Handbook\n' },
    recruitingIssues: [
      { title: CANDIDATE, labels: ['job-family::vulnerability-research', 'hiring-stage::executive'] },
      { title: 'Vulnerability Researcher — John Roe', labels: ['job-family::vulnerability-research', 'hiring-stage::screening'] },
    ],
  });
  const c1 = world.sim.state.requireProject(HANDBOOK).repo.branches.get('main') ?? '';
  await world.run([pushed(c1, 'd1')]);
  return { c1 };
}

afterEach(async () => {
  await world.close();
});

const stageLabels = (labels: readonly string[]) => labels.filter((label) => label.startsWith('hiring-stage::'));
// Comments only: interview kits (the board's own note, asserted in the kit tests) are left out.
const notesOf = (issue: { notes: Array<{ body: string; system: boolean }> }) =>
  issue.notes.filter((note) => !note.system && !note.body.startsWith('<!-- handbook-bot:interview-kit -->')).map((note) => note.body);

describe('level-triggered page sync', () => {
  it('revert restores the previous OKR block and stages', async () => {
    const { c1 } = await start();
    expect(blockLines(world.issue(world.handbook(), 1).description)).toEqual(
      expectedBlock(world, { commit: c1, keyResults: [KR_TRIAGE, KR_FIXED] }),
    );
    expect(world.recruiting().boards.map((board) => board.lists)).toEqual([
      ['hiring-stage::screening', 'hiring-stage::hiring-manager', 'hiring-stage::executive', 'hiring-stage::offer'],
    ]);

    const c2 = world.commit({ files: { [PATH]: V2 }, message: 'Drop the executive interview and an indicator' });
    await world.run([pushed(c2, 'd2')]);
    expect(blockLines(world.issue(world.handbook(), 1).description)).toEqual(expectedBlock(world, { commit: c2, keyResults: [KR_TRIAGE] }));
    expect(stageLabels(world.issue(world.recruiting(), 1).labels)).toEqual(['hiring-stage::offer']);

    // `git revert`: a new commit whose page is V1 again.
    const c3 = world.commit({ files: { [PATH]: V1 }, message: 'Revert "Drop the executive interview and an indicator"' });
    await world.run([pushed(c3, 'd3')]);
    const okr = world.issue(world.handbook(), 1);
    expect(okr.title).toBe(TITLE);
    expect(okr.state).toBe('opened');
    expect(blockLines(okr.description)).toEqual(expectedBlock(world, { commit: c3, keyResults: [KR_TRIAGE, KR_FIXED] }));
    // The family's stages are back (labels and board); the candidate moved to offer stays there.
    expect(world.recruiting().boards.map((board) => board.lists)).toEqual([
      ['hiring-stage::screening', 'hiring-stage::hiring-manager', 'hiring-stage::executive', 'hiring-stage::offer'],
    ]);
    expect(stageLabels(world.issue(world.recruiting(), 1).labels)).toEqual(['hiring-stage::offer']);
    expect(stageLabels(world.issue(world.recruiting(), 2).labels)).toEqual(['hiring-stage::screening']);
    expect(world.handbook().issues.map((issue) => issue.iid)).toEqual([1]);
  });

  it('force-push back to an older commit is applied', async () => {
    const { c1 } = await start();
    // The first sync of c1 again, as a job identified by its commit only (how ids used to be made).
    await world.run([pageSyncJob({ projectId: HANDBOOK, path: PATH, change: 'modified', commit: c1, ref: 'main', trigger: 'webhook' })]);
    const c2 = world.commit({ files: { [PATH]: V2 }, message: 'Drop the executive interview and an indicator' });
    await world.run([pushed(c2, 'd2')]);
    expect(blockLines(world.issue(world.handbook(), 1).description)).toEqual(expectedBlock(world, { commit: c2, keyResults: [KR_TRIAGE] }));

    // `git push --force` of c1: GitLab lists no commits, so the router queues push-resolve (compare).
    world.forcePush(c1);
    await world.run([
      pushResolveJob({ projectId: HANDBOOK, ref: 'refs/heads/main', before: c2, after: c1, delivery: 'd3', trigger: 'webhook' }),
    ]);
    const okr = world.issue(world.handbook(), 1);
    expect(blockLines(okr.description)).toEqual(expectedBlock(world, { commit: c1, keyResults: [KR_TRIAGE, KR_FIXED] }));
    expect(world.recruiting().boards.map((board) => board.lists)).toEqual([
      ['hiring-stage::screening', 'hiring-stage::hiring-manager', 'hiring-stage::executive', 'hiring-stage::offer'],
    ]);
  });

  it('out-of-order page-syncs still migrate issues off a dropped stage', async () => {
    await start();
    const c2 = world.commit({ files: { [PATH]: V2 }, message: 'Drop the executive interview' });
    const c3 = world.commit({ files: { [PATH]: V3 }, message: 'Add an indicator' });
    // The later push's job runs first, then the earlier one's.
    await world.run([pushed(c3, 'd3')]);
    await world.run([pushed(c2, 'd2')]);
    const candidate = world.issue(world.recruiting(), 1);
    expect(stageLabels(candidate.labels)).toEqual(['hiring-stage::offer']);
    expect(candidate.labels).toContain('job-family::vulnerability-research');
    expect(notesOf(candidate)).toHaveLength(1);
    expect(notesOf(candidate)[0]).toContain(
      'Moved this issue from the hiring stage **executive** to **offer**: the hiring process of *Vulnerability Researcher* (Vulnerability Research) no longer has the executive stage',
    );
    expect(stageLabels(world.issue(world.recruiting(), 2).labels)).toEqual(['hiring-stage::screening']);
    expect(notesOf(world.issue(world.recruiting(), 2))).toEqual([]);
    expect(blockLines(world.issue(world.handbook(), 1).description)).toEqual(
      expectedBlock(world, { commit: c3, keyResults: [KR_TRIAGE, KR_CLOSED] }),
    );
    // Lists are never deleted from the board: the dropped stage's list moves after the stage lists.
    expect(world.recruiting().boards.map((board) => board.lists)).toEqual([
      ['hiring-stage::screening', 'hiring-stage::hiring-manager', 'hiring-stage::offer', 'hiring-stage::executive'],
    ]);
  });

  it('a commit with an older committer date still wins when it is the branch head', async () => {
    await start();
    const c2 = world.commit({
      files: { [PATH]: V2 },
      message: 'Committed with --committer-date in the past',
      date: '2020-01-01T00:00:00Z',
    });
    await world.run([pushed(c2, 'd2')]);
    expect(blockLines(world.issue(world.handbook(), 1).description)).toEqual(expectedBlock(world, { commit: c2, keyResults: [KR_TRIAGE] }));
    expect(stageLabels(world.issue(world.recruiting(), 1).labels)).toEqual(['hiring-stage::offer']);
    // A duplicate of the delivery, and the older push delivered late, change nothing.
    const writes = world.sim.dump().requests.writes.length;
    await world.run([
      pushed(c2, 'd2-again'),
      pushed(world.sim.state.requireProject(HANDBOOK).repo.commits.get(c2)?.parentIds[0] ?? '', 'd1-late'),
    ]);
    expect(world.sim.dump().requests.writes.length).toBe(writes);
  });

  it('rename keeps the OKR issue and relabels recruiting issues', async () => {
    const { c1 } = await start();
    // The page's new path was created by the rename commit, so that is the commit the block links.
    const c2 = world.commit({ files: { [RENAMED]: V1 }, remove: [PATH], message: 'Rename the page' });
    // The payload lists the rename under `added` only: the router resolves the push through compare.
    await world.run([
      pushResolveJob({ projectId: HANDBOOK, ref: 'refs/heads/main', before: c1, after: c2, delivery: 'd2', trigger: 'webhook' }),
    ]);

    const handbook = world.handbook();
    expect(handbook.issues.map((issue) => [issue.iid, issue.state, issue.title])).toEqual([[1, 'opened', TITLE]]);
    const okr = world.issue(handbook, 1);
    expect([...okr.labels].sort()).toEqual(['OKR', 'job-family::security-research']);
    expect(blockLines(okr.description)).toEqual(
      expectedBlock(world, { commit: c2, path: RENAMED, slug: 'security-research', keyResults: [KR_TRIAGE, KR_FIXED] }),
    );
    expect(notesOf(okr)).toEqual([
      `<!-- handbook-bot:okr-moved vulnerability-research.security-research -->\nThe job-family page moved from ${PATH} to ${RENAMED}; this OKR tracking issue follows it.`,
    ]);
    for (const iid of [1, 2]) {
      const candidate = world.issue(world.recruiting(), iid);
      expect(candidate.labels.filter((label) => label.startsWith('job-family::'))).toEqual(['job-family::security-research']);
      expect(notesOf(candidate)).toEqual([
        `<!-- handbook-bot:family-moved vulnerability-research.security-research -->\nThe job-family page moved from ${PATH} to ${RENAMED}, so this issue's label \`job-family::vulnerability-research\` became \`job-family::security-research\`.`,
      ]);
    }
    expect(stageLabels(world.issue(world.recruiting(), 1).labels)).toEqual(['hiring-stage::executive']);

    // The old path's job delivered late closes nothing, and a second delivery of the rename moves nothing.
    const writes = world.sim.dump().requests.writes.length;
    await world.run([
      pushed(c2, 'd2-old-path'),
      pushResolveJob({ projectId: HANDBOOK, ref: 'refs/heads/main', before: c1, after: c2, delivery: 'd2-again', trigger: 'webhook' }),
    ]);
    expect(world.sim.dump().requests.writes.length).toBe(writes);
    expect(world.handbook().issues.map((issue) => [issue.iid, issue.state])).toEqual([[1, 'opened']]);
  });

  it('quarter boundary with a fake clock rolls the OKR issue over', async () => {
    const { c1 } = await start();
    // Someone ticks a key result during FY27-Q4.
    const before = world.issue(world.handbook(), 1).description ?? '';
    await world.ctx.gitlab.editIssue(HANDBOOK, 1, {
      description: before.replace('- [ ] [Mean time to triage]', '- [x] [Mean time to triage]'),
    });

    await world.run([quarterRolloverJob({ trigger: 'reconcile' })]);
    expect(world.handbook().issues.map((issue) => issue.iid)).toEqual([1]);

    world.now = new Date('2027-02-01T00:10:00Z');
    await world.run([quarterRolloverJob({ trigger: 'reconcile' })]);
    const handbook = world.handbook();
    expect(handbook.issues.map((issue) => [issue.iid, issue.state, issue.title])).toEqual([
      [1, 'closed', TITLE],
      [2, 'opened', 'OKRs: Vulnerability Research — FY28-Q1'],
    ]);
    const next = world.issue(handbook, 2);
    expect(next.due_date).toBe('2027-04-30');
    expect([...next.labels].sort()).toEqual(['OKR', 'job-family::vulnerability-research']);
    expect(blockLines(next.description)).toEqual(
      expectedBlock(world, { commit: c1, quarter: 'FY28-Q1', due: '2027-04-30', keyResults: [KR_TRIAGE, KR_FIXED] }),
    );
    expect((next.description ?? '').split('<!-- handbook-bot:end -->')[1]).toBe(
      `\n\n**Carried over from FY27-Q4** (#1): key results still unticked there.\n${KR_FIXED}`,
    );
    const old = world.issue(handbook, 1);
    expect(blockLines(old.description)[0]).toBe(`<!-- handbook-bot:begin commit=${c1} title=${digest(TITLE)} superseded=FY28-Q1 -->`);
    expect(blockLines(old.description)[2]).toBe(
      '**The quarter is over:** tracking continues in the issue for FY28-Q1; this issue was closed.',
    );
    expect(notesOf(old)).toEqual([
      '<!-- handbook-bot:okr-superseded FY28-Q1 -->\nThe fiscal quarter is over: key results are tracked for FY28-Q1 in #2, which lists the ones still unticked here. This issue is closed.',
    ]);

    // The next day: the quarter was rolled over already, nothing is read or written in GitLab.
    world.now = new Date('2027-02-02T00:10:00Z');
    const seen = world.sim.dump().requests.total;
    await world.run([quarterRolloverJob({ trigger: 'reconcile' })]);
    expect(world.sim.dump().requests.total).toBe(seen);
  });

  it('a removed page closes its OKR issue and tells its recruiting issues once', async () => {
    await start();
    const c2 = world.commit({ remove: [PATH], message: 'Remove the page' });
    await world.run([
      pushResolveJob({
        projectId: HANDBOOK,
        ref: 'refs/heads/main',
        before: world.sim.state.requireProject(HANDBOOK).repo.commits.get(c2)?.parentIds[0] ?? '',
        after: c2,
        delivery: 'd2',
        trigger: 'webhook',
      }),
    ]);
    await world.run([pushed(c2, 'd2-again')]);
    const okr = world.issue(world.handbook(), 1);
    expect(okr.state).toBe('closed');
    expect(notesOf(okr)).toEqual([
      `<!-- handbook-bot:okr-removed vulnerability-research ${c2} -->\nThe job-family page ${PATH} was removed from the handbook at commit \`${c2.slice(0, 8)}\`, so this OKR tracking issue is closed. If the page comes back this quarter, handbook-bot reopens the issue and updates it.`,
    ]);
    for (const iid of [1, 2]) {
      const notes = notesOf(world.issue(world.recruiting(), iid));
      expect(notes).toHaveLength(1);
      expect(notes[0]?.split('\n')[1]).toBe(
        `The job-family page ${PATH} (*Vulnerability Research*) was removed from the handbook at commit ${c2.slice(0, 8)}. handbook-bot no longer manages this issue's hiring stages; its labels stay as they are.`,
      );
    }
  });

  it('a second page with the same slug is reported and skipped; the first keeps its issue', async () => {
    const { c1 } = await start();
    const twin = 'content/job-families/engineering/vulnerability-research.md';
    const c2 = world.commit({ files: { [twin]: V2 }, message: 'Add a page with the same file name in another department' });
    const writes = world.sim.dump().requests.writes.length;
    await world.run([
      pushResolveJob({ projectId: HANDBOOK, ref: 'refs/heads/main', before: c1, after: c2, delivery: 'd2', trigger: 'webhook' }),
    ]);
    expect(world.sim.dump().requests.writes.length).toBe(writes);
    expect(world.handbook().issues.map((issue) => issue.iid)).toEqual([1]);
    expect(blockLines(world.issue(world.handbook(), 1).description)).toEqual(
      expectedBlock(world, { commit: c1, keyResults: [KR_TRIAGE, KR_FIXED] }),
    );
    expect(stageLabels(world.issue(world.recruiting(), 1).labels)).toEqual(['hiring-stage::executive']);
  });

  it("a late delivery naming the renamed page's old path, run before the rename is resolved, moves instead of closing", async () => {
    const { c1 } = await start();
    const c2 = world.commit({ files: { [RENAMED]: V1 }, remove: [PATH], message: 'Rename the page' });
    // An older push's page-sync for the old path runs first; the rename's own push-resolve after it.
    await world.run([pushed(c1, 'd1-late')]);
    await world.run([
      pushResolveJob({ projectId: HANDBOOK, ref: 'refs/heads/main', before: c1, after: c2, delivery: 'd2', trigger: 'webhook' }),
    ]);

    const handbook = world.handbook();
    expect(handbook.issues.map((issue) => [issue.iid, issue.state, issue.title])).toEqual([[1, 'opened', TITLE]]);
    expect([...world.issue(handbook, 1).labels].sort()).toEqual(['OKR', 'job-family::security-research']);
    expect(blockLines(world.issue(handbook, 1).description)[1]).toBe('<!-- handbook-bot:okr security-research FY27-Q4 -->');
    for (const iid of [1, 2]) {
      const candidate = world.issue(world.recruiting(), iid);
      expect(candidate.labels.filter((label) => label.startsWith('job-family::'))).toEqual(['job-family::security-research']);
      expect(notesOf(candidate)).toHaveLength(1);
    }
  });

  it('an edit of the renamed page run before the rename is resolved: the older issue keeps the page, the newer one closes', async () => {
    const { c1 } = await start();
    const c2 = world.commit({ files: { [RENAMED]: V1 }, remove: [PATH], message: 'Rename the page' });
    const c3 = world.commit({ files: { [RENAMED]: V2 }, message: 'Edit the renamed page' });
    // The edit's delivery (a modified page: queued directly) overtakes the rename's push-resolve.
    await world.run([pushed(c3, 'd3', RENAMED)]);
    expect(world.handbook().issues.map((issue) => [issue.iid, issue.state])).toEqual([
      [1, 'opened'],
      [2, 'opened'],
    ]);
    await world.run([
      pushResolveJob({ projectId: HANDBOOK, ref: 'refs/heads/main', before: c1, after: c2, delivery: 'd2', trigger: 'webhook' }),
    ]);

    const handbook = world.handbook();
    expect(handbook.issues.map((issue) => [issue.iid, issue.state])).toEqual([
      [1, 'opened'],
      [2, 'closed'],
    ]);
    expect([...world.issue(handbook, 1).labels].sort()).toEqual(['OKR', 'job-family::security-research']);
    expect(blockLines(world.issue(handbook, 1).description)).toEqual(
      expectedBlock(world, { commit: c3, path: RENAMED, slug: 'security-research', keyResults: [KR_TRIAGE] }),
    );
    expect(notesOf(world.issue(handbook, 2))).toEqual([
      `<!-- handbook-bot:okr-moved vulnerability-research.security-research -->\nThe job-family page ${RENAMED} was renamed from ${PATH}, whose OKR tracking issue #1 now follows it. This duplicate is closed.`,
    ]);
    // The recruiting issues follow the page too, and the dropped stage was migrated once.
    const candidate = world.issue(world.recruiting(), 1);
    expect(candidate.labels.filter((label) => label.startsWith('job-family::'))).toEqual(['job-family::security-research']);
    expect(stageLabels(candidate.labels)).toEqual(['hiring-stage::offer']);
  });
});
