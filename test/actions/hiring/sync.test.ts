import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { desiredStageLabels } from '../../../src/actions/hiring/stages-plan.js';
import { syncHiringForPage } from '../../../src/actions/hiring/sync.js';
import { readFamily } from '../../../src/actions/shared/page-index.js';
import { recordedRequests, recordedWrites, strictNock } from '../../support/strict-nock.js';
import {
  BOARD_QUERY,
  GITLAB_URL,
  LABEL_QUERY,
  NOTES_QUERY,
  R,
  RN,
  TM_PATH,
  TM_SOURCE,
  TM_WITHOUT_EXECUTIVE,
  boardJson,
  issueJson,
  labelJson,
  listJson,
  makeContext,
  testConfig,
  threatManagement,
  type TestContext,
} from '../support/hiring.js';

const TM_STAGES = ['screening', 'hiring-manager', 'team-interviews', 'executive', 'offer'];
const ISSUES_QUERY = { per_page: '100', labels: 'job-family::threat-management', state: 'opened' };
const desired = desiredStageLabels(threatManagement(), testConfig()).labels;

/** The labels as GitLab holds them after the first run (ids 11…15). */
const createdLabels = desired.map((spec, index) => labelJson(11 + index, spec.name, spec.color, spec.description));
/** The board after the first run: lists 31…35 on labels 11…15, in order. */
const orderedBoard = boardJson(
  3,
  'Hiring pipeline',
  desired.map((spec, index) => listJson(31 + index, index, { id: 11 + index, name: spec.name })),
);

let t: TestContext;
beforeEach(() => {
  t = makeContext({ name: 'hiring-sync' });
});
afterEach(async () => {
  await t.close();
});

/** `_committedAt` documents the scenario's order only: the sync never reads times. */
const input = (commit = 'c1', _committedAt = '2026-11-20T10:00:00Z') => ({
  page: threatManagement(),
  path: TM_PATH,
  commit,
});

