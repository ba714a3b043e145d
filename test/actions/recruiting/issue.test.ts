import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hiringFamilyFromPage, stageOrder } from '../../../src/actions/hiring/family.js';
import { desiredStageLabels } from '../../../src/actions/hiring/stages-plan.js';
import { readFamily, writeFamily } from '../../../src/actions/shared/page-index.js';
import { reconcileRecruitingIssue } from '../../../src/actions/recruiting/issue.js';
import { hiringLabelsLockKey } from '../../../src/actions/hiring/stages-apply.js';
import { parsePage } from '../../../src/jobfamily/parse.js';
import type { RecruitingIssueData } from '../../../src/queue/jobs.js';
import { recordedRequests, recordedWrites, strictNock } from '../../support/strict-nock.js';
import {
  BOT,
  GITLAB_URL,
  LABEL_QUERY,
  NOTES_QUERY,
  R,
  RID,
  RN,
  SL_PATH,
  SL_SOURCE,
  TM_PATH,
  TM_SOURCE,
  issueJson,
  labelJson,
  makeContext,
  noteJson,
  testConfig,
  threatManagement,
  type TestContext,
} from '../support/hiring.js';

const H = '/api/v4/projects/acme%2Fhandbook';
/** The commit the threat-management page is indexed at. */
const C1 = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const TM_BLOB = `[${TM_PATH}](/acme/handbook/-/blob/${C1}/${TM_PATH}) at commit a1b2c3d4`;
const FOOTER =
  '<sub>Kept by handbook-bot: edited in place when the issue moves to another stage or the page changes. Tick the steps as they are done.</sub>';
const ASSUMED =
  "The title names no role of this job family, so the first one, *Manager, Vulnerability Management Team*, was assumed. Put the role's name in the title to choose another.";
/** Item ids are hashes: the tests read them as `<!-- item -->`. */
const withoutIds = (body: string) => body.replace(/<!-- handbook-bot:item [0-9a-f]{12}(?:-\d+)? -->/gu, '<!-- item -->');
const bodyOf = (write: { body: unknown } | undefined) => (write?.body as { body: string }).body;

/** The interview kit GitLab does not have yet: the bot looks for it, then posts it. */
function expectKitPosted(
  gitlab: ReturnType<typeof strictNock>,
  iid: number,
  options: { user?: boolean; notes?: Array<Record<string, unknown>> } = {},
): void {
  if (options.user !== false) gitlab.get('/api/v4/user').reply(200, BOT);
  gitlab
    .get(`${RN}/issues/${iid}/notes`)
    .query(NOTES_QUERY)
    .reply(200, options.notes ?? []);
  gitlab.post(`${RN}/issues/${iid}/notes`).reply(201, (_uri, body) => noteJson(500, (body as { body: string }).body));
}

const SCREENING_KIT = (assumed: boolean) =>
  [
    '<!-- handbook-bot:interview-kit -->',
    '### Interview kit: screening',
    `The **screening** steps of *Manager, Vulnerability Management Team* (Threat Management Roles), from ${TM_BLOB}:`,
    '',
    '- [ ] **Screening call** with one of our Global Recruiters · 30 min <!-- item -->',
    '  - Qualified candidates will be invited to schedule a 30 minute screening call with one of our Global Recruiters.',
    ...(assumed ? ['', ASSUMED] : []),
    '',
    FOOTER,
  ].join('\n');
const tmLabels = desiredStageLabels(threatManagement(), testConfig()).labels;
const existingLabels = tmLabels.map((spec, index) => labelJson(11 + index, spec.name, spec.color, spec.description));

let t: TestContext;
beforeEach(async () => {
  t = makeContext({ name: 'recruiting-issue' });
  const order = stageOrder(t.ctx.config);
  await writeFamily(t.redis, t.ctx.lockPrefix, hiringFamilyFromPage(threatManagement(), { path: TM_PATH, commit: C1, order }));
  await writeFamily(
    t.redis,
    t.ctx.lockPrefix,
    hiringFamilyFromPage(parsePage(SL_SOURCE, SL_PATH, {}), { path: SL_PATH, commit: 'c1', order }),
  );
});
afterEach(async () => {
  await t.close();
});

