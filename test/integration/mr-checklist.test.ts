import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionContext } from '../../src/actions/shared/context.js';
import { createLogger } from '../../src/log.js';
import { createRedisConnection } from '../../src/queue/connection.js';
import { mrChecklistJob } from '../../src/queue/job-specs.js';
import { createProducer } from '../../src/queue/producer.js';
import { createFlowProducer, createQueue, queuePrefix, type WorkQueue } from '../../src/queue/queues.js';
import { createWorkerRunner } from '../../src/queue/worker.js';
import { createProcessors } from '../../src/worker/processors.js';
import { ALICE, BOT, diffJson, labelJson, mergeRequestJson, noteJson, testConfig } from '../actions/support/okr-context.js';
import { GITLAB_URL, makeClient } from '../gitlab/fixture.js';
import { seed } from '../support/pages.js';
import { REDIS_URL, removePrefix, testRedis, uniquePrefix } from '../support/redis.js';
import { recordedRequests, recordedWrites, strictNock } from '../support/strict-nock.js';

/**
 * The merge-request flow end to end in one process: the REAL worker runner and processors
 * (createProcessors) on real Redis, GitLab mocked by strict nock. The parent lists the MR's pages, fans
 * out one page-review child per page, waits, and writes exactly one note; a recheck of the same head
 * runs the whole flow again and edits nothing.
 */

const ROOT = '/api/v4/projects/4242';
const MR = `${ROOT}/merge_requests/12`;
const NOTES = { per_page: '100', sort: 'asc', order_by: 'created_at' };
const HEAD = '9c1d3e5f7a9b1c3d5e7f9a1b3c5d7e9f1a3b5c7d';
const BASE = 'bb5e0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b';
const TOTAL_REWARDS = { id: 21, username: 'total-rewards-lead' };
const RECRUITING = { id: 22, username: 'recruiting-lead' };
const mrJson = (labels: string[], reviewers: Array<Record<string, unknown>>) => ({
  ...mergeRequestJson(12, { sha: HEAD, labels }),
  reviewers,
  diff_refs: { base_sha: BASE, head_sha: HEAD, start_sha: BASE },
});
const LEADERSHIP = 'content/job-families/security/security-leadership.md';
const THREAT = 'content/job-families/security/threat-management.md';
const file = (path: string) => `${ROOT}/repository/files/${encodeURIComponent(path)}/raw`;
const text = { 'content-type': 'text/plain' };

