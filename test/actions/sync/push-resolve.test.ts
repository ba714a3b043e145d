import { describe, expect, it } from 'vitest';
import { pageChanges, resolvePush } from '../../../src/actions/sync/push-resolve.js';
import type { FileChange } from '../../../src/gitlab/api.js';
import { pageSyncJob } from '../../../src/queue/job-specs.js';
import type { PushResolveData } from '../../../src/queue/jobs.js';
import { GITLAB_URL, makeClient } from '../../gitlab/fixture.js';
import { useTestRedis } from '../../support/redis.js';
import { recordedWrites, strictNock } from '../../support/strict-nock.js';
import { actionContext, diffJson } from '../support/okr-context.js';

/** push-resolve: the whole change of a push from the compare API, one page-sync per page and delivery. */

const BEFORE = '3f9a1c0e5b7d2468ace13579bdf02468ace13579';
const AFTER = '8b2e4d6f8a0c2e4f6a8c0e2f4a6c8e0a2c4e6f8a';
const ROOT = '/api/v4/projects/4242';
const JF = 'content/job-families';

const { redis, prefix } = useTestRedis('pushresolve');

function compareJson(diffs: Record<string, unknown>[]): Record<string, unknown> {
  return {
    commit: { id: AFTER, short_id: AFTER.slice(0, 8), title: 'Merge branch security-levels', committed_date: '2026-11-18T09:45:00.000Z' },
    commits: [],
    diffs,
    compare_timeout: false,
    compare_same_ref: false,
    web_url: `${GITLAB_URL}/acme/handbook/-/compare/${BEFORE}...${AFTER}`,
  };
}

const data = (over: Partial<PushResolveData> = {}): PushResolveData => ({
  projectId: 4242,
  ref: 'refs/heads/main',
  before: BEFORE,
  after: AFTER,
  delivery: 'uuid-1',
  trigger: 'webhook',
  ...over,
});

describe('push-resolve', () => {
  it('queues one page-sync per changed page; a rename is one job at the new path naming the old one, recorded for either path', async () => {
    const { client } = makeClient();
    const { ctx, enqueued } = actionContext({ client, redis, prefix });
    strictNock(GITLAB_URL)
      .get(`${ROOT}/repository/compare`)
      .query({ from: BEFORE, to: AFTER, straight: 'true' })
      .reply(
        200,
        compareJson([
          diffJson(`${JF}/security/security-leadership.md`, `${JF}/security/security-leadership.md`),
          diffJson(`${JF}/security/new-role.md`, `${JF}/security/new-role.md`, 'added'),
          diffJson(`${JF}/security/gone.md`, `${JF}/security/gone.md`, 'deleted'),
          diffJson(`${JF}/old/threat-management.md`, `${JF}/security/threat-management.md`, 'renamed'),
          diffJson(`${JF}/security/appsec.md`, `${JF}/security/application-security.md`, 'renamed'),
          diffJson('README.md', 'README.md'),
          diffJson('content/handbook/values.md', 'content/handbook/values.md'),
        ]),
      );

    const result = await resolvePush(ctx, data());
    const base = { projectId: 4242, commit: AFTER, ref: 'refs/heads/main', delivery: 'uuid-1', trigger: 'push-resolve' as const };
    const expected = [
      pageSyncJob({ ...base, path: `${JF}/security/security-leadership.md`, change: 'modified' }),
      pageSyncJob({ ...base, path: `${JF}/security/new-role.md`, change: 'added' }),
      pageSyncJob({ ...base, path: `${JF}/security/gone.md`, change: 'removed' }),
      // Moved to another folder with the same slug: its issue follows the new path, nothing is closed.
      pageSyncJob({ ...base, path: `${JF}/security/threat-management.md`, change: 'added', oldPath: `${JF}/old/threat-management.md` }),
      // Renamed: the OKR issue and the recruiting issues follow the page (no removal job for the old path).
      pageSyncJob({ ...base, path: `${JF}/security/application-security.md`, change: 'added', oldPath: `${JF}/security/appsec.md` }),
    ];
    expect(enqueued).toEqual(expected);
    expect(result.jobs).toEqual(expected.map((spec) => spec.id));
    // The ids a webhook delivery would have used for the same work: a page queued both ways runs once.
    expect(expected[0]?.id).toBe(
      pageSyncJob({ ...base, trigger: 'webhook', path: `${JF}/security/security-leadership.md`, change: 'modified' }).id,
    );
    // Only the rename to another slug is recorded (by both slugs), so either path's job applies it.
    expect(await redis.hgetall(`${ctx.lockPrefix}moves-to`)).toEqual({
      'application-security': JSON.stringify({ fromPath: `${JF}/security/appsec.md`, toPath: `${JF}/security/application-security.md` }),
    });
    expect(Object.keys(await redis.hgetall(`${ctx.lockPrefix}moves-from`))).toEqual(['appsec']);
    expect(recordedWrites()).toEqual([]);
  });

  it('a replay queues re-runs', async () => {
    const { client } = makeClient();
    const { ctx, enqueued } = actionContext({ client, redis, prefix });
    strictNock(GITLAB_URL)
      .get(`${ROOT}/repository/compare`)
      .query({ from: BEFORE, to: AFTER, straight: 'true' })
      .reply(200, compareJson([diffJson(`${JF}/a.md`, `${JF}/a.md`)]));
    await resolvePush(ctx, data({ trigger: 'replay' }));
    expect(enqueued).toHaveLength(1);
    expect(enqueued[0]?.data).toMatchObject({ trigger: 'replay' });
    expect(enqueued[0]?.id).toMatch(/\.rerun-/u);
  });

  it('a new branch (before = zeros) has nothing to compare: every page at the head is synced', async () => {
    const { client } = makeClient();
    const { ctx, enqueued } = actionContext({ client, redis, prefix });
    strictNock(GITLAB_URL)
      .get(`${ROOT}/repository/tree`)
      .query({ ref: AFTER, recursive: 'true', pagination: 'keyset', per_page: '100' })
      .reply(200, [
        { id: 'a1', name: 'security', type: 'tree', path: `${JF}/security`, mode: '040000' },
        { id: 'b2', name: 'security-leadership.md', type: 'blob', path: `${JF}/security/security-leadership.md`, mode: '100644' },
        { id: 'c3', name: 'README.md', type: 'blob', path: 'README.md', mode: '100644' },
      ]);
    await resolvePush(ctx, data({ before: '0'.repeat(40) }));
    expect(enqueued.map((spec) => spec.data)).toEqual([
      {
        projectId: 4242,
        path: `${JF}/security/security-leadership.md`,
        change: 'added',
        commit: AFTER,
        ref: 'refs/heads/main',
        delivery: 'uuid-1',
        trigger: 'push-resolve',
      },
    ]);
  });

  it('pageChanges keeps only pages, on either side of a rename', () => {
    const isPage = (path: string) => path.startsWith(`${JF}/`) && path.endsWith('.md');
    const change = (old_path: string, new_path: string, over: Partial<FileChange> = {}): FileChange => ({
      old_path,
      new_path,
      new_file: false,
      renamed_file: old_path !== new_path,
      deleted_file: false,
      ...over,
    });
    expect(
      pageChanges([change('drafts/x.md', `${JF}/x.md`), change(`${JF}/y.md`, 'archive/y.md'), change(`${JF}/z.md`, `${JF}/zz.md`)], isPage),
    ).toEqual([
      { path: `${JF}/x.md`, change: 'added' },
      { path: `${JF}/y.md`, change: 'removed' },
      { path: `${JF}/zz.md`, change: 'added', oldPath: `${JF}/z.md` },
    ]);
  });
});