const event = (iid: number, over: Partial<RecruitingIssueData> = {}): RecruitingIssueData => ({
  projectId: RID,
  issueIid: iid,
  action: 'open',
  addedLabels: [],
  updatedAt: '2026-11-20T10:00:00Z',
  trigger: 'webhook',
  ...over,
});

const TM_LABEL = 'job-family::threat-management';
const SL_LABEL = 'job-family::security-leadership';

describe('reconcileRecruitingIssue', () => {
  it("an opened recruiting issue without a stage gets its role's first stage (the label exists: checked, not created)", async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${RN}/issues/7`).reply(200, issueJson(7, 'Manager, Vulnerability Management Team — Jane Doe', [TM_LABEL]));
    gitlab.get(`${R}/labels`).query(LABEL_QUERY).reply(200, existingLabels);
    gitlab.put(`${RN}/issues/7`).reply(200, issueJson(7, 'x', [TM_LABEL, 'hiring-stage::screening']));
    expectKitPosted(gitlab, 7);

    const result = await reconcileRecruitingIssue(t.ctx, event(7, { addedLabels: [TM_LABEL] }));

    const writes = recordedWrites();
    expect(writes.map((write) => `${write.method} ${write.path}`)).toEqual([`PUT ${RN}/issues/7`, `POST ${RN}/issues/7/notes`]);
    expect(writes[0]?.body).toEqual({ add_labels: 'hiring-stage::screening' });
    // The kit of the stage it was put on, the role told by the title.
    expect(withoutIds(bodyOf(writes[1]))).toBe(SCREENING_KIT(false));
    expect(result).toEqual({ iid: 7, outcome: 'first-stage', changed: true, stage: 'screening', kit: 'created' });
  });

  it('a missing stage label is created deliberately, with colour and description, before it is applied', async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${RN}/issues/7`).reply(200, issueJson(7, 'Jane Doe', [TM_LABEL]));
    // Listed once, without the labels lock: a create that meets a 409 counts as present.
    gitlab.get(`${R}/labels`).query(LABEL_QUERY).reply(200, existingLabels.slice(1));
    gitlab.post(`${R}/labels`).reply(201, existingLabels[0]);
    gitlab.put(`${RN}/issues/7`).reply(200, issueJson(7, 'x', [TM_LABEL, 'hiring-stage::screening']));
    expectKitPosted(gitlab, 7);

    await reconcileRecruitingIssue(t.ctx, event(7));

    const screening = tmLabels[0];
    expect(recordedWrites()).toEqual([
      // The description is built from every indexed family: both seeds screen with a Global Recruiter.
      {
        method: 'POST',
        path: `${R}/labels`,
        body: {
          name: 'hiring-stage::screening',
          color: '#6699cc',
          description: expect.stringContaining('(Security Leadership, Threat Management Roles)') as string,
        },
      },
      { method: 'PUT', path: `${RN}/issues/7`, body: { add_labels: 'hiring-stage::screening' } },
      { method: 'POST', path: `${RN}/issues/7/notes`, body: { body: expect.stringContaining('### Interview kit: screening') as string } },
    ]);
    expect(screening?.color).toBe('#6699cc');
  });

  it('the role is told from the title: a Director of Security (who reports to the CISO) has no executive stage', async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${RN}/issues/9`).reply(200, issueJson(9, 'Director, Security — Jane Doe', [SL_LABEL, 'hiring-stage::executive']));
    gitlab.get('/api/v4/user').reply(200, BOT);
    gitlab
      .get(`${RN}/issues/9/notes`)
      .query(NOTES_QUERY)
      .reply(200, [noteJson(1, 'Looks good', { id: 7, username: 'recruiter' })]);
    gitlab.post(`${RN}/issues/9/notes`).reply(201, noteJson(2, 'x'));

    const result = await reconcileRecruitingIssue(t.ctx, event(9, { action: 'update', addedLabels: ['hiring-stage::executive'] }));

    expect(result.outcome).toBe('invalid');
    const writes = recordedWrites();
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ method: 'POST', path: `${RN}/issues/9/notes` });
    const body = (writes[0]?.body as { body: string }).body;
    expect(body).toBe(
      [
        '<!-- handbook-bot:stage-invalid executive -->',
        'This issue is on the hiring stage **executive**, which the hiring process of *Director, Security* (Security Leadership) does not have.',
        'Its stages are: **screening**, **hiring-manager**, **team-interviews**, **offer**.',
        '',
        'To move the issue, comment `@handbook-bot stage <name>`.',
      ].join('\n'),
    );
  });

  it('a stage not in the process is commented on once: a second run finds the comment and writes nothing', async () => {
    const gitlab = strictNock(GITLAB_URL);
    const issue = issueJson(9, 'Jane Doe', [TM_LABEL, 'hiring-stage::assessment']);
    gitlab.get(`${RN}/issues/9`).times(2).reply(200, issue);
    gitlab.get('/api/v4/user').reply(200, BOT);
    gitlab.get(`${RN}/issues/9/notes`).query(NOTES_QUERY).reply(200, []);
    gitlab.post(`${RN}/issues/9/notes`).reply(201, noteJson(2, 'x'));
    gitlab
      .get(`${RN}/issues/9/notes`)
      .query(NOTES_QUERY)
      .reply(200, [noteJson(2, '<!-- handbook-bot:stage-invalid assessment -->\nThis issue is …')]);

    await reconcileRecruitingIssue(t.ctx, event(9));
    const again = await reconcileRecruitingIssue(t.ctx, event(9));

    expect(recordedWrites()).toHaveLength(1);
    expect(again).toEqual({ iid: 9, outcome: 'invalid', changed: false, stage: 'assessment', kit: 'none' });
    const body = (recordedWrites()[0]?.body as { body: string }).body;
    expect(body).toContain('Its stages are: **screening**, **hiring-manager**, **team-interviews**, **executive**, **offer**.');
    // The title names no role: the comment says which one was assumed.
    expect(body).toContain(
      'The title names no role of this job family, so the first one, *Manager, Vulnerability Management Team*, was assumed.',
    );
  });

  it('a second stage added by hand: the one just added stays, the other goes in ONE update, with one comment', async () => {
    const gitlab = strictNock(GITLAB_URL);
    const twoStages = issueJson(7, 'Jane', [TM_LABEL, 'hiring-stage::screening', 'hiring-stage::team-interviews']);
    gitlab.get(`${RN}/issues/7`).reply(200, twoStages);
    gitlab.get('/api/v4/user').reply(200, BOT);
    gitlab.get(`${RN}/issues/7/notes`).query(NOTES_QUERY).reply(200, []);
    gitlab.post(`${RN}/issues/7/notes`).reply(201, noteJson(600, 'x'));
    gitlab.put(`${RN}/issues/7`).reply(200, issueJson(7, 'Jane', [TM_LABEL, 'hiring-stage::team-interviews']));
    expectKitPosted(gitlab, 7, { user: false });
    // The same event again (a retry, or GitLab redelivering): the comment is found, the stage is right.
    gitlab.get(`${RN}/issues/7`).reply(200, twoStages);
    gitlab
      .get(`${RN}/issues/7/notes`)
      .query(NOTES_QUERY)
      .reply(200, [noteJson(600, '<!-- handbook-bot:stage-collapsed team-interviews.screening -->\nThis issue had…')]);
    gitlab.put(`${RN}/issues/7`).reply(200, issueJson(7, 'Jane', [TM_LABEL, 'hiring-stage::team-interviews']));

    const result = await reconcileRecruitingIssue(t.ctx, event(7, { action: 'update', addedLabels: ['hiring-stage::team-interviews'] }));
    const again = await reconcileRecruitingIssue(t.ctx, event(7, { action: 'update', addedLabels: ['hiring-stage::team-interviews'] }));

    const writes = recordedWrites();
    expect(writes.map((write) => `${write.method} ${write.path}`)).toEqual([
      `POST ${RN}/issues/7/notes`,
      `PUT ${RN}/issues/7`,
      `POST ${RN}/issues/7/notes`,
      `PUT ${RN}/issues/7`,
    ]);
    expect(bodyOf(writes[0])).toBe(
      [
        '<!-- handbook-bot:stage-collapsed team-interviews.screening -->',
        'This issue had more than one hiring stage. Kept **team-interviews**, the one just added, and removed **screening**: a recruiting issue is on one stage at a time.',
        '',
        'To move it, drag it to another list of the hiring board, or comment `@handbook-bot stage <name>`.',
      ].join('\n'),
    );
    expect(writes[1]?.body).toEqual({ remove_labels: 'hiring-stage::screening' });
    expect(bodyOf(writes[2])).toContain('### Interview kit: team-interviews');
    // The second run only repeats the (idempotent) label removal: no second comment, no second kit.
    expect(writes[3]?.body).toEqual({ remove_labels: 'hiring-stage::screening' });
    expect(result).toEqual({ iid: 7, outcome: 'collapsed', changed: true, stage: 'team-interviews', kit: 'created' });
    expect(again).toEqual({ iid: 7, outcome: 'collapsed', changed: true, stage: 'team-interviews', kit: 'unchanged' });
  });

  it("an issue already on one valid stage with its kit: one read, zero writes (this is also the bot's own edit coming back)", async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab
      .get(`${RN}/issues/7`)
      .times(2)
      .reply(200, issueJson(7, 'Jane', [TM_LABEL, 'hiring-stage::executive']));
    expectKitPosted(gitlab, 7);
    await reconcileRecruitingIssue(t.ctx, event(7, { action: 'update', addedLabels: ['hiring-stage::executive'] }));
    const before = recordedRequests().length;

    const result = await reconcileRecruitingIssue(
      t.ctx,
      event(7, { action: 'update', addedLabels: ['hiring-stage::executive'], updatedAt: '2026-11-20T10:00:01Z' }),
    );

    expect(recordedRequests().slice(before)).toEqual([{ method: 'GET', path: `${RN}/issues/7`, body: undefined }]);
    expect(recordedWrites().map((write) => `${write.method} ${write.path}`)).toEqual([`POST ${RN}/issues/7/notes`]);
    expect(result).toEqual({ iid: 7, outcome: 'ok', changed: false, stage: 'executive', kit: 'unchanged' });
  });

  it('a second delivery of the same event changes nothing', async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${RN}/issues/7`).reply(200, issueJson(7, 'Jane', [TM_LABEL]));
    gitlab.get(`${R}/labels`).query(LABEL_QUERY).reply(200, existingLabels);
    gitlab.put(`${RN}/issues/7`).reply(200, issueJson(7, 'Jane', [TM_LABEL, 'hiring-stage::screening']));
    expectKitPosted(gitlab, 7);
    gitlab.get(`${RN}/issues/7`).reply(200, issueJson(7, 'Jane', [TM_LABEL, 'hiring-stage::screening']));

    await reconcileRecruitingIssue(t.ctx, event(7, { addedLabels: [TM_LABEL] }));
    const second = await reconcileRecruitingIssue(t.ctx, event(7, { addedLabels: [TM_LABEL] }));

    expect(recordedWrites()).toHaveLength(2);
    expect(second.changed).toBe(false);
  });

  it('an issue linking the page in its description (no family label) is a recruiting issue too', async () => {
    const gitlab = strictNock(GITLAB_URL);
    const description = 'Hiring for https://handbook.gitlab.com/job-families/security/threat-management/#manager';
    gitlab.get(`${RN}/issues/7`).reply(200, issueJson(7, 'Jane', [], { description }));
    gitlab.get(`${R}/labels`).query(LABEL_QUERY).reply(200, existingLabels);
    gitlab.put(`${RN}/issues/7`).reply(200, issueJson(7, 'Jane', ['hiring-stage::screening']));
    expectKitPosted(gitlab, 7);

    await reconcileRecruitingIssue(t.ctx, event(7));

    expect(recordedWrites()[0]).toEqual({ method: 'PUT', path: `${RN}/issues/7`, body: { add_labels: 'hiring-stage::screening' } });
    expect(withoutIds(bodyOf(recordedWrites()[1]))).toBe(SCREENING_KIT(true));
  });

  it('not a recruiting issue (no family), an OKR issue, a closed issue: nothing', async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${RN}/issues/1`).reply(200, issueJson(1, 'Laptop', ['IT'], { description: 'Please order' }));
    gitlab.get(`${RN}/issues/2`).reply(200, issueJson(2, 'OKRs: Threat Management Roles — FY27-Q4', ['OKR', TM_LABEL]));
    gitlab.get(`${RN}/issues/3`).reply(200, issueJson(3, 'Jane', [TM_LABEL], { state: 'closed' }));

    expect((await reconcileRecruitingIssue(t.ctx, event(1))).outcome).toBe('not-recruiting');
    expect((await reconcileRecruitingIssue(t.ctx, event(2))).outcome).toBe('not-recruiting');
    expect((await reconcileRecruitingIssue(t.ctx, event(3))).outcome).toBe('closed');
    expect(recordedWrites()).toEqual([]);
  });

  it('a family missing from the index is read from the handbook once, then indexed; an unknown one is remembered', async () => {
    await t.redis.del(`${t.ctx.lockPrefix}pages`);
    const gitlab = strictNock(GITLAB_URL);
    const head = 'f'.repeat(40);
    const treeQuery = { ref: head, recursive: 'true', pagination: 'keyset', per_page: '100' };
    const tree = [
      { path: 'content/job-families/security', type: 'tree' },
      { path: TM_PATH, type: 'blob' },
      { path: 'README.md', type: 'blob' },
    ];
    gitlab.get(`${RN}/issues/7`).reply(200, issueJson(7, 'Jane', [TM_LABEL]));
    gitlab.get(`${H}/repository/commits/main`).reply(200, { id: head, committed_date: '2026-11-20T09:00:00Z' });
    gitlab.get(`${H}/repository/tree`).query(treeQuery).reply(200, tree);
    gitlab
      .get(`${H}/repository/files/${encodeURIComponent(TM_PATH)}/raw`)
      .query({ ref: head })
      .reply(200, TM_SOURCE, { 'content-type': 'text/plain' });
    gitlab.get(`${R}/labels`).query(LABEL_QUERY).reply(200, existingLabels);
    gitlab.put(`${RN}/issues/7`).reply(200, issueJson(7, 'Jane', [TM_LABEL, 'hiring-stage::screening']));
    expectKitPosted(gitlab, 7);
    // An unknown family: one tree listing, then remembered.
    gitlab
      .get(`${RN}/issues/8`)
      .times(2)
      .reply(200, issueJson(8, 'Jane', ['job-family::no-such-page']));
    gitlab.get(`${H}/repository/commits/main`).reply(200, { id: head, committed_date: '2026-11-20T09:00:00Z' });
    gitlab.get(`${H}/repository/tree`).query(treeQuery).reply(200, tree);

    await reconcileRecruitingIssue(t.ctx, event(7));
    expect((await readFamily(t.redis, t.ctx.lockPrefix, 'threat-management'))?.commit).toBe(head);
    expect((await reconcileRecruitingIssue(t.ctx, event(8))).outcome).toBe('not-recruiting');
    expect((await reconcileRecruitingIssue(t.ctx, event(8))).outcome).toBe('not-recruiting');

    expect(recordedWrites().map((write) => `${write.method} ${write.path}`)).toEqual([`PUT ${RN}/issues/7`, `POST ${RN}/issues/7/notes`]);
    // The kit links the page at the commit it was read at.
    expect(bodyOf(recordedWrites()[1])).toContain(`from [${TM_PATH}](/acme/handbook/-/blob/${head}/${TM_PATH}) at commit ffffffff:`);
  });
});

describe('interview kit', () => {
  const TITLE = 'Manager, Vulnerability Management Team — Jane Doe';
  const recruiterNote = noteJson(1, 'Scheduled with the panel', { id: 7, username: 'recruiter' });

  it("a drag on the board posts the kit once and edits it in place on the next move; the bot's echo reads the issue only", async () => {
    const gitlab = strictNock(GITLAB_URL);
    // 1. Dragged from screening to team interviews (GitLab swaps the labels in one update).
    gitlab.get(`${RN}/issues/7`).reply(200, issueJson(7, TITLE, [TM_LABEL, 'hiring-stage::team-interviews']));
    gitlab.get('/api/v4/user').reply(200, BOT);
    gitlab.get(`${RN}/issues/7/notes`).query(NOTES_QUERY).reply(200, [recruiterNote]);
    gitlab.post(`${RN}/issues/7/notes`).reply(201, (_uri, body) => noteJson(500, (body as { body: string }).body));
    const first = await reconcileRecruitingIssue(t.ctx, event(7, { action: 'update', addedLabels: ['hiring-stage::team-interviews'] }));
    const posted = bodyOf(recordedWrites()[0]);

    // 2. Dragged on to executive: the kit (its box ticked meanwhile by the recruiter) is found and edited.
    const ticked = posted.replace('- [ ] **Interviews**', '- [x] **Interviews**');
    gitlab.get(`${RN}/issues/7`).reply(200, issueJson(7, TITLE, [TM_LABEL, 'hiring-stage::executive']));
    gitlab
      .get(`${RN}/issues/7/notes`)
      .query(NOTES_QUERY)
      .reply(200, [recruiterNote, noteJson(500, ticked)]);
    gitlab.put(`${RN}/issues/7/notes/500`).reply(200, (_uri, body) => noteJson(500, (body as { body: string }).body));
    const second = await reconcileRecruitingIssue(
      t.ctx,
      event(7, { action: 'update', addedLabels: ['hiring-stage::executive'], updatedAt: '2026-11-20T10:05:00Z' }),
    );

    // 3. The same event delivered again, or the bot's own label edit coming back: the issue is read, nothing else.
    gitlab.get(`${RN}/issues/7`).reply(200, issueJson(7, TITLE, [TM_LABEL, 'hiring-stage::executive']));
    const before = recordedRequests().length;
    const third = await reconcileRecruitingIssue(
      t.ctx,
      event(7, { action: 'update', addedLabels: ['hiring-stage::executive'], updatedAt: '2026-11-20T10:05:00Z' }),
    );

    expect(recordedWrites().map((write) => `${write.method} ${write.path}`)).toEqual([
      `POST ${RN}/issues/7/notes`,
      `PUT ${RN}/issues/7/notes/500`,
    ]);
    expect(withoutIds(posted)).toBe(
      [
        '<!-- handbook-bot:interview-kit -->',
        '### Interview kit: team-interviews',
        `The **team-interviews** steps of *Manager, Vulnerability Management Team* (Threat Management Roles), from ${TM_BLOB}:`,
        '',
        '- [ ] **Interviews** with three members of the Security Organization · 45 min <!-- item -->',
        '  - Candidates will then be invited to schedule separate 45 minute interviews with three members of the Security Organization',
        '',
        FOOTER,
      ].join('\n'),
    );
    expect(withoutIds(bodyOf(recordedWrites()[1]))).toBe(
      [
        '<!-- handbook-bot:interview-kit -->',
        '### Interview kit: executive',
        `The **executive** steps of *Manager, Vulnerability Management Team* (Threat Management Roles), from ${TM_BLOB}:`,
        '',
        '- [ ] **Interview** with the VP of Security · 30 min <!-- item -->',
        '  - Candidates will then be invited to an 30 minute interview with the VP of Security',
        '',
        FOOTER,
      ].join('\n'),
    );
    expect(recordedRequests().slice(before)).toEqual([{ method: 'GET', path: `${RN}/issues/7`, body: undefined }]);
    expect([first.kit, second.kit, third.kit]).toEqual(['created', 'edited', 'unchanged']);
    expect([first.changed, second.changed, third.changed]).toEqual([true, true, false]);
  });

  it('a kit already right (the record was lost) is not written again; a duplicate of it is deleted', async () => {
    const gitlab = strictNock(GITLAB_URL);
    // Learn the kit's exact body from a first run, then forget the record.
    gitlab
      .get(`${RN}/issues/7`)
      .times(2)
      .reply(200, issueJson(7, TITLE, [TM_LABEL, 'hiring-stage::screening']));
    expectKitPosted(gitlab, 7);
    await reconcileRecruitingIssue(t.ctx, event(7));
    const kit = bodyOf(recordedWrites()[0]);
    await t.redis.del(`${t.ctx.lockPrefix}kit:${RID}:7`);
    gitlab
      .get(`${RN}/issues/7/notes`)
      .query(NOTES_QUERY)
      .reply(200, [noteJson(500, kit), recruiterNote, noteJson(501, kit)]);
    gitlab.delete(`${RN}/issues/7/notes/501`).reply(204);

    const result = await reconcileRecruitingIssue(t.ctx, event(7, { updatedAt: '2026-11-20T10:01:00Z' }));

    expect(recordedWrites().map((write) => `${write.method} ${write.path}`)).toEqual([
      `POST ${RN}/issues/7/notes`,
      `DELETE ${RN}/issues/7/notes/501`,
    ]);
    expect(result.kit).toBe('same');
  });

  it('step text is sanitized in the kit: no quick action, no mass mention, no HTML', async () => {
    const hostile = TM_SOURCE.replace(
      'Qualified candidates will be invited to schedule a 30 minute screening call with one of our Global Recruiters.',
      'Qualified candidates will be invited to a 30 minute screening call with @all <b>recruiters</b> /close',
    );
    await writeFamily(
      t.redis,
      t.ctx.lockPrefix,
      hiringFamilyFromPage(threatManagement(hostile), { path: TM_PATH, commit: C1, order: stageOrder(t.ctx.config) }),
    );
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${RN}/issues/7`).reply(200, issueJson(7, TITLE, [TM_LABEL, 'hiring-stage::screening']));
    expectKitPosted(gitlab, 7);

    await reconcileRecruitingIssue(t.ctx, event(7));

    const lines = withoutIds(bodyOf(recordedWrites()[0])).split('\n');
    expect(lines.slice(4, 6)).toEqual([
      // The mass mention is broken by a zero-width joiner; the tags never reach the note (the page
      // parser keeps text only); `/close` does not start a line, so it is no quick action.
      '- [ ] **Screening call** with @\u200Dall recruiters /close · 30 min <!-- item -->',
      '  - Qualified candidates will be invited to a 30 minute screening call with @\u200Dall recruiters /close',
    ]);
  });
});

