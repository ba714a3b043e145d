import { Gitlab } from '@gitbeaker/rest';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncHiringForPage } from '../../../src/actions/hiring/sync.js';
import { reconcileRecruitingIssue } from '../../../src/actions/recruiting/issue.js';
import type { ActionContext } from '../../../src/actions/shared/context.js';
import { GitLabClient } from '../../../src/gitlab/client.js';
import { createLogger } from '../../../src/log.js';
import type { RecruitingIssueData } from '../../../src/queue/jobs.js';
import { startGitLabSim, type GitLabSim } from '../../support/gitlab-sim/server.js';
import { removePrefix, REDIS_URL, uniquePrefix } from '../../support/redis.js';
import { TM_PATH, TM_SOURCE, testConfig, threatManagement } from '../support/hiring.js';

/**
 * Two workers (own Redis connection, own GitLab client, one deployment prefix) handling events of the
 * same recruiting issue at the same moment, against the GitLab simulator: the issue lock makes one of
 * them write the kit and the other find it, so the issue ends with exactly one kit, for its stage.
 */

const ALICE_TOKEN = 'alice-token';
const RECRUITING = 16;

describe('interview kit with two workers at once (simulator)', () => {
  let sim: GitLabSim;
  const prefix = uniquePrefix('kit-sim');
  const workers: Array<{ ctx: ActionContext; redis: Redis }> = [];

  beforeAll(async () => {
    sim = await startGitLabSim({
      initialState: {
        users: [{ username: 'alice' }],
        tokens: [{ token: ALICE_TOKEN, username: 'alice' }],
        projects: [
          { id: 15, path: 'acme/handbook', files: { main: { [TM_PATH]: TM_SOURCE } }, members: { 'handbook-bot': 40 } },
          {
            id: RECRUITING,
            path: 'acme/recruiting',
            members: { 'handbook-bot': 40, alice: 20 },
            labels: [{ name: 'job-family::threat-management', color: '#a8d695' }],
            issues: [
              {
                title: 'Manager, Vulnerability Management Team — Jane Doe',
                labels: ['job-family::threat-management'],
                author: 'alice',
                confidential: true,
              },
            ],
          },
        ],
      },
    });
    const logger = createLogger('silent');
    for (let n = 0; n < 2; n += 1) {
      const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
      workers.push({
        redis,
        ctx: {
          gitlab: new GitLabClient({ url: sim.url, token: sim.token, dryRun: false, logger, sleep: () => Promise.resolve() }),
          config: testConfig(),
          logger,
          redis,
          lockPrefix: `{${prefix}}:lock:`,
          now: () => new Date('2026-12-03T10:00:00Z'),
          enqueue: (specs) => Promise.resolve(specs.map((spec) => spec.id)),
        },
      });
    }
    // Labels, board, and the first stage: the page is synced once.
    await syncHiringForPage(workers[0]!.ctx, { page: threatManagement(), path: TM_PATH, commit: 'c1' });
  });

  afterAll(async () => {
    await sim.close();
    for (const { redis } of workers) {
      await removePrefix(redis, prefix);
      redis.disconnect();
    }
  });

  const issue = () =>
    sim
      .dump()
      .projects.find((project) => project.path === 'acme/recruiting')
      ?.issues.find((candidate) => candidate.iid === 1);
  const kits = () =>
    (issue()?.notes ?? []).filter((note) => note.author === 'handbook-bot' && note.body.startsWith('<!-- handbook-bot:interview-kit -->'));
  const event = (addedLabels: string[], updatedAt: string): RecruitingIssueData => ({
    projectId: RECRUITING,
    issueIid: 1,
    action: 'update',
    addedLabels,
    updatedAt,
    trigger: 'webhook',
  });

  it('the page sync gave the issue its first stage and its kit', () => {
    expect(issue()?.labels).toEqual(['hiring-stage::screening', 'job-family::threat-management']);
    expect(kits().map((note) => note.body.split('\n')[1])).toEqual(['### Interview kit: screening']);
  });

  it('a drag handled by both workers at once (a redelivery to another worker): one kit, edited once, for the new stage', async () => {
    const human = new Gitlab({ host: sim.url, token: ALICE_TOKEN });
    await human.Issues.edit(RECRUITING, 1, { addLabels: 'hiring-stage::team-interviews', removeLabels: 'hiring-stage::screening' });
    const writesBefore = sim.dump().requests.writes.length;

    const drag = event(['hiring-stage::team-interviews'], '2026-12-03T10:01:00Z');
    const results = await Promise.all(workers.map(({ ctx }) => reconcileRecruitingIssue(ctx, drag)));

    expect(results.map((result) => result.kit).sort()).toEqual(['edited', 'unchanged']);
    expect(kits().map((note) => note.body.split('\n')[1])).toEqual(['### Interview kit: team-interviews']);
    expect(sim.dump().requests.writes.length - writesBefore).toBe(1);
    expect(sim.dump().violations).toEqual([]);
  });

  it('a second stage added by hand, seen by both workers at once: one comment, one label update, one kit', async () => {
    const human = new Gitlab({ host: sim.url, token: ALICE_TOKEN });
    await human.Issues.edit(RECRUITING, 1, { addLabels: 'hiring-stage::executive' });

    const added = event(['hiring-stage::executive'], '2026-12-03T10:02:00Z');
    await Promise.all(workers.map(({ ctx }) => reconcileRecruitingIssue(ctx, added)));

    expect(issue()?.labels).toEqual(['hiring-stage::executive', 'job-family::threat-management']);
    const botNotes = (issue()?.notes ?? []).filter((note) => note.author === 'handbook-bot' && !note.system);
    expect(botNotes.map((note) => note.body.split('\n')[0])).toEqual([
      '<!-- handbook-bot:interview-kit -->',
      '<!-- handbook-bot:stage-collapsed executive.team-interviews -->',
    ]);
    expect(kits().map((note) => note.body.split('\n')[1])).toEqual(['### Interview kit: executive']);
    expect(sim.dump().violations).toEqual([]);
  });
});
