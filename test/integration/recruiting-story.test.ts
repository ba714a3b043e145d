import type { FlowProducer, Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionContext } from '../../src/actions/shared/context.js';
import { desiredStageLabels } from '../../src/actions/hiring/stages-plan.js';
import { GitLabClient } from '../../src/gitlab/client.js';
import { parsePage } from '../../src/jobfamily/parse.js';
import { createLogger } from '../../src/log.js';
import { createRedisConnection } from '../../src/queue/connection.js';
import { pageSyncJob, recruitingIssueJob } from '../../src/queue/job-specs.js';
import type { JobSpec, RecruitingIssueData } from '../../src/queue/jobs.js';
import { createProducer } from '../../src/queue/producer.js';
import { createFlowProducer, createQueue, type WorkQueue } from '../../src/queue/queues.js';
import { createWorkerRunner } from '../../src/queue/worker.js';
import { createProcessors } from '../../src/worker/processors.js';
import { removePrefix, REDIS_URL, testRedis, uniquePrefix } from '../support/redis.js';
import { recordedRequests, recordedWrites, strictNock } from '../support/strict-nock.js';
import {
  BOARD_QUERY,
  BOT,
  GITLAB_URL,
  LABEL_QUERY,
  NOTES_QUERY,
  R,
  RID,
  RN,
  TM_PATH,
  TM_SOURCE,
  TM_WITHOUT_EXECUTIVE,
  boardJson,
  issueJson,
  labelJson,
  listJson,
  noteJson,
  testConfig,
} from '../actions/support/hiring.js';

/**
 * The whole recruiting story through the real worker runner (BullMQ on the real Redis) against a
 * mocked GitLab, with every API write asserted:
 *
 *   page pushed → stage labels and board created → recruiting issue opened → first stage applied and
 *   its interview kit posted → a recruiter adds a second stage (GitLab Free) → collapsed to it, with a
 *   comment, the kit edited in place → the page drops that stage → the issue is migrated with a
 *   comment, the kit edited again → the bot's own edit comes back as an event → nothing.
 *
 * The processors are the real ones (`createProcessors`): page-sync also keeps the page's OKR tracking
 * issue in the handbook project, mocked here and checked by method and path only (its own tests own
 * its contents); everything in the recruiting project is asserted call by call, bodies included.
 */

const HANDBOOK_ID = 4242;
const H = `/api/v4/projects/${HANDBOOK_ID}`;
const C1 = '1111111111111111111111111111111111111111';
const C2 = '2222222222222222222222222222222222222222';
const TM_LABEL = 'job-family::threat-management';
const ISSUES_QUERY = { per_page: '100', labels: TM_LABEL, state: 'opened' };
const filePath = `${H}/repository/files/${encodeURIComponent(TM_PATH)}`;

/** The files API's answer at the branch head: the page, the head, the commit that last changed it. */
function fileAt(source: string, commit: string): Record<string, unknown> {
  return {
    file_path: TM_PATH,
    encoding: 'base64',
    content: Buffer.from(source).toString('base64'),
    ref: 'main',
    commit_id: commit,
    last_commit_id: commit,
  };
}

const config = testConfig();
const labels = desiredStageLabels(parsePage(TM_SOURCE, TM_PATH, {}), config).labels;
const labelRows = labels.map((spec, index) => labelJson(11 + index, spec.name, spec.color, spec.description));
const boardRows = boardJson(
  3,
  'Hiring pipeline',
  labels.map((spec, index) => listJson(31 + index, index, { id: 11 + index, name: spec.name })),
);

const HB = '/api/v4/projects/acme%2Fhandbook';
const OKR_LABELS_QUERY = { per_page: '100', labels: `OKR,${TM_LABEL}` };
const okrIssue: { current: Record<string, unknown> | null } = { current: null };

