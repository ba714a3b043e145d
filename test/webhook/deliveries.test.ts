import { randomBytes, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { jobId } from '../../src/queue/jobs.js';
import { HANDBOOK, PAGE_A, PAGE_B, RECRUITING, ZERO_SHA, handbookPush, inProject, loadFixture } from '../support/fixtures.js';
import { removePrefix, testRedis, uniquePrefix } from '../support/redis.js';
import { testSettings } from '../support/settings.js';
import { PATHS, deliveryLines, startBot, type BotUnderTest } from './harness.js';

const sha = () => randomBytes(20).toString('hex');

describe.each(PATHS)('webhook deliveries (%s path)', (path) => {
  const prefix = uniquePrefix(`deliveries-${path}`);
  let bot: BotUnderTest;
  let admin: Redis;

  beforeAll(async () => {
    admin = testRedis();
    const settings = testSettings({
      config: { handbook: { project: HANDBOOK.path }, recruiting: { project: RECRUITING.path } },
      env: { queuePrefix: prefix },
    });
    bot = await startBot({ path, prefix, settings });
  });
  beforeEach(async () => {
    await removePrefix(admin, prefix);
    bot.logs.length = 0;
  });
  afterAll(async () => {
    await bot.close();
    await removePrefix(admin, prefix);
    admin.disconnect();
  });

  it('queues one page-sync job per changed page of a push, not for other files', async () => {
    const push = handbookPush();
    const delivery = randomUUID();
    const reply = await bot.post('Push Hook', push, { headers: { 'idempotency-key': delivery } });

    // One job per page and delivery: each reads the branch head when it runs.
    const ids = [jobId('page-sync', HANDBOOK.id, PAGE_A, delivery), jobId('page-sync', HANDBOOK.id, PAGE_B, delivery)];
    expect(reply.status).toBe(202);
    expect(reply.json).toEqual({ status: 'queued', jobs: ids });
    const jobs = await bot.jobs();
    expect(jobs.map((job) => job.id).sort()).toEqual([...ids].sort());
    const a = await bot.queue.getJob(ids[0] ?? '');
    expect(a?.name).toBe('page-sync');
    expect(a?.data).toEqual({
      projectId: HANDBOOK.id,
      path: PAGE_A,
      change: 'modified',
      commit: push.after,
      ref: push.ref,
      delivery,
      trigger: 'webhook',
    });
    const b = await bot.queue.getJob(ids[1] ?? '');
    expect(b?.data).toMatchObject({ path: PAGE_B, change: 'modified', commit: push.after });
    // Retries and retention come from the queue's defaults.
    expect(a?.opts.attempts).toBe(8);
  });

  it('queues a delivery once: the same delivery again is a duplicate', async () => {
    const push = handbookPush();
    const headers = { 'idempotency-key': randomUUID() };
    const first = await bot.post('Push Hook', push, { headers });
    const second = await bot.post('Push Hook', push, { headers });
    expect(first.status).toBe(202);
    expect(second.status).toBe(200);
    expect(second.json).toEqual({ status: 'duplicate' });
    expect(await bot.jobCount()).toBe(2);
  });

  it('uses X-Gitlab-Event-UUID when there is no Idempotency-Key', async () => {
    const headers = { 'x-gitlab-event-uuid': randomUUID() };
    expect((await bot.post('Push Hook', handbookPush(), { headers })).status).toBe(202);
    expect((await bot.post('Push Hook', handbookPush(), { headers })).json).toEqual({ status: 'duplicate' });
  });

  it('queues a new delivery of the same push again: jobs are per delivery (a push back to a commit must run)', async () => {
    const push = handbookPush();
    const first = await bot.post('Push Hook', push);
    const again = await bot.post('Push Hook', push);
    expect(again.status).toBe(202);
    expect(again.json.jobs).not.toEqual(first.json.jobs);
    expect(await bot.jobCount()).toBe(4);
  });

  it('queues one push-resolve job when GitLab listed only part of the commits', async () => {
    const push = handbookPush();
    const template = push.commits[0];
    if (!template) throw new Error('fixture without commits');
    push.commits = Array.from({ length: 20 }, () => ({ ...template, id: sha(), added: [PAGE_A], modified: [], removed: [] }));
    push.after = push.commits.at(-1)?.id ?? sha();
    push.total_commits_count = 25;

    const delivery = randomUUID();
    const reply = await bot.post('Push Hook', push, { headers: { 'idempotency-key': delivery } });
    expect(reply.status).toBe(202);
    const jobs = await bot.jobs();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.name).toBe('push-resolve');
    expect(jobs[0]?.id).toBe(jobId('push-resolve', HANDBOOK.id, delivery));
    expect(jobs[0]?.data).toMatchObject({ projectId: HANDBOOK.id, ref: 'refs/heads/master', before: push.before, after: push.after });
  });

  it('ignores a branch deletion', async () => {
    const push = handbookPush();
    Object.assign(push, { after: ZERO_SHA, checkout_sha: null, commits: [], total_commits_count: 0 });
    const reply = await bot.post('Push Hook', push);
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ status: 'ignored', reason: 'branch deletion' });
    expect(await bot.jobCount()).toBe(0);
  });

  it('ignores a push to another branch', async () => {
    const push = handbookPush();
    push.ref = 'refs/heads/feature/new-role';
    const reply = await bot.post('Push Hook', push);
    expect(reply.json).toEqual({ status: 'ignored', reason: 'push to feature/new-role, not the default branch master' });
    expect(await bot.jobCount()).toBe(0);
  });

  it('ignores a push to another project', async () => {
    const reply = await bot.post('Push Hook', loadFixture('push'));
    expect(reply.json).toEqual({ status: 'ignored', reason: 'project mike/diaspora is not the handbook project' });
    expect(await bot.jobCount()).toBe(0);
  });

  it('ignores a merge request update without new commits', async () => {
    const mr = inProject(loadFixture('merge_request'), HANDBOOK);
    mr.object_attributes.action = 'update';
    const reply = await bot.post('Merge Request Hook', mr);
    expect(reply.json).toEqual({ status: 'ignored', reason: 'merge request update without new commits' });
    expect(await bot.jobCount()).toBe(0);
  });

  it('queues one mr-checklist job when a merge request opens', async () => {
    const mr = inProject(loadFixture('merge_request'), HANDBOOK);
    const reply = await bot.post('Merge Request Hook', mr);
    const id = jobId('mr-checklist', HANDBOOK.id, 1, 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7');
    expect(reply.status).toBe(202);
    expect(reply.json).toEqual({ status: 'queued', jobs: [id] });
    const job = await bot.queue.getJob(id);
    expect(job?.data).toEqual({
      projectId: HANDBOOK.id,
      mrIid: 1,
      headSha: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
      targetBranch: 'master',
      trigger: 'webhook',
      step: 'list-pages',
    });
  });

  it('queues the checklist again when an update brings new commits', async () => {
    const mr = inProject(loadFixture('merge_request'), HANDBOOK);
    Object.assign(mr.object_attributes, { action: 'update', oldrev: mr.object_attributes.last_commit.id });
    mr.object_attributes.last_commit.id = sha();
    const reply = await bot.post('Merge Request Hook', mr);
    expect(reply.status).toBe(202);
    expect((await bot.jobs()).map((job) => job.name)).toEqual(['mr-checklist']);
  });

  it('ignores a note written by the bot', async () => {
    const note = inProject(loadFixture('note_merge_request'), HANDBOOK);
    note.object_attributes.note = '@handbook-bot recheck';
    note.user.username = 'handbook-bot';
    const reply = await bot.post('Note Hook', note);
    expect(reply.json).toEqual({ status: 'ignored', reason: 'event caused by the bot itself' });
    expect(await bot.jobCount()).toBe(0);
  });

  it('queues a command job for a note that starts with the command word', async () => {
    const note = inProject(loadFixture('note_merge_request'), HANDBOOK);
    note.object_attributes.note = '  @Handbook-Bot   recheck please';
    const reply = await bot.post('Note Hook', note);
    const id = jobId('command', HANDBOOK.id, 1244);
    expect(reply.status).toBe(202);
    expect(reply.json).toEqual({ status: 'queued', jobs: [id] });
    expect((await bot.queue.getJob(id))?.data).toEqual({
      projectId: HANDBOOK.id,
      noteableKind: 'MergeRequest',
      noteableIid: 1,
      noteId: 1244,
      authorId: 1,
      authorUsername: 'root',
      commandText: 'recheck please',
      mergeRequest: { headSha: '562e173be03b8ff2efb05345d12df18815438a4b', targetBranch: 'markdown' },
    });
  });

  it('ignores an ordinary comment', async () => {
    const reply = await bot.post('Note Hook', inProject(loadFixture('note_merge_request'), HANDBOOK));
    expect(reply.json).toEqual({ status: 'ignored', reason: 'note does not start with @handbook-bot' });
  });

  it('queues a recruiting-issue job for a confidential issue event', async () => {
    const issue = inProject(loadFixture('issue'), RECRUITING);
    issue.object_attributes.confidential = true;
    issue.object_attributes.action = 'update';
    // A recruiting issue: it carries its job family (GitLab's example issue is labelled API and Platform).
    issue.labels = [{ title: 'Platform' }, { title: 'job-family::backend-engineer' }];
    const reply = await bot.post('Confidential Issue Hook', issue);
    expect(reply.status).toBe(202);
    const jobs = await bot.jobs();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.name).toBe('recruiting-issue');
    expect(jobs[0]?.data).toEqual({
      projectId: RECRUITING.id,
      issueIid: 23,
      action: 'update',
      addedLabels: ['Platform'],
      updatedAt: '2013-12-03T17:15:43Z',
      trigger: 'webhook',
    });
  });

  it('ignores an issue event in another project, and one the bot caused', async () => {
    expect((await bot.post('Issue Hook', inProject(loadFixture('issue'), HANDBOOK))).json).toEqual({
      status: 'ignored',
      reason: 'project acme/handbook is not the recruiting project',
    });
    const issue = inProject(loadFixture('issue'), RECRUITING);
    issue.user.username = 'handbook-bot';
    expect((await bot.post('Issue Hook', issue)).json).toEqual({ status: 'ignored', reason: 'event caused by the bot itself' });
    // GitLab's example issue as it is: no job family before or after, no stage change, no page linked.
    expect((await bot.post('Issue Hook', inProject(loadFixture('issue'), RECRUITING))).json).toEqual({
      status: 'ignored',
      reason: 'not a recruiting issue: no job-family:: label before or after, no hiring-stage:: change, no job-family page linked',
    });
    expect(await bot.jobCount()).toBe(0);
  });

  it('ignores events it does not handle with 200 and a reason', async () => {
    const reply = await bot.post('Pipeline Hook', { object_kind: 'pipeline' });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ status: 'ignored', reason: 'event "Pipeline Hook" is not handled' });
  });

  it('writes one JSON log line per delivery, without secrets', async () => {
    const push = handbookPush();
    const uuid = randomUUID();
    await bot.post('Push Hook', push, { headers: { 'x-gitlab-event-uuid': uuid } });
    const lines = deliveryLines(bot.logs);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      event: 'Push Hook',
      project: HANDBOOK.path,
      delivery: uuid,
      outcome: 'queued',
      status: 202,
      jobs: [jobId('page-sync', HANDBOOK.id, PAGE_A, uuid), jobId('page-sync', HANDBOOK.id, PAGE_B, uuid)],
    });
    expect(typeof lines[0]?.ms).toBe('number');
    expect(JSON.stringify(bot.logs)).not.toContain('test-webhook-secret');
  });
});
