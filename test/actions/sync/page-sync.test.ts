import { describe, expect, it } from 'vitest';
import type { ActionContext } from '../../../src/actions/shared/context.js';
import type { HiringSyncInput, HiringSyncResult } from '../../../src/actions/hiring/sync.js';
import { planOkrIssue } from '../../../src/actions/okr/issue-plan.js';
import { syncPage, type PageSyncDeps } from '../../../src/actions/sync/page-sync.js';
import { parsePage } from '../../../src/jobfamily/parse.js';
import type { PageSyncData } from '../../../src/queue/jobs.js';
import { GITLAB_URL, P, makeClient } from '../../gitlab/fixture.js';
import { seed } from '../../support/pages.js';
import { useTestRedis } from '../../support/redis.js';
import { recordedRequests, recordedWrites, strictNock } from '../../support/strict-nock.js';
import { ALICE, actionContext, issueJson, labelJson } from '../support/okr-context.js';

/**
 * syncPage: which versions it reads, how it finds the commit time, and what it hands to the OKR issue
 * and to the hiring sync. The hiring sync is another module's (tested there); here it sits behind the
 * `deps` seam and records its input.
 */

const PATH = 'content/job-families/security/security-leadership.md';
const FILE = `/api/v4/projects/4242/repository/files/${encodeURIComponent(PATH)}/raw`;
const SOURCE = seed('security-leadership.md').source;
const EDITED = SOURCE.replace(/^- \[Cost of Abuse\].*\n/mu, '');
const BEFORE = '3f9a1c0e5b7d2468ace13579bdf02468ace13579';
const AFTER = '8b2e4d6f8a0c2e4f6a8c0e2f4a6c8e0a2c4e6f8a';
const T = '2026-11-18T09:45:00Z';
const TITLE = 'OKRs: Security Leadership — FY27-Q4';
const LABELS = ['OKR', 'job-family::security-leadership'];
const LIST = { labels: 'OKR,job-family::security-leadership', per_page: '100' };

const { redis, prefix } = useTestRedis('pagesync');

function recordingDeps() {
  const calls: { hiring: HiringSyncInput[]; forgotten: string[] } = { hiring: [], forgotten: [] };
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
      calls.forgotten.push(input.path);
    },
  };
  return { deps, calls };
}

function job(over: Partial<PageSyncData> = {}): PageSyncData {
  return { projectId: 4242, path: PATH, change: 'modified', commit: AFTER, previousCommit: BEFORE, committedAt: T, trigger: 'webhook', ...over };
}

function blockAt(source: string, commit: string, committedAt: string): string {
  return planOkrIssue(parsePage(source, PATH), {
    now: new Date('2026-11-20T12:00:00Z'),
    fiscalYearStartMonth: 2,
    labels: ['OKR'],
    pageUrl: `${GITLAB_URL}/acme/handbook/-/blob/${commit}/${PATH}`,
    commit,
    committedAt,
  }).block;
}