/** The OKR half of page-sync (okr.project is the handbook project): found by labels, else created. */
function mockOkrIssueCreated(gitlab: ReturnType<typeof strictNock>): void {
  gitlab.get(`${HB}/issues`).query(OKR_LABELS_QUERY).reply(200, []);
  gitlab.get(`${HB}/issues`).query({ per_page: '100', search: 'handbook-bot:okr threat-management' }).reply(200, []);
  gitlab.get(`${HB}/labels`).query(LABEL_QUERY).reply(200, []);
  gitlab
    .post(`${HB}/labels`)
    .times(2)
    .reply(201, (_uri, body) => ({ id: 900, color: '#428bca', description: '', ...(body as Record<string, unknown>) }));
  gitlab.post(`${HB}/issues`).reply(201, (_uri, body) => {
    const sent = body as { title: string; description: string; labels: string; due_date: string };
    okrIssue.current = {
      ...issueJson(1, sent.title, sent.labels.split(','), {
        description: sent.description,
        due_date: sent.due_date,
        project_id: HANDBOOK_ID,
        confidential: false,
      }),
    };
    return okrIssue.current;
  });
}

/** The page changed: the OKR issue is found by its labels and its bot block follows the new commit. */
function mockOkrIssueUpdated(gitlab: ReturnType<typeof strictNock>): void {
  gitlab
    .get(`${HB}/issues`)
    .query(OKR_LABELS_QUERY)
    .reply(200, () => [okrIssue.current]);
  gitlab.put(`${HB}/issues/1`).reply(200, (_uri, body) => ({ ...okrIssue.current, ...(body as Record<string, unknown>) }));
}