describe('the hiring-labels lock is not taken for every recruiting issue', () => {
  it("with the project's labels lock held elsewhere (a page-sync writing labels), an issue whose stage label exists is still reconciled", async () => {
    await t.redis.set(hiringLabelsLockKey(t.ctx.lockPrefix, 'acme/recruiting'), 'someone-else', 'PX', 60_000);
    t.ctx.lockOptions = { waitMs: 100, pollMs: 10 };
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${RN}/issues/7`).reply(200, issueJson(7, 'Jane', [TM_LABEL]));
    gitlab.get(`${R}/labels`).query(LABEL_QUERY).reply(200, existingLabels);
    gitlab.put(`${RN}/issues/7`).reply(200, issueJson(7, 'Jane', [TM_LABEL, 'hiring-stage::screening']));
    expectKitPosted(gitlab, 7);

    const result = await reconcileRecruitingIssue(t.ctx, event(7));

    expect(result).toMatchObject({ outcome: 'first-stage', stage: 'screening' });
    expect(recordedWrites()[0]).toEqual({ method: 'PUT', path: `${RN}/issues/7`, body: { add_labels: 'hiring-stage::screening' } });
  });

  it('a label that must be created does not wait for the lock either (a 409 from a racing writer counts as present)', async () => {
    await t.redis.set(hiringLabelsLockKey(t.ctx.lockPrefix, 'acme/recruiting'), 'someone-else', 'PX', 60_000);
    t.ctx.lockOptions = { waitMs: 100, pollMs: 10 };
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${RN}/issues/7`).reply(200, issueJson(7, 'Jane', [TM_LABEL]));
    gitlab.get(`${R}/labels`).query(LABEL_QUERY).reply(200, existingLabels.slice(1));
    gitlab.post(`${R}/labels`).reply(409, { message: 'Label already exists' });
    gitlab.put(`${RN}/issues/7`).reply(200, issueJson(7, 'x', [TM_LABEL, 'hiring-stage::screening']));
    expectKitPosted(gitlab, 7);

    const result = await reconcileRecruitingIssue(t.ctx, event(7));

    expect(result).toMatchObject({ outcome: 'first-stage', stage: 'screening' });
    expect(recordedWrites().map((write) => `${write.method} ${write.path}`)).toEqual([
      `POST ${R}/labels`,
      `PUT ${RN}/issues/7`,
      `POST ${RN}/issues/7/notes`,
    ]);
  });
});