describe('page-sync', () => {
  it('a pushed change: the page at the commit and before it, one issue lookup, then the hiring sync with both versions', async () => {
    const { client } = makeClient();
    const { ctx } = actionContext({ client, redis, prefix });
    const { deps, calls } = recordingDeps();
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(FILE).query({ ref: AFTER }).reply(200, EDITED, { 'content-type': 'text/plain' });
    gitlab.get(FILE).query({ ref: BEFORE }).reply(200, SOURCE, { 'content-type': 'text/plain' });
    gitlab.get(`${P}/issues`).query(LIST).reply(200, [issueJson(7, { title: TITLE, description: blockAt(SOURCE, BEFORE, '2026-11-02T16:20:00Z'), labels: LABELS })]);
    gitlab.put(`${P}/issues/7`).reply(200, issueJson(7, { title: TITLE, description: blockAt(EDITED, AFTER, T), labels: LABELS }));

    const result = await syncPage(ctx, job(), deps);
    expect(result).toMatchObject({ path: PATH, commit: AFTER, committedAt: T, status: 'present', okr: { outcome: 'updated', iid: 7 } });
    expect(recordedWrites()).toEqual([{ method: 'PUT', path: `${P}/issues/7`, body: { description: blockAt(EDITED, AFTER, T) } }]);
    expect(calls.hiring).toHaveLength(1);
    const [hiring] = calls.hiring;
    expect(hiring?.path).toBe(PATH);
    expect(hiring?.commit).toBe(AFTER);
    expect(hiring?.committedAt).toBe(T);
    expect(hiring?.page.performanceIndicators.map((pi) => pi.name)).not.toContain('Cost of Abuse');
    expect(hiring?.previousPage?.performanceIndicators.map((pi) => pi.name)).toContain('Cost of Abuse');
    expect(calls.forgotten).toEqual([]);
    // No getCommit: the push gave the commit time.
    expect(recordedRequests().some((r) => r.path.includes('/repository/commits/'))).toBe(false);
  });

  it('a job without the commit time reads it once (GET commit) and a new page creates its issue', async () => {
    const { client } = makeClient();
    const { ctx } = actionContext({ client, redis, prefix });
    const { deps, calls } = recordingDeps();
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(FILE).query({ ref: AFTER }).reply(200, SOURCE, { 'content-type': 'text/plain' });
    gitlab.get(`/api/v4/projects/4242/repository/commits/${AFTER}`).reply(200, {
      id: AFTER,
      short_id: AFTER.slice(0, 8),
      title: 'Add the Security Leadership job family',
      author_name: 'Alice',
      authored_date: '2026-11-18T09:44:00.000+00:00',
      committed_date: '2026-11-18T09:45:00.000+00:00',
      parent_ids: [BEFORE],
      web_url: `${GITLAB_URL}/acme/handbook/-/commit/${AFTER}`,
    });
    gitlab.get(`${P}/issues`).query(LIST).reply(200, []);
    gitlab.get(`${P}/issues`).query({ search: 'handbook-bot:okr security-leadership', per_page: '100' }).reply(200, []);
    gitlab.get(`${P}/labels`).query({ per_page: '100', include_ancestor_groups: 'true' }).reply(200, [labelJson(1, 'OKR'), labelJson(2, 'job-family::security-leadership')]);
    gitlab.get('/api/v4/users').query({ username: 'alice' }).reply(200, [ALICE]);
    gitlab.post(`${P}/issues`).reply(201, issueJson(9, { title: TITLE, description: 'x', labels: LABELS }));

    const { committedAt: _omitted, ...withoutTime } = job({ change: 'added' });
    const result = await syncPage(ctx, withoutTime, deps);
    expect(result.committedAt).toBe('2026-11-18T09:45:00.000+00:00');
    const [post] = recordedWrites();
    expect(String((post?.body as { description: string }).description)).toContain(
      `<!-- handbook-bot:begin commit=${AFTER} committed=2026-11-18T09:45:00.000+00:00 -->`,
    );
    // An added page has no previous version to read.
    expect(recordedRequests().filter((r) => r.path.startsWith(FILE))).toHaveLength(1);
    expect(calls.hiring[0]?.previousPage).toBeNull();
  });

  it('a page missing at its commit is removed: the OKR issue is closed and the hiring index forgets it', async () => {
    const { client } = makeClient();
    const { ctx } = actionContext({ client, redis, prefix });
    const { deps, calls } = recordingDeps();
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(FILE).query({ ref: AFTER }).reply(404, { message: '404 File Not Found' }, { 'content-type': 'application/json' });
    gitlab.get(`${P}/issues`).query(LIST).reply(200, []);
    gitlab.get(`${P}/issues`).query({ search: 'handbook-bot:okr security-leadership', per_page: '100' }).reply(200, []);

    const result = await syncPage(ctx, job({ change: 'removed' }), deps);
    expect(result).toMatchObject({ status: 'removed', hiring: 'forgotten', okr: { outcome: 'no-issue' } });
    expect(calls).toEqual({ hiring: [], forgotten: [PATH] });
    expect(recordedWrites()).toEqual([]);
  });

  it('a removal older than the page\'s latest sync (it came back since) keeps the hiring family', async () => {
    const { client } = makeClient();
    const { ctx } = actionContext({ client, redis, prefix });
    const { deps, calls } = recordingDeps();
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(FILE).query({ ref: AFTER }).reply(404, { message: '404 File Not Found' }, { 'content-type': 'application/json' });
    // A later commit re-added the page, and its job finished first.
    const later = 'f'.repeat(40);
    gitlab.get(`${P}/issues`).query(LIST).reply(200, [issueJson(7, { title: TITLE, description: blockAt(SOURCE, later, '2026-11-19T09:45:00Z'), labels: LABELS })]);

    const result = await syncPage(ctx, job({ change: 'removed' }), deps);
    expect(result).toMatchObject({ status: 'removed', hiring: 'kept', okr: { outcome: 'older-commit' } });
    expect(calls).toEqual({ hiring: [], forgotten: [] });
    expect(recordedWrites()).toEqual([]);
  });

  it('a removal at the commit that moved the page to another folder keeps the hiring family', async () => {
    const { client } = makeClient();
    const { ctx } = actionContext({ client, redis, prefix });
    const { deps, calls } = recordingDeps();
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(FILE).query({ ref: AFTER }).reply(404, { message: '404 File Not Found' }, { 'content-type': 'application/json' });
    // The page's new path synced first, at the same commit.
    gitlab.get(`${P}/issues`).query(LIST).reply(200, [issueJson(7, { title: TITLE, description: blockAt(SOURCE, AFTER, T), labels: LABELS })]);

    const result = await syncPage(ctx, job({ change: 'removed' }), deps);
    expect(result).toMatchObject({ status: 'removed', hiring: 'kept', okr: { outcome: 'moved' } });
    expect(calls).toEqual({ hiring: [], forgotten: [] });
    expect(recordedWrites()).toEqual([]);
  });
});