/** Waits until the job has completed (or failed: then throws its reason). */
async function settled(queue: WorkQueue, id: string, timeoutMs = 15_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await queue.getJob(id);
    const state = job ? await job.getState() : 'missing';
    if (job && state === 'completed') return job;
    if (job && state === 'failed') throw new Error(`job ${id} failed: ${job.failedReason}`);
    if (Date.now() > deadline) throw new Error(`job ${id} still ${state}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('recruiting story (real worker, real Redis, mocked GitLab)', () => {
  const prefix = uniquePrefix('recruiting-story');
  const logger = createLogger('silent');
  let admin: Redis;
  let producerConnection: Redis;
  let workerConnection: Redis;
  let actionsRedis: Redis;
  let queue: WorkQueue;
  let flows: FlowProducer;
  let worker: ReturnType<typeof createWorkerRunner>;
  let enqueue: (specs: readonly JobSpec[]) => Promise<string[]>;

  beforeAll(async () => {
    admin = testRedis();
    producerConnection = createRedisConnection(REDIS_URL, 'producer');
    workerConnection = createRedisConnection(REDIS_URL, 'worker');
    actionsRedis = createRedisConnection(REDIS_URL, 'worker');
    // No retries: a failure must show up as the test's failure, not as a later retry.
    queue = createQueue(producerConnection, {
      prefix,
      defaultJobOptions: { attempts: 1, removeOnComplete: { age: 3600 }, removeOnFail: false },
    });
    flows = createFlowProducer(producerConnection, prefix);
    await queue.waitUntilReady();
    enqueue = createProducer({ queue, flows, connection: producerConnection }).enqueue;

    const gitlab = new GitLabClient({
      url: GITLAB_URL,
      token: 'glpat-test',
      dryRun: false,
      logger,
      sleep: () => Promise.resolve(),
      random: () => 0.5,
    });
    const ctx: ActionContext = {
      gitlab,
      config,
      logger,
      redis: actionsRedis,
      lockPrefix: `{${prefix}}:lock:`,
      now: () => new Date('2026-11-20T10:00:00Z'),
      enqueue: (specs) => enqueue(specs),
    };

    const processors = createProcessors(ctx, { flows });
    worker = createWorkerRunner({ connection: workerConnection, prefix, processors, logger, concurrency: 4 });
  });

  afterAll(async () => {
    await worker.close();
    await flows.close();
    await queue.close();
    producerConnection.disconnect();
    workerConnection.disconnect();
    actionsRedis.disconnect();
    await removePrefix(admin, prefix);
    admin.disconnect();
  });

  /** The issue's notes as GitLab keeps them: the bot's posts and edits land here, listings read them. */
  const notes: Array<Record<string, unknown>> = [];
  const NOTES = `${RN}/issues/7/notes`;
  function mockNotes(gitlab: ReturnType<typeof strictNock>, counts: { lists: number; posts?: number; edits?: number }): void {
    gitlab
      .get(NOTES)
      .query(NOTES_QUERY)
      .times(counts.lists)
      .reply(200, () => notes);
    if (counts.posts !== undefined) {
      gitlab
        .post(NOTES)
        .times(counts.posts)
        .reply(201, (_uri, body) => {
          const note = noteJson(600 + notes.length, (body as { body: string }).body);
          notes.push(note);
          return note;
        });
    }
    if (counts.edits !== undefined) {
      gitlab
        .put(/\/api\/v4\/projects\/4343\/issues\/7\/notes\/\d+$/u)
        .times(counts.edits)
        .reply(200, (uri, body) => {
          const id = Number(uri.split('/').at(-1));
          const note = notes.find((candidate) => candidate.id === id);
          if (note === undefined) throw new Error(`no note ${id}`);
          note.body = (body as { body: string }).body;
          return note;
        });
    }
  }
  const kitNote = () => notes.find((note) => String(note.body).startsWith('<!-- handbook-bot:interview-kit -->'));

  const issueEvent = (over: Partial<RecruitingIssueData>): JobSpec =>
    recruitingIssueJob({
      projectId: RID,
      issueIid: 7,
      action: 'update',
      addedLabels: [],
      updatedAt: '2026-11-20T10:00:00Z',
      trigger: 'webhook',
      ...over,
    });

  it('page pushed → labels and board → issue opened → first stage → stage dropped → issue migrated', async () => {
    const gitlab = strictNock(GITLAB_URL);

    // 1. The page is pushed: its OKR issue (another action of page-sync), then five stage labels and
    //    the board with five lists, in order.
    mockOkrIssueCreated(gitlab);
    gitlab.get(filePath).query({ ref: 'main' }).reply(200, fileAt(TM_SOURCE, C1));
    gitlab.get(`${R}/labels`).query(LABEL_QUERY).reply(200, []);
    labelRows.forEach((row) => gitlab.post(`${R}/labels`).reply(201, row));
    gitlab.get(`${R}/boards`).query(BOARD_QUERY).reply(200, []);
    gitlab.post(`${R}/boards`).reply(201, boardJson(3, 'Hiring pipeline'));
    labels.forEach((spec, index) =>
      gitlab.post(`${R}/boards/3/lists`).reply(201, listJson(31 + index, index, { id: 11 + index, name: spec.name })),
    );
    gitlab.get(`${R}/issues`).query(ISSUES_QUERY).reply(200, []);
    const push = pageSyncJob({
      projectId: HANDBOOK_ID,
      path: TM_PATH,
      change: 'added',
      commit: C1,
      delivery: 'push-1',
      trigger: 'webhook',
    });
    await enqueue([push]);
    await settled(queue, push.id);

    // 2. A recruiter opens a confidential recruiting issue for the family: the first stage is applied.
    const opened = issueJson(7, 'Manager, Vulnerability Management Team — Jane Doe', [TM_LABEL]);
    gitlab.get(`${RN}/issues/7`).reply(200, opened);
    gitlab.get(`${R}/labels`).query(LABEL_QUERY).reply(200, labelRows);
    gitlab.put(`${RN}/issues/7`).reply(200, { ...opened, labels: [TM_LABEL, 'hiring-stage::screening'] });
    gitlab.get('/api/v4/user').reply(200, BOT);
    mockNotes(gitlab, { lists: 1, posts: 1 });
    const open = issueEvent({ action: 'open', addedLabels: [TM_LABEL] });
    await enqueue([open]);
    await settled(queue, open.id);
    expect(kitNote()?.body).toEqual(expect.stringContaining('### Interview kit: screening\n'));

    // The same delivery again: same job id, BullMQ keeps the finished job, nothing runs.
    const before = recordedRequests().length;
    expect(await enqueue([open])).toEqual([open.id]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(recordedRequests()).toHaveLength(before);

    // 3. The recruiter adds the executive stage (GitLab Free keeps both): collapsed to the one just added.
    const twoStages = {
      ...opened,
      labels: [TM_LABEL, 'hiring-stage::executive', 'hiring-stage::screening'],
      updated_at: '2026-11-21T09:00:00Z',
    };
    gitlab.get(`${RN}/issues/7`).reply(200, twoStages);
    gitlab.put(`${RN}/issues/7`).reply(200, { ...twoStages, labels: [TM_LABEL, 'hiring-stage::executive'] });
    mockNotes(gitlab, { lists: 2, posts: 1, edits: 1 });
    const moved = issueEvent({ addedLabels: ['hiring-stage::executive'], updatedAt: '2026-11-21T09:00:00Z' });
    await enqueue([moved]);
    await settled(queue, moved.id);

    // 4. The page drops the executive interview: labels stay, the board keeps the executive list after
    //    the stages in use, and the issue moves to the next remaining stage with a comment.
    const onExecutive = { ...opened, labels: [TM_LABEL, 'hiring-stage::executive'] };
    mockOkrIssueUpdated(gitlab);
    // The page is read once, at the head; the drop is computed against what the index recorded.
    gitlab.get(filePath).query({ ref: 'main' }).reply(200, fileAt(TM_WITHOUT_EXECUTIVE, C2));
    gitlab.get(`${R}/labels`).query(LABEL_QUERY).reply(200, labelRows);
    gitlab.get(`${R}/boards`).query(BOARD_QUERY).reply(200, [boardRows]);
    gitlab.put(`${R}/boards/3/lists/34`).reply(200, listJson(34, 4, { id: 14, name: 'hiring-stage::executive' }));
    gitlab.get(`${R}/issues`).query(ISSUES_QUERY).reply(200, [onExecutive]);
    gitlab.get(`${RN}/issues/7`).reply(200, onExecutive);
    notes.push(noteJson(1, 'Scheduled the VP interview', { id: 7, username: 'recruiter' }));
    mockNotes(gitlab, { lists: 2, posts: 1, edits: 1 });
    gitlab.get(`${R}/labels`).query(LABEL_QUERY).reply(200, labelRows);
    gitlab.put(`${RN}/issues/7`).reply(200, { ...opened, labels: [TM_LABEL, 'hiring-stage::offer'] });
    const change = pageSyncJob({
      projectId: HANDBOOK_ID,
      path: TM_PATH,
      change: 'modified',
      commit: C2,
      delivery: 'push-2',
      trigger: 'webhook',
    });
    await enqueue([change]);
    const changed = await settled(queue, change.id);
    expect(changed.returnvalue).toMatchObject({
      status: 'present',
      hiring: {
        slug: 'threat-management',
        stages: ['screening', 'hiring-manager', 'team-interviews', 'offer'],
        droppedStages: { '*': ['executive'] },
        issues: [{ iid: 7, outcome: 'migrated', changed: true, stage: 'offer', kit: 'edited' }],
      },
    });

    // 5. The bot's own label edit raises an Issue Hook (if the web role let it through): nothing to do.
    gitlab.get(`${RN}/issues/7`).reply(200, { ...opened, labels: [TM_LABEL, 'hiring-stage::offer'] });
    const echo = issueEvent({ addedLabels: ['hiring-stage::offer'], updatedAt: '2026-11-22T10:00:05Z' });
    const beforeEcho = recordedRequests().length;
    await enqueue([echo]);
    await settled(queue, echo.id);
    expect(
      recordedRequests()
        .slice(beforeEcho)
        .map((request) => `${request.method} ${request.path}`),
    ).toEqual([`GET ${RN}/issues/7`]);

    // page-sync's other half, the OKR tracking issue, lives in the handbook project.
    const isRecruiting = (path: string) => path.startsWith(`${R}/`) || path.startsWith(`${RN}/`);
    expect(
      recordedWrites()
        .filter((write) => !isRecruiting(write.path))
        .map((write) => `${write.method} ${write.path}`),
    ).toEqual([`POST ${HB}/labels`, `POST ${HB}/labels`, `POST ${HB}/issues`, `PUT ${HB}/issues/1`]);
    const writes = recordedWrites().filter((write) => isRecruiting(write.path));
    const comment = writes.find((write) => write.path === NOTES && String((write.body as { body: string }).body).includes('stage-moved'));
    const kitWrite = (stage: string) => ({ body: { body: expect.stringContaining(`### Interview kit: ${stage}\n`) as string } });
    expect(writes).toEqual([
      // 1. labels, board, lists
      ...labels.map((spec) => ({
        method: 'POST',
        path: `${R}/labels`,
        body: { name: spec.name, color: spec.color, description: spec.description },
      })),
      { method: 'POST', path: `${R}/boards`, body: { name: 'Hiring pipeline' } },
      ...[11, 12, 13, 14, 15].map((id) => ({ method: 'POST', path: `${R}/boards/3/lists`, body: { label_id: id } })),
      // 2. first stage, and its interview kit
      { method: 'PUT', path: `${RN}/issues/7`, body: { add_labels: 'hiring-stage::screening' } },
      { method: 'POST', path: NOTES, ...kitWrite('screening') },
      // 3. one stage kept, in one update, said once; the kit edited in place
      {
        method: 'POST',
        path: NOTES,
        body: { body: expect.stringMatching(/^<!-- handbook-bot:stage-collapsed executive\.screening -->\n/u) as string },
      },
      { method: 'PUT', path: `${RN}/issues/7`, body: { remove_labels: 'hiring-stage::screening' } },
      { method: 'PUT', path: `${NOTES}/600`, ...kitWrite('executive') },
      // 4. board order, comment, migration in one update, the kit edited again
      { method: 'PUT', path: `${R}/boards/3/lists/34`, body: { position: 4 } },
      { method: 'POST', path: NOTES, body: { body: expect.any(String) as string } },
      { method: 'PUT', path: `${RN}/issues/7`, body: { add_labels: 'hiring-stage::offer', remove_labels: 'hiring-stage::executive' } },
      { method: 'PUT', path: `${NOTES}/600`, ...kitWrite('offer') },
    ]);
    // One kit on the issue, never duplicated, now for the offer stage.
    expect(notes.filter((note) => String(note.body).startsWith('<!-- handbook-bot:interview-kit -->')).map((note) => note.id)).toEqual([
      600,
    ]);
    expect(labels.map((spec) => spec.name)).toEqual([
      'hiring-stage::screening',
      'hiring-stage::hiring-manager',
      'hiring-stage::team-interviews',
      'hiring-stage::executive',
      'hiring-stage::offer',
    ]);
    expect((comment?.body as { body: string }).body).toBe(
      [
        `<!-- handbook-bot:stage-moved executive.offer.${C2.slice(0, 12)} -->`,
        `Moved this issue from the hiring stage **executive** to **offer**: the hiring process of *Manager, Vulnerability Management Team* (Threat Management Roles) no longer has the executive stage (${TM_PATH} at commit ${C2.slice(0, 8)}).`,
        'Its stages are now: **screening**, **hiring-manager**, **team-interviews**, **offer**.',
      ].join('\n'),
    );
  });
});
