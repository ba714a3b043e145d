import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hiringFamilyFromPage, stageOrder } from '../../src/actions/hiring-family.js';
import { desiredStageLabels } from '../../src/actions/hiring-stages-plan.js';
import { readFamily, writeFamily } from '../../src/actions/page-index.js';
import { reconcileRecruitingIssue } from '../../src/actions/recruiting-issue.js';
import { parsePage } from '../../src/jobfamily/parse.js';
import type { RecruitingIssueData } from '../../src/queue/jobs.js';
import { recordedRequests, recordedWrites, strictNock } from '../support/strict-nock.js';
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
} from './hiring-support.js';

const H = '/api/v4/projects/acme%2Fhandbook';
const tmLabels = desiredStageLabels(threatManagement(), testConfig()).labels;
const existingLabels = tmLabels.map((spec, index) => labelJson(11 + index, spec.name, spec.color, spec.description));

let t: TestContext;
beforeEach(async () => {
  t = makeContext({ name: 'recruiting-issue' });
  const order = stageOrder(t.ctx.config);
  await writeFamily(t.redis, t.ctx.lockPrefix, hiringFamilyFromPage(threatManagement(), { path: TM_PATH, commit: 'c1', order }));
  await writeFamily(t.redis, t.ctx.lockPrefix, hiringFamilyFromPage(parsePage(SL_SOURCE, SL_PATH, {}), { path: SL_PATH, commit: 'c1', order }));
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
  it('an opened recruiting issue without a stage gets its role\'s first stage (the label exists: checked, not created)', async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${RN}/issues/7`).reply(200, issueJson(7, 'Manager, Vulnerability Management Team — Jane Doe', [TM_LABEL]));
    gitlab.get(`${R}/labels`).query(LABEL_QUERY).reply(200, existingLabels);
    gitlab.put(`${RN}/issues/7`).reply(200, issueJson(7, 'x', [TM_LABEL, 'hiring-stage::screening']));

    const result = await reconcileRecruitingIssue(t.ctx, event(7, { addedLabels: [TM_LABEL] }));

    expect(recordedWrites()).toEqual([{ method: 'PUT', path: `${RN}/issues/7`, body: { add_labels: 'hiring-stage::screening' } }]);
    expect(result).toEqual({ iid: 7, outcome: 'first-stage', changed: true, stage: 'screening' });
  });

  it('a missing stage label is created deliberately, with colour and description, before it is applied', async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${RN}/issues/7`).reply(200, issueJson(7, 'Jane Doe', [TM_LABEL]));
    gitlab.get(`${R}/labels`).query(LABEL_QUERY).reply(200, existingLabels.slice(1));
    gitlab.post(`${R}/labels`).reply(201, existingLabels[0]);
    gitlab.put(`${RN}/issues/7`).reply(200, issueJson(7, 'x', [TM_LABEL, 'hiring-stage::screening']));

    await reconcileRecruitingIssue(t.ctx, event(7));

    const screening = tmLabels[0];
    expect(recordedWrites()).toEqual([
      // The description is built from every indexed family: both seeds screen with a Global Recruiter.
      { method: 'POST', path: `${R}/labels`, body: { name: 'hiring-stage::screening', color: '#6699cc', description: expect.stringContaining('(Security Leadership, Threat Management Roles)') } },
      { method: 'PUT', path: `${RN}/issues/7`, body: { add_labels: 'hiring-stage::screening' } },
    ]);
    expect(screening?.color).toBe('#6699cc');
  });

  it('the role is told from the title: a Director of Security (who reports to the CISO) has no executive stage', async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${RN}/issues/9`).reply(200, issueJson(9, 'Director, Security — Jane Doe', [SL_LABEL, 'hiring-stage::executive']));
    gitlab.get('/api/v4/user').reply(200, BOT);
    gitlab.get(`${RN}/issues/9/notes`).query(NOTES_QUERY).reply(200, [noteJson(1, 'Looks good', { id: 7, username: 'recruiter' })]);
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
    gitlab.get(`${RN}/issues/9/notes`).query(NOTES_QUERY).reply(200, [noteJson(2, '<!-- handbook-bot:stage-invalid assessment -->\nThis issue is …')]);

    await reconcileRecruitingIssue(t.ctx, event(9));
    const again = await reconcileRecruitingIssue(t.ctx, event(9));

    expect(recordedWrites()).toHaveLength(1);
    expect(again).toEqual({ iid: 9, outcome: 'invalid', changed: false, stage: 'assessment' });
    const body = (recordedWrites()[0]?.body as { body: string }).body;
    expect(body).toContain('Its stages are: **screening**, **hiring-manager**, **team-interviews**, **executive**, **offer**.');
    // The title names no role: the comment says which one was assumed.
    expect(body).toContain('The title names no role of this job family, so the first one, *Manager, Vulnerability Management Team*, was assumed.');
  });

  it('two stage labels collapse to the one just added, in ONE update', async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${RN}/issues/7`).reply(200, issueJson(7, 'Jane', [TM_LABEL, 'hiring-stage::screening', 'hiring-stage::team-interviews']));
    gitlab.put(`${RN}/issues/7`).reply(200, issueJson(7, 'Jane', [TM_LABEL, 'hiring-stage::team-interviews']));

    const result = await reconcileRecruitingIssue(t.ctx, event(7, { action: 'update', addedLabels: ['hiring-stage::team-interviews'] }));

    expect(recordedWrites()).toEqual([{ method: 'PUT', path: `${RN}/issues/7`, body: { remove_labels: 'hiring-stage::screening' } }]);
    expect(result).toEqual({ iid: 7, outcome: 'collapsed', changed: true, stage: 'team-interviews' });
  });

  it('an issue already on one valid stage: zero writes (this is also the bot\'s own edit coming back)', async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${RN}/issues/7`).reply(200, issueJson(7, 'Jane', [TM_LABEL, 'hiring-stage::executive']));

    const result = await reconcileRecruitingIssue(t.ctx, event(7, { action: 'update', addedLabels: ['hiring-stage::executive'] }));

    expect(recordedWrites()).toEqual([]);
    expect(recordedRequests()).toEqual([{ method: 'GET', path: `${RN}/issues/7`, body: undefined }]);
    expect(result).toEqual({ iid: 7, outcome: 'ok', changed: false, stage: 'executive' });
  });

  it('a second delivery of the same event changes nothing', async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${RN}/issues/7`).reply(200, issueJson(7, 'Jane', [TM_LABEL]));
    gitlab.get(`${R}/labels`).query(LABEL_QUERY).reply(200, existingLabels);
    gitlab.put(`${RN}/issues/7`).reply(200, issueJson(7, 'Jane', [TM_LABEL, 'hiring-stage::screening']));
    gitlab.get(`${RN}/issues/7`).reply(200, issueJson(7, 'Jane', [TM_LABEL, 'hiring-stage::screening']));

    await reconcileRecruitingIssue(t.ctx, event(7, { addedLabels: [TM_LABEL] }));
    const second = await reconcileRecruitingIssue(t.ctx, event(7, { addedLabels: [TM_LABEL] }));

    expect(recordedWrites()).toHaveLength(1);
    expect(second.changed).toBe(false);
  });

  it('an issue linking the page in its description (no family label) is a recruiting issue too', async () => {
    const gitlab = strictNock(GITLAB_URL);
    const description = 'Hiring for https://handbook.gitlab.com/job-families/security/threat-management/#manager';
    gitlab.get(`${RN}/issues/7`).reply(200, issueJson(7, 'Jane', [], { description }));
    gitlab.get(`${R}/labels`).query(LABEL_QUERY).reply(200, existingLabels);
    gitlab.put(`${RN}/issues/7`).reply(200, issueJson(7, 'Jane', ['hiring-stage::screening']));

    await reconcileRecruitingIssue(t.ctx, event(7));

    expect(recordedWrites()).toEqual([{ method: 'PUT', path: `${RN}/issues/7`, body: { add_labels: 'hiring-stage::screening' } }]);
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
    // An unknown family: one tree listing, then remembered.
    gitlab.get(`${RN}/issues/8`).times(2).reply(200, issueJson(8, 'Jane', ['job-family::no-such-page']));
    gitlab.get(`${H}/repository/commits/main`).reply(200, { id: head, committed_date: '2026-11-20T09:00:00Z' });
    gitlab.get(`${H}/repository/tree`).query(treeQuery).reply(200, tree);

    await reconcileRecruitingIssue(t.ctx, event(7));
    expect((await readFamily(t.redis, t.ctx.lockPrefix, 'threat-management'))?.commit).toBe(head);
    expect((await reconcileRecruitingIssue(t.ctx, event(8))).outcome).toBe('not-recruiting');
    expect((await reconcileRecruitingIssue(t.ctx, event(8))).outcome).toBe('not-recruiting');

    expect(recordedWrites()).toEqual([{ method: 'PUT', path: `${RN}/issues/7`, body: { add_labels: 'hiring-stage::screening' } }]);
  });
});
