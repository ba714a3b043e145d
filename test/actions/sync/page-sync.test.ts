import { describe, expect, it } from 'vitest';
import type { ActionContext } from '../../../src/actions/shared/context.js';
import type { HiringSyncInput, HiringSyncResult } from '../../../src/actions/hiring/sync.js';
import { planOkrIssue } from '../../../src/actions/okr/issue-plan.js';
import { syncPage, type PageSyncDeps } from '../../../src/actions/sync/page-sync.js';
import { parsePage } from '../../../src/jobfamily/parse.js';
import type { PageSyncData } from '../../../src/queue/jobs.js';
import { GITLAB_URL, P, makeClient } from '../../gitlab/fixture.js';
import { writeFamily } from '../../../src/actions/shared/page-index.js';
import { seed } from '../../support/pages.js';
import { useTestRedis } from '../../support/redis.js';
import { recordedRequests, recordedWrites, strictNock } from '../../support/strict-nock.js';
import { actionContext, issueJson } from '../support/okr-context.js';

/**
 * syncPage, level-triggered: what it reads (the page at the branch head, once, whatever commit the
 * job names), and what it hands to the OKR issue and to the hiring sync. The hiring sync is another
 * module's (tested there); here it sits behind the `deps` seam and records its input. The scenarios
 * (revert, force-push back, out-of-order, renames) run end to end in test/integration/level-triggered.
 */

const PATH = 'content/job-families/security/security-leadership.md';
const FILE = `/api/v4/projects/4242/repository/files/${encodeURIComponent(PATH)}`;
const SOURCE = seed('security-leadership.md').source;
const EDITED = SOURCE.replace(/^- \[Cost of Abuse\].*\n/mu, '');
const BEFORE = '3f9a1c0e5b7d2468ace13579bdf02468ace13579';
const AFTER = '8b2e4d6f8a0c2e4f6a8c0e2f4a6c8e0a2c4e6f8a';
const HEAD = 'c4f3e2d1b0a9c8d7e6f5a4b3c2d1e0f9a8b7c6d5';
const TITLE = 'OKRs: Security Leadership — FY27-Q4';
const LABELS = ['OKR', 'job-family::security-leadership'];
const LIST = { labels: 'OKR,job-family::security-leadership', per_page: '100' };

const { redis, prefix } = useTestRedis('pagesync');

function recordingDeps() {
  const calls: { hiring: HiringSyncInput[]; forgotten: Array<{ path: string; commit: string }> } = { hiring: [], forgotten: [] };
  const deps: PageSyncDeps = {
    syncHiring: async (_ctx: ActionContext, input: HiringSyncInput): Promise<HiringSyncResult> => {
      calls.hiring.push(input);
      return {
        slug: 'security-leadership',
        stages: [],
        labels: { created: [], updated: [], existed: [] },
        board: { created: false, listsAdded: [], listsMoved: [] },
        droppedStages: {},
        issues: [],
      };
    },
    forgetHiring: async (_ctx, input) => {
      calls.forgotten.push(input);
      return [];
    },
    moveHiring: async () => [],
  };
  return { deps, calls };
}

/** A job naming an old commit: the page is read at the branch head all the same. */
function job(over: Partial<PageSyncData> = {}): PageSyncData {
  return {
    projectId: 4242,
    path: PATH,
    change: 'modified',
    commit: BEFORE,
    ref: 'refs/heads/main',
    delivery: 'd1',
    trigger: 'webhook',
    ...over,
  };
}

/** GitLab's files API answer: the content, the head it was read at, and the page's last change. */
function fileJson(source: string, lastCommit: string) {
  return {
    file_name: 'security-leadership.md',
    file_path: PATH,
    size: Buffer.byteLength(source),
    encoding: 'base64',
    content: Buffer.from(source).toString('base64'),
    ref: 'main',
    blob_id: 'b'.repeat(40),
    commit_id: HEAD,
    last_commit_id: lastCommit,
  };
}

function blockAt(source: string, commit: string): string {
  return planOkrIssue(parsePage(source, PATH), {
    now: new Date('2026-11-20T12:00:00Z'),
    fiscalYearStartMonth: 2,
    labels: ['OKR'],
    pageUrl: `${GITLAB_URL}/acme/handbook/-/blob/${commit}/${PATH}`,
    commit,
  }).block;
}

