import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { runSync } from '../../src/cli/sync.js';
import type { CliIo } from '../../src/cli/io.js';
import { QUEUE_NAME, type PageSyncData } from '../../src/queue/jobs.js';
import { strictNock } from '../support/strict-nock.js';
import { testSettings } from '../support/settings.js';
import { GITLAB_URL, P } from '../gitlab/fixture.js';

const prefix = `hbt-test-sync-${randomUUID().slice(0, 8)}`;
const settings = testSettings({
  config: { handbook: { project: 'acme/handbook', branch: 'main' } },
  env: { queuePrefix: prefix, gitlabUrl: GITLAB_URL },
});
const connection = new Redis(settings.env.redisUrl, { maxRetriesPerRequest: null });
const queue = new Queue(QUEUE_NAME, { connection, prefix: `{${prefix}}` });
const HEAD = 'c0ffee0000000000000000000000000000000001';

afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();
});

function capture(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (line) => out.push(line), stderr: (line) => err.push(line) };
}

const blob = (path: string) => ({ id: randomUUID(), name: path.split('/').at(-1), type: 'blob', path, mode: '100644' });

/** The repository tree over three pages of keyset results, with pages, other files and folders mixed in. */
function mockTree(): void {
  const gitlab = strictNock(GITLAB_URL);
  gitlab.get(`${P}/repository/commits/main`).reply(200, { id: HEAD, committed_date: '2026-11-20T10:00:00Z' });
  const query = { ref: HEAD, recursive: 'true', pagination: 'keyset', per_page: '100' };
  const next = (token: string) => ({
    link: `<${GITLAB_URL}${P}/repository/tree?page_token=${token}&pagination=keyset&per_page=100&recursive=true&ref=${HEAD}>; rel="next"`,
  });
  gitlab
    .get(`${P}/repository/tree`)
    .query(query)
    .reply(
      200,
      [blob('README.md'), { ...blob('content/job-families'), type: 'tree' }, blob('content/job-families/security/security-leadership.md')],
      next('t2'),
    );
  gitlab
    .get(`${P}/repository/tree`)
    .query({ ...query, page_token: 't2' })
    .reply(200, [blob('content/job-families/security/threat-management.md'), blob('content/handbook/values.md')], next('t3'));
  gitlab
    .get(`${P}/repository/tree`)
    .query({ ...query, page_token: 't3' })
    .reply(200, [blob('content/job-families/engineering/backend-engineer.md'), blob('content/job-families/engineering/logo.png')]);
}

describe('handbook-bot sync', () => {
  it('queues exactly the job-family pages of all tree pages; a second run while they are pending queues nothing', async () => {
    mockTree();
    const first = capture();
    expect(await runSync({ settings, dryRun: false, only: undefined, io: first, progress: false })).toBe(0);
    const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized']);
    expect(jobs.map((job) => (job.data as PageSyncData).path).sort()).toEqual([
      'content/job-families/engineering/backend-engineer.md',
      'content/job-families/security/security-leadership.md',
      'content/job-families/security/threat-management.md',
    ]);
    for (const job of jobs) expect(job.data).toMatchObject({ commit: HEAD, ref: 'main', trigger: 'sync', projectId: 'acme/handbook' });
    expect(first.out.at(-1)).toBe('queued 3 page-sync job(s); 0 already pending');

    mockTree();
    const second = capture();
    expect(await runSync({ settings, dryRun: false, only: undefined, io: second, progress: false })).toBe(0);
    // Backfill: the page-syncs wait in BullMQ's prioritized set, behind interactive work.
    expect(await queue.getJobCounts('waiting', 'delayed', 'prioritized')).toMatchObject({ waiting: 0, delayed: 0, prioritized: 3 });
    expect(second.out.at(-1)).toBe('queued 0 page-sync job(s); 3 already pending');
  });

  it('--dry-run lists the pages and queues nothing; --only narrows them', async () => {
    await queue.obliterate({ force: true });
    mockTree();
    const io = capture();
    expect(await runSync({ settings, dryRun: true, only: '**/security/**', io, progress: false })).toBe(0);
    expect(io.out).toEqual([
      `2 job-family page(s) on main at ${HEAD.slice(0, 8)} matching **/security/**`,
      '  would queue page-sync content/job-families/security/security-leadership.md',
      '  would queue page-sync content/job-families/security/threat-management.md',
      'dry run: nothing queued',
    ]);
    expect(await queue.count()).toBe(0);
  });

  it('says what to set when the handbook project is not configured', async () => {
    const io = capture();
    const unconfigured = testSettings({ config: { handbook: {} }, env: { queuePrefix: prefix, gitlabUrl: GITLAB_URL } });
    expect(await runSync({ settings: unconfigured, dryRun: true, only: undefined, io, progress: false })).toBe(2);
    expect(io.err).toEqual([
      'handbook-bot sync: sync needs the handbook project: set handbook.project in the config file (HANDBOOK_BOT_CONFIG)',
    ]);
  });
});