describe('syncHiringForPage: labels and board', () => {
  it('the threat-management seed creates its five stage labels and a board with five lists, in order', async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab
      .get(`${R}/labels`)
      .query(LABEL_QUERY)
      .reply(200, [labelJson(1, 'unrelated', '#000000', null)]);
    desired.forEach((spec, index) => {
      gitlab.post(`${R}/labels`).reply(201, labelJson(11 + index, spec.name, spec.color, spec.description));
    });
    gitlab.get(`${R}/boards`).query(BOARD_QUERY).reply(200, []);
    gitlab.post(`${R}/boards`).reply(201, boardJson(3, 'Hiring pipeline'));
    desired.forEach((spec, index) => {
      gitlab.post(`${R}/boards/3/lists`).reply(201, listJson(31 + index, index, { id: 11 + index, name: spec.name }));
    });
    gitlab.get(`${R}/issues`).query(ISSUES_QUERY).reply(200, []);

    const result = await syncHiringForPage(t.ctx, input());

    expect(recordedWrites()).toEqual([
      ...desired.map((spec) => ({
        method: 'POST',
        path: `${R}/labels`,
        body: { name: spec.name, color: spec.color, description: spec.description },
      })),
      { method: 'POST', path: `${R}/boards`, body: { name: 'Hiring pipeline' } },
      ...[11, 12, 13, 14, 15].map((id) => ({ method: 'POST', path: `${R}/boards/3/lists`, body: { label_id: id } })),
    ]);
    expect(desired.map((spec) => spec.name)).toEqual(TM_STAGES.map((stage) => `hiring-stage::${stage}`));
    expect(desired.map((spec) => spec.color)).toEqual(['#6699cc', '#1f75cb', '#9400d3', '#330066', '#009966']);
    expect(desired[0]?.description).toContain('Run by: Global Recruiters.');
    expect(result).toMatchObject({
      slug: 'threat-management',
      stages: TM_STAGES,
      labels: { created: TM_STAGES.map((stage) => `hiring-stage::${stage}`), updated: [], existed: [] },
      board: { created: true, listsAdded: TM_STAGES.map((stage) => `hiring-stage::${stage}`), listsMoved: [] },
      issues: [],
    });
    // The page index now answers recruiting issues without GitLab.
    expect((await readFamily(t.redis, t.ctx.lockPrefix, 'threat-management'))?.roles[0]?.stages).toEqual(TM_STAGES);
  });

  it('a second run against what the first wrote writes nothing; a webhook-driven one reads nothing either', async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${R}/labels`).query(LABEL_QUERY).times(2).reply(200, createdLabels);
    gitlab.get(`${R}/boards`).query(BOARD_QUERY).times(2).reply(200, [orderedBoard]);
    gitlab.get(`${R}/issues`).query(ISSUES_QUERY).times(2).reply(200, []);

    await syncHiringForPage(t.ctx, input());
    const requestsAfterFirst = recordedRequests().length;
    // The same page again from a push: nothing desired changed since the last reconcile.
    const again = await syncHiringForPage(t.ctx, input());
    expect(recordedRequests()).toHaveLength(requestsAfterFirst);
    expect(again.labels).toEqual({ created: [], updated: [], existed: [] });
    expect(again.board).toEqual({ created: false, listsAdded: [], listsMoved: [] });
    // `sync` and the periodic reconcile check GitLab anyway, and find nothing to write.
    await syncHiringForPage(t.ctx, { ...input(), verify: true });
    expect(
      recordedRequests()
        .slice(requestsAfterFirst)
        .map((request) => `${request.method} ${request.path.split('?')[0]}`),
    ).toEqual([`GET ${R}/labels`, `GET ${R}/boards`, `GET ${R}/issues`]);
    expect(recordedWrites()).toEqual([]);
  });

  it('a 409 on create is success: the label exists (a group label), it is found by listing again and used for the board', async () => {
    const gitlab = strictNock(GITLAB_URL);
    const [screening, ...rest] = createdLabels;
    gitlab.get(`${R}/labels`).query(LABEL_QUERY).reply(200, rest);
    gitlab.post(`${R}/labels`).reply(409, { message: 'Label already exists' });
    const groupScreening = { ...screening, id: 77, is_project_label: false };
    gitlab
      .get(`${R}/labels`)
      .query(LABEL_QUERY)
      .reply(200, [groupScreening, ...rest]);
    gitlab
      .get(`${R}/boards`)
      .query(BOARD_QUERY)
      .reply(200, [
        boardJson(
          3,
          'Hiring pipeline',
          desired.slice(1).map((spec, index) => listJson(32 + index, index, { id: 12 + index, name: spec.name })),
        ),
      ]);
    gitlab.post(`${R}/boards/3/lists`).reply(201, listJson(40, 4, { id: 77, name: 'hiring-stage::screening' }));
    gitlab.put(`${R}/boards/3/lists/40`).reply(200, listJson(40, 0, { id: 77, name: 'hiring-stage::screening' }));
    gitlab.get(`${R}/issues`).query(ISSUES_QUERY).reply(200, []);

    const result = await syncHiringForPage(t.ctx, input());

    expect(result.labels).toEqual({ created: [], updated: [], existed: ['hiring-stage::screening'] });
    expect(recordedWrites()).toEqual([
      {
        method: 'POST',
        path: `${R}/labels`,
        body: { name: 'hiring-stage::screening', color: '#6699cc', description: desired[0]?.description },
      },
      { method: 'POST', path: `${R}/boards/3/lists`, body: { label_id: 77 } },
      { method: 'PUT', path: `${R}/boards/3/lists/40`, body: { position: 0 } },
    ]);
  });

  it('a label with a wrong colour (or description) is updated; the others are untouched', async () => {
    const gitlab = strictNock(GITLAB_URL);
    const labels = [...createdLabels];
    labels[3] = { ...labels[3], color: '#FF0000' };
    labels[4] = { ...labels[4], description: 'edited by someone' };
    gitlab.get(`${R}/labels`).query(LABEL_QUERY).reply(200, labels);
    gitlab.put(`${R}/labels/14`).reply(200, { ...labels[3], color: '#330066' });
    gitlab.put(`${R}/labels/15`).reply(200, { ...labels[4], description: desired[4]?.description });
    gitlab.get(`${R}/boards`).query(BOARD_QUERY).reply(200, [orderedBoard]);
    gitlab.get(`${R}/issues`).query(ISSUES_QUERY).reply(200, []);

    const result = await syncHiringForPage(t.ctx, input());

    expect(recordedWrites()).toEqual([
      { method: 'PUT', path: `${R}/labels/14`, body: { color: '#330066', description: desired[3]?.description } },
      { method: 'PUT', path: `${R}/labels/15`, body: { color: '#009966', description: desired[4]?.description } },
    ]);
    expect(result.labels.updated).toEqual(['hiring-stage::executive', 'hiring-stage::offer']);
  });

  it('a board with lists out of order is reordered, nothing duplicated', async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${R}/labels`).query(LABEL_QUERY).reply(200, createdLabels);
    // offer first, and executive before team-interviews.
    const shuffled = [4, 0, 1, 3, 2].map((at, position) => listJson(31 + at, position, { id: 11 + at, name: desired[at]?.name ?? '' }));
    gitlab
      .get(`${R}/boards`)
      .query(BOARD_QUERY)
      .reply(200, [boardJson(3, 'Hiring pipeline', shuffled), boardJson(4, 'Other board')]);
    gitlab.put(`${R}/boards/3/lists/34`).reply(200, listJson(34, 4, { id: 14, name: 'hiring-stage::executive' }));
    gitlab.put(`${R}/boards/3/lists/35`).reply(200, listJson(35, 4, { id: 15, name: 'hiring-stage::offer' }));
    gitlab.get(`${R}/issues`).query(ISSUES_QUERY).reply(200, []);

    const result = await syncHiringForPage(t.ctx, input());

    // [offer, screening, hiring-manager, executive, team-interviews] → executive after team-interviews,
    // then offer last: two moves, no list created.
    expect(recordedWrites()).toEqual([
      { method: 'PUT', path: `${R}/boards/3/lists/34`, body: { position: 4 } },
      { method: 'PUT', path: `${R}/boards/3/lists/35`, body: { position: 4 } },
    ]);
    expect(result.board).toEqual({ created: false, listsAdded: [], listsMoved: ['hiring-stage::executive', 'hiring-stage::offer'] });
  });

  it('an older page version is applied like any other (the page lock orders jobs, not commit times)', async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${R}/labels`).query(LABEL_QUERY).reply(200, createdLabels);
    gitlab.get(`${R}/boards`).query(BOARD_QUERY).reply(200, [orderedBoard]);
    gitlab.get(`${R}/issues`).query(ISSUES_QUERY).reply(200, []);
    await syncHiringForPage(t.ctx, input('c2', '2026-11-20T12:00:00Z'));

    // The branch now holds the version without the executive stage, committed with an older date.
    gitlab.get(`${R}/labels`).query(LABEL_QUERY).reply(200, createdLabels);
    gitlab.get(`${R}/boards`).query(BOARD_QUERY).reply(200, [orderedBoard]);
    gitlab.put(`${R}/boards/3/lists/34`).reply(200, listJson(34, 4, { id: 14, name: 'hiring-stage::executive' }));
    gitlab.get(`${R}/issues`).query(ISSUES_QUERY).reply(200, []);
    const old = await syncHiringForPage(t.ctx, { ...input('c1', '2026-11-20T09:00:00Z'), page: threatManagement(TM_WITHOUT_EXECUTIVE) });

    expect(old.droppedStages).toEqual({ '*': ['executive'], 'manager, vulnerability management team': ['executive'] });
    expect((await readFamily(t.redis, t.ctx.lockPrefix, 'threat-management'))?.commit).toBe('c1');
  });
});

describe('syncHiringForPage: recruiting issues of the family', () => {
  it('a dropped stage migrates its issues to the next remaining stage, with a comment; correct issues are untouched', async () => {
    const gitlab = strictNock(GITLAB_URL);
    // First version: five stages, board complete, no issues yet.
    gitlab.get(`${R}/labels`).query(LABEL_QUERY).reply(200, createdLabels);
    gitlab.get(`${R}/boards`).query(BOARD_QUERY).reply(200, [orderedBoard]);
    gitlab.get(`${R}/issues`).query(ISSUES_QUERY).reply(200, []);
    await syncHiringForPage(t.ctx, input('c1', '2026-11-20T10:00:00Z'));

    // Second version drops the executive interview: no family uses that stage any more.
    const next = desiredStageLabels(threatManagement(TM_WITHOUT_EXECUTIVE), testConfig()).labels;
    expect(next.map((spec) => spec.stage)).toEqual(['screening', 'hiring-manager', 'team-interviews', 'offer']);
    gitlab.get(`${R}/labels`).query(LABEL_QUERY).reply(200, createdLabels);
    gitlab.get(`${R}/boards`).query(BOARD_QUERY).reply(200, [orderedBoard]);
    gitlab.put(`${R}/boards/3/lists/34`).reply(200, listJson(34, 4, { id: 14, name: 'hiring-stage::executive' }));
    const onExecutive = issueJson(7, 'Manager, Vulnerability Management Team — Jane Doe', [
      'job-family::threat-management',
      'hiring-stage::executive',
    ]);
    const onScreening = issueJson(8, 'Manager, Vulnerability Management Team — John Roe', [
      'job-family::threat-management',
      'hiring-stage::screening',
    ]);
    gitlab.get(`${R}/issues`).query(ISSUES_QUERY).reply(200, [onExecutive, onScreening]);
    gitlab.get(`${RN}/issues/7`).reply(200, onExecutive);
    gitlab.get('/api/v4/user').reply(200, { id: 99, username: 'handbook-bot' });
    gitlab.get(`${RN}/issues/7/notes`).query(NOTES_QUERY).reply(200, []);
    gitlab.post(`${RN}/issues/7/notes`).reply(201, { id: 500, body: 'x', system: false, author: { id: 99, username: 'handbook-bot' } });
    gitlab.get(`${R}/labels`).query(LABEL_QUERY).reply(200, createdLabels);
    gitlab.put(`${RN}/issues/7`).reply(200, { ...onExecutive, labels: ['job-family::threat-management', 'hiring-stage::offer'] });
    // The interview kits: issue 7's for the stage it moved to; issue 8 had none yet (read again under its lock).
    gitlab.get(`${RN}/issues/7/notes`).query(NOTES_QUERY).reply(200, []);
    gitlab.post(`${RN}/issues/7/notes`).reply(201, { id: 501, body: 'x', system: false, author: { id: 99, username: 'handbook-bot' } });
    gitlab.get(`${RN}/issues/8`).reply(200, onScreening);
    gitlab.get(`${RN}/issues/8/notes`).query(NOTES_QUERY).reply(200, []);
    gitlab.post(`${RN}/issues/8/notes`).reply(201, { id: 502, body: 'x', system: false, author: { id: 99, username: 'handbook-bot' } });

    const result = await syncHiringForPage(t.ctx, {
      page: threatManagement(TM_WITHOUT_EXECUTIVE),
      path: TM_PATH,
      commit: 'c2c2c2c2c2c2c2',
    });

    expect(result.droppedStages).toEqual({ '*': ['executive'], 'manager, vulnerability management team': ['executive'] });
    const writes = recordedWrites();
    const comment = writes.find((write) => write.path === `${RN}/issues/7/notes`);
    expect(writes).toEqual([
      // The executive label and list stay (issues may still use them); the list moves after the stages in use.
      { method: 'PUT', path: `${R}/boards/3/lists/34`, body: { position: 4 } },
      { method: 'POST', path: `${RN}/issues/7/notes`, body: { body: expect.any(String) as string } },
      { method: 'PUT', path: `${RN}/issues/7`, body: { add_labels: 'hiring-stage::offer', remove_labels: 'hiring-stage::executive' } },
      { method: 'POST', path: `${RN}/issues/7/notes`, body: { body: expect.stringContaining('### Interview kit: offer') as string } },
      { method: 'POST', path: `${RN}/issues/8/notes`, body: { body: expect.stringContaining('### Interview kit: screening') as string } },
    ]);
    const body = (comment?.body as { body: string }).body;
    expect(body.split('\n')[0]).toBe('<!-- handbook-bot:stage-moved executive.offer.c2c2c2c2c2c2 -->');
    expect(body).toContain('Moved this issue from the hiring stage **executive** to **offer**');
    expect(body).toContain('*Manager, Vulnerability Management Team* (Threat Management Roles)');
    expect(body).toContain('Its stages are now: **screening**, **hiring-manager**, **team-interviews**, **offer**.');
    expect(result.issues).toEqual([
      { iid: 7, outcome: 'migrated', changed: true, stage: 'offer', kit: 'created' },
      { iid: 8, outcome: 'ok', changed: true, stage: 'screening', kit: 'created' },
    ]);
  });

  it("a page change to a stage's steps edits the kits of the issues on that stage in place, and no other", async () => {
    const gitlab = strictNock(GITLAB_URL);
    const bot = { id: 99, username: 'handbook-bot' };
    const onExecutive = issueJson(7, 'Manager, Vulnerability Management Team — Jane Doe', [
      'job-family::threat-management',
      'hiring-stage::executive',
    ]);
    const onScreening = issueJson(8, 'Manager, Vulnerability Management Team — John Roe', [
      'job-family::threat-management',
      'hiring-stage::screening',
    ]);
    // c1: the family is new, so its issues are visited: each gets its kit.
    gitlab.get(`${R}/labels`).query(LABEL_QUERY).reply(200, createdLabels);
    gitlab.get(`${R}/boards`).query(BOARD_QUERY).reply(200, [orderedBoard]);
    gitlab.get(`${R}/issues`).query(ISSUES_QUERY).reply(200, [onExecutive, onScreening]);
    gitlab.get(`${RN}/issues/7`).reply(200, onExecutive);
    gitlab.get('/api/v4/user').reply(200, bot);
    gitlab.get(`${RN}/issues/7/notes`).query(NOTES_QUERY).reply(200, []);
    gitlab
      .post(`${RN}/issues/7/notes`)
      .reply(201, (_uri, body) => ({ id: 501, body: (body as { body: string }).body, system: false, author: bot }));
    gitlab.get(`${RN}/issues/8`).reply(200, onScreening);
    gitlab.get(`${RN}/issues/8/notes`).query(NOTES_QUERY).reply(200, []);
    gitlab.post(`${RN}/issues/8/notes`).reply(201, { id: 502, body: 'x', system: false, author: bot });
    await syncHiringForPage(t.ctx, input('c1', '2026-11-20T10:00:00Z'));
    const kit7 = (recordedWrites()[0]?.body as { body: string }).body;

    // c2: the executive interview becomes 45 minutes with the CISO. No stage is dropped, labels and board
    // are as they were (their descriptions name the steps, so the labels are reconciled).
    const c2Source = TM_SOURCE.replace(
      'Candidates will then be invited to an 30 minute interview with the VP of Security',
      'Candidates will then be invited to a 45 minute interview with the CISO',
    );
    const c2Labels = desiredStageLabels(threatManagement(c2Source), testConfig()).labels;
    gitlab.get(`${R}/labels`).query(LABEL_QUERY).reply(200, createdLabels);
    c2Labels.forEach((spec, index) => {
      if (spec.description !== desired[index]?.description)
        gitlab.put(`${R}/labels/${11 + index}`).reply(200, labelJson(11 + index, spec.name, spec.color, spec.description));
    });
    gitlab.get(`${R}/boards`).query(BOARD_QUERY).reply(200, [orderedBoard]);
    gitlab.get(`${R}/issues`).query(ISSUES_QUERY).reply(200, [onExecutive, onScreening]);
    gitlab.get(`${RN}/issues/7`).reply(200, onExecutive);
    gitlab
      .get(`${RN}/issues/7/notes`)
      .query(NOTES_QUERY)
      .reply(200, [{ id: 501, body: kit7, system: false, author: bot }]);
    gitlab
      .put(`${RN}/issues/7/notes/501`)
      .reply(200, (_uri, body) => ({ id: 501, body: (body as { body: string }).body, system: false, author: bot }));
    const before = recordedWrites().length;

    const result = await syncHiringForPage(t.ctx, {
      page: threatManagement(c2Source),
      path: TM_PATH,
      commit: 'c2c2c2c2c2c2c2',
    });

    const kitEdits = recordedWrites()
      .slice(before)
      .filter((write) => write.path.includes('/notes'));
    expect(kitEdits.map((write) => `${write.method} ${write.path}`)).toEqual([`PUT ${RN}/issues/7/notes/501`]);
    const body = (kitEdits[0]?.body as { body: string }).body;
    expect(body).toMatch(/^- \[ \] \*\*Interview\*\* with the CISO · 45 min <!-- handbook-bot:item [0-9a-f]{12} -->$/mu);
    expect(body).toContain('  - Candidates will then be invited to a 45 minute interview with the CISO');
    expect(body).not.toContain('VP of Security');
    expect(result.droppedStages).toEqual({});
    expect(result.issues).toEqual([
      { iid: 7, outcome: 'ok', changed: true, stage: 'executive', kit: 'edited' },
      { iid: 8, outcome: 'ok', changed: false, stage: 'screening' },
    ]);
  });

  /** The family indexed at c1, its labels and board in place. */
  async function syncedAtC1(): Promise<ReturnType<typeof strictNock>> {
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${R}/labels`).query(LABEL_QUERY).reply(200, createdLabels);
    gitlab.get(`${R}/boards`).query(BOARD_QUERY).reply(200, [orderedBoard]);
    gitlab.get(`${R}/issues`).query(ISSUES_QUERY).reply(200, []);
    await syncHiringForPage(t.ctx, input('c1', '2026-11-20T10:00:00Z'));
    return gitlab;
  }

  /** Issue 7 on the dropped executive stage, listed, commented on and moved to offer. */
  function expectMigrationOfIssue7(gitlab: ReturnType<typeof strictNock>): void {
    const onExecutive = issueJson(7, 'Candidate: Jane Doe', ['job-family::threat-management', 'hiring-stage::executive']);
    gitlab.get(`${R}/issues`).query(ISSUES_QUERY).reply(200, [onExecutive]);
    gitlab.get(`${RN}/issues/7`).reply(200, onExecutive);
    gitlab.get('/api/v4/user').reply(200, { id: 99, username: 'handbook-bot' });
    gitlab.get(`${RN}/issues/7/notes`).query(NOTES_QUERY).reply(200, []);
    gitlab.post(`${RN}/issues/7/notes`).reply(201, { id: 500, body: 'x', system: false, author: { id: 99, username: 'handbook-bot' } });
    gitlab.get(`${R}/labels`).query(LABEL_QUERY).reply(200, createdLabels);
    gitlab.put(`${RN}/issues/7`).reply(200, onExecutive);
    // Its interview kit, for the stage it moved to.
    gitlab.get(`${RN}/issues/7/notes`).query(NOTES_QUERY).reply(200, []);
    gitlab.post(`${RN}/issues/7/notes`).reply(201, { id: 501, body: 'x', system: false, author: { id: 99, username: 'handbook-bot' } });
  }

  it('the drop is computed against the indexed (last applied) version, so a missed push still migrates issues', async () => {
    const gitlab = await syncedAtC1();
    gitlab.get(`${R}/labels`).query(LABEL_QUERY).reply(200, createdLabels);
    gitlab.get(`${R}/boards`).query(BOARD_QUERY).reply(200, [orderedBoard]);
    gitlab.put(`${R}/boards/3/lists/34`).reply(200, listJson(34, 4, { id: 14, name: 'hiring-stage::executive' }));
    expectMigrationOfIssue7(gitlab);

    const result = await syncHiringForPage(t.ctx, { ...input('c3', '2026-11-20T12:00:00Z'), page: threatManagement(TM_WITHOUT_EXECUTIVE) });

    expect(result.issues).toEqual([{ iid: 7, outcome: 'migrated', changed: true, stage: 'offer', kit: 'created' }]);
    expect(recordedWrites().at(-2)).toEqual({
      method: 'PUT',
      path: `${RN}/issues/7`,
      body: { add_labels: 'hiring-stage::offer', remove_labels: 'hiring-stage::executive' },
    });
  });

  it('a sync whose migration fails leaves the indexed version as it was, so its retry still sees the dropped stage', async () => {
    const gitlab = await syncedAtC1();

    const changed = { ...input('c3', '2026-11-20T12:00:00Z'), page: threatManagement(TM_WITHOUT_EXECUTIVE) };
    gitlab.get(`${R}/labels`).query(LABEL_QUERY).reply(200, createdLabels);
    gitlab.get(`${R}/boards`).query(BOARD_QUERY).reply(200, [orderedBoard]);
    gitlab.put(`${R}/boards/3/lists/34`).reply(200, listJson(34, 4, { id: 14, name: 'hiring-stage::executive' }));
    // GitLab refuses to list the issues this time.
    gitlab.get(`${R}/issues`).query(ISSUES_QUERY).reply(403, { message: '403 Forbidden' });
    await expect(syncHiringForPage(t.ctx, changed)).rejects.toThrow(/403/);

    // The retry: the executive stage is still seen as dropped, and the issue on it moves on (labels and
    // board were reconciled for this version already: not read again).
    expectMigrationOfIssue7(gitlab);

    const retried = await syncHiringForPage(t.ctx, changed);
    expect(retried.droppedStages).toMatchObject({ '*': ['executive'] });
    expect(retried.issues).toEqual([{ iid: 7, outcome: 'migrated', changed: true, stage: 'offer', kit: 'created' }]);
  });
});