describe('page-sync', () => {
  it('reads the page once, at the branch head, and applies it whatever commit the job names', async () => {
    const { client } = makeClient();
    const { ctx } = actionContext({ client, redis, prefix });
    const { deps, calls } = recordingDeps();
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(FILE).query({ ref: 'main' }).reply(200, fileJson(EDITED, AFTER));
    gitlab
      .get(`${P}/issues`)
      .query(LIST)
      .reply(200, [issueJson(7, { title: TITLE, description: blockAt(SOURCE, BEFORE), labels: LABELS })]);
    gitlab.put(`${P}/issues/7`).reply(200, issueJson(7, { title: TITLE, description: blockAt(EDITED, AFTER), labels: LABELS }));

    const result = await syncPage(ctx, job(), deps);
    expect(result).toMatchObject({
      path: PATH,
      trigger: BEFORE,
      head: HEAD,
      commit: AFTER,
      status: 'present',
      okr: { outcome: 'updated', iid: 7 },
    });
    expect(recordedWrites()).toEqual([{ method: 'PUT', path: `${P}/issues/7`, body: { description: blockAt(EDITED, AFTER) } }]);
    expect(calls.hiring.map((input) => [input.path, input.commit, input.verify])).toEqual([[PATH, AFTER, false]]);
    expect(calls.hiring[0]?.page.performanceIndicators.map((pi) => pi.name)).not.toContain('Cost of Abuse');
    expect(calls.forgotten).toEqual([]);
    // One read of the page, none of a commit or of an earlier version.
    expect(recordedRequests().map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET ${FILE}?ref=main`,
      `GET ${P}/issues?per_page=100&labels=OKR%2Cjob-family%3A%3Asecurity-leadership`,
      `PUT ${P}/issues/7`,
    ]);
  });

  it('a page missing at the head is removed: the OKR issue is closed and the hiring sync forgets it at the head', async () => {
    const { client } = makeClient();
    const { ctx } = actionContext({ client, redis, prefix });
    const { deps, calls } = recordingDeps();
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(FILE).query({ ref: 'main' }).reply(404, { message: '404 File Not Found' }, { 'content-type': 'application/json' });
    gitlab.get('/api/v4/projects/4242/repository/commits/main').reply(200, {
      id: HEAD,
      short_id: HEAD.slice(0, 8),
      title: 'Remove the page',
      author_name: 'Alice',
      authored_date: '2026-11-18T09:44:00.000+00:00',
      committed_date: '2026-11-18T09:45:00.000+00:00',
      parent_ids: [AFTER],
      web_url: `${GITLAB_URL}/acme/handbook/-/commit/${HEAD}`,
    });
    gitlab.get(`${P}/issues`).query(LIST).reply(200, []);
    gitlab.get(`${P}/issues`).query({ search: 'handbook-bot:okr security-leadership', per_page: '100' }).reply(200, []);

    const result = await syncPage(ctx, job({ change: 'removed' }), deps);
    expect(result).toMatchObject({ status: 'removed', head: HEAD, okr: { outcome: 'no-issue' } });
    expect(calls).toEqual({ hiring: [], forgotten: [{ path: PATH, commit: HEAD }] });
    expect(recordedWrites()).toEqual([]);
  });

  it('a page whose slug another existing page owns is reported and skipped (no issue read or written)', async () => {
    const { client } = makeClient();
    const { ctx } = actionContext({ client, redis, prefix: `${prefix}-collide` });
    const { deps, calls } = recordingDeps();
    const other = 'content/job-families/engineering/security-leadership.md';
    await writeFamily(redis, ctx.lockPrefix, {
      slug: 'security-leadership',
      path: other,
      title: 'Security Leadership',
      commit: BEFORE,
      roles: [],
    });
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(FILE).query({ ref: 'main' }).reply(200, fileJson(SOURCE, AFTER));
    gitlab
      .get(`/api/v4/projects/4242/repository/files/${encodeURIComponent(other)}`)
      .query({ ref: 'main' })
      .reply(200, fileJson(SOURCE, BEFORE));

    const result = await syncPage(ctx, job(), deps);
    expect(result).toMatchObject({ status: 'slug-collision', okr: null, hiring: null, collidingPaths: [other, PATH] });
    expect(calls).toEqual({ hiring: [], forgotten: [] });
    expect(recordedWrites()).toEqual([]);
  });
});