const leadership = seed('security-leadership.md').source;
const threat = seed('threat-management.md').source;
const leadershipEdited = leadership.replace(
  'The Director, Security Assurance is a [grade 10]',
  'The Director, Security Assurance is a [grade 11]',
);
const threatEdited = threat.replace(
  '- Track new and emerging threats to our environments\n',
  '- Track new and emerging threats to our environments\n- Run the quarterly tabletop exercise\n',
);

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for the flow');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('mr-checklist flow with the real worker', () => {
  const prefix = uniquePrefix('mrchecklist');
  let producer: Redis;
  let workerConnection: Redis;
  let admin: Redis;
  let queue: WorkQueue;

  beforeAll(() => {
    admin = testRedis();
    producer = createRedisConnection(REDIS_URL, 'producer');
    workerConnection = createRedisConnection(REDIS_URL, 'worker');
    queue = createQueue(producer, { prefix });
  });
  afterAll(async () => {
    await queue.close();
    producer.disconnect();
    workerConnection.disconnect();
    await removePrefix(admin, prefix);
    admin.disconnect();
  });

  function mockReads(gitlab: ReturnType<typeof strictNock>, mrLabels: string[], reviewers: Array<Record<string, unknown>>): void {
    gitlab.get(MR).reply(200, mrJson(mrLabels, reviewers));
    gitlab
      .get(`${MR}/diffs`)
      .query({ per_page: '100' })
      .reply(200, [diffJson(LEADERSHIP, LEADERSHIP), diffJson(THREAT, THREAT), diffJson('data/team.yml', 'data/team.yml')]);
    gitlab.get(file(LEADERSHIP)).query({ ref: BASE }).reply(200, leadership, text);
    gitlab.get(file(LEADERSHIP)).query({ ref: HEAD }).reply(200, leadershipEdited, text);
    gitlab.get(file(THREAT)).query({ ref: BASE }).reply(200, threat, text);
    gitlab.get(file(THREAT)).query({ ref: HEAD }).reply(200, threatEdited, text);
    gitlab.get(MR).reply(200, mrJson(mrLabels, reviewers));
    gitlab.get(`${ROOT}/repository/commits/${HEAD}/statuses`).query({ name: 'handbook-bot/review' }).reply(200, statuses);
  }
  const statuses: Array<Record<string, unknown>> = [];

  async function runParent(trigger: 'webhook' | 'recheck'): Promise<Job> {
    const parent = mrChecklistJob({ projectId: 4242, mrIid: 12, headSha: HEAD, targetBranch: 'main', trigger, step: 'list-pages' });
    await queue.add(parent.name, parent.data, { jobId: parent.id });
    return waitFor(async () => {
      // State first, then the job: a job read before it completed would carry no return value yet.
      const state = await queue.getJobState(parent.id);
      if (state !== 'completed' && state !== 'failed') return undefined;
      const job = await queue.getJob(parent.id);
      if (state === 'failed') throw new Error(`mr-checklist failed: ${job?.failedReason}`);
      return job;
    });
  }

  it('fans out one page-review per page, writes exactly one note, and a recheck edits nothing', async () => {
    const { client } = makeClient();
    const flows = createFlowProducer(producer, prefix);
    const ctx: ActionContext = {
      gitlab: client,
      config: testConfig(),
      logger: createLogger('silent'),
      redis: workerConnection,
      lockPrefix: `${queuePrefix(prefix)}:lock:`,
      now: () => new Date('2026-11-20T12:00:00Z'),
      enqueue: (specs) => createProducer({ queue, flows, connection: producer }).enqueue(specs),
    };
    const worker = createWorkerRunner({
      connection: workerConnection,
      prefix,
      processors: createProcessors(ctx, { flows }),
      logger: ctx.logger,
      concurrency: 4,
    });

    try {
      const gitlab = strictNock(GITLAB_URL);
      mockReads(gitlab, ['security'], []);
      gitlab.get('/api/v4/user').reply(200, BOT);
      gitlab
        .get(`${MR}/notes`)
        .query(NOTES)
        .reply(200, [noteJson(60, 'Thanks!', ALICE)]);
      gitlab.get('/api/v4/users').query({ username: 'total-rewards-lead' }).reply(200, [TOTAL_REWARDS]);
      gitlab.get('/api/v4/users').query({ username: 'recruiting-lead' }).reply(200, [RECRUITING]);
      gitlab.post(`${MR}/notes`).reply(201, (_uri, body) => noteJson(71, (body as { body: string }).body));
      gitlab
        .get(`${ROOT}/labels`)
        .query({ per_page: '100', include_ancestor_groups: 'true' })
        .reply(200, [labelJson(1, 'security')]);
      gitlab.post(`${ROOT}/labels`).reply(201, labelJson(2, 'job-family::grade-change', '#fc9403'));
      gitlab
        .put(MR, { add_labels: 'job-family::grade-change', reviewer_ids: [21] })
        .reply(200, mrJson(['security', 'job-family::grade-change'], [TOTAL_REWARDS]));
      gitlab
        .post(`${ROOT}/statuses/${HEAD}`, {
          state: 'success',
          name: 'handbook-bot/review',
          description: 'No blocking checklist item',
          target_url: `${GITLAB_URL}/acme/handbook/-/merge_requests/12#note_71`,
          ref: 'director-security-grade',
        })
        .reply(201, () => {
          const status = {
            id: 1,
            name: 'handbook-bot/review',
            status: 'success',
            description: 'No blocking checklist item',
            target_url: null,
            sha: HEAD,
          };
          statuses.push(status);
          return status;
        });

      const first = await runParent('webhook');
      expect(first.returnvalue).toEqual({
        outcome: 'created',
        noteId: 71,
        pages: 2,
        failures: 0,
        operations: ['create-note', 'add-labels', 'add-reviewers', 'set-status'],
        gate: 'success',
      });
      const notePosts = recordedWrites().filter((w) => w.method === 'POST' && w.path === `${MR}/notes`);
      expect(notePosts).toHaveLength(1);
      const body = (notePosts[0]?.body as { body: string }).body;
      expect(body).toContain('This merge request changes 2 job-family pages.');
      expect(body).toContain(`#### Security Leadership · ${LEADERSHIP}`);
      expect(body).toMatch(
        /- \[ \] \*\*Grade\*\* of \*Director, Security\*: 10 → 11 — compensation review: @total-rewards-lead <!-- handbook-bot:item [0-9a-f]{12} -->/u,
      );
      expect(body).toContain(THREAT);
      expect(body).toContain('  - added: "Run the quarterly tabletop exercise"');
      // Children run in parallel, yet the sections come in path order (a stable body).
      expect(body.indexOf(LEADERSHIP)).toBeLessThan(body.indexOf(THREAT));
      const children = recordedRequests().filter((r) => r.path.includes('/repository/files/'));
      expect(children).toHaveLength(4);

      // `@handbook-bot recheck`: a re-run id, fresh children, the same head: nothing to write.
      const writes = recordedWrites().length;
      const again = strictNock(GITLAB_URL);
      mockReads(again, ['security', 'job-family::grade-change'], [TOTAL_REWARDS]);
      again
        .get(`${MR}/notes`)
        .query(NOTES)
        .reply(200, [noteJson(60, 'Thanks!', ALICE), noteJson(71, body)]);
      const second = await runParent('recheck');
      expect(second.returnvalue).toEqual({ outcome: 'unchanged', noteId: 71, pages: 2, failures: 0, operations: [], gate: 'success' });
      expect(recordedWrites()).toHaveLength(writes);
    } finally {
      await worker.close();
      await flows.close();
    }
  });
});
