/**
 * GitLab API calls per page change: what one `page-sync` job costs in requests, read from the client's
 * own counters (`client.stats()`, every attempt counted), against the loopback GitLab simulator
 * (test/support/gitlab-sim) and the Redis at REDIS_URL (locks, and the hiring sync's page index).
 *
 *   npm run bench:api-calls            # table
 *   npm run bench:api-calls -- --json  # machine-readable
 *
 * Two views of each step: `okr` is syncPage with the hiring sync left out (what src/actions/page-sync.ts
 * and okr-issue.ts cost themselves), `full` is syncPage with the real hiring sync (labels, board,
 * recruiting issues). Steps: first sync of a new page, the same job again (redelivery or retry), an
 * edit of the page, that job again, and the periodic reconcile at a later commit that did not touch the
 * page. Exits 1 when a no-op step writes or the OKR part of a no-op reads more than 3 times.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { HiringSyncResult } from '../src/actions/hiring/sync.js';
import { syncPage, type PageSyncDeps } from '../src/actions/sync/page-sync.js';
import { configSchema } from '../src/config/schema.js';
import type { Config } from '../src/config/types.js';
import type { PageSyncData } from '../src/queue/jobs.js';
import { startGitLabSim } from '../test/support/gitlab-sim/server.js';
import { readFileSync } from 'node:fs';
import { seedPath } from '../test/support/fixture-paths.js';
import { simActionContext } from '../test/support/sim-context.js';

const SOURCE = readFileSync(seedPath('security-leadership.md'), 'utf8');
const EDITED = SOURCE.replace(
  'The Director, Security Assurance is a [grade 10]',
  'The Director, Security Assurance is a [grade 11]',
).replace(/^- \[Cost of Abuse\].*\n/mu, '');
const PATH = 'content/job-families/security/security-leadership.md';
const PROJECT = 'acme/handbook';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Row {
  view: 'okr' | 'full';
  step: string;
  reads: number;
  writes: number;
  okr: string;
}

const NO_HIRING: PageSyncDeps = {
  syncHiring: async (): Promise<HiringSyncResult> => ({
    slug: '',
    stages: [],
    labels: { created: [], updated: [], existed: [] },
    board: { created: false, listsAdded: [], listsMoved: [] },
    droppedStages: {},
    issues: [],
  }),
  forgetHiring: async () => [],
  moveHiring: async () => [],
};

function config(url: string): Config {
  const file = configSchema.parse({ gitlab: { url }, handbook: { project: PROJECT, branch: 'main' }, okr: { assignees: ['alice'] } });
  return { ...file, okr: { ...file.okr, project: PROJECT }, recruiting: { ...file.recruiting, project: PROJECT } };
}

async function removeKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

async function measure(view: Row['view']): Promise<Row[]> {
  const sim = await startGitLabSim({
    initialState: {
      users: [{ username: 'alice', name: 'Alice' }],
      projects: [{ id: 4242, path: PROJECT, members: { 'handbook-bot': 40 } }],
    },
  });
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const prefix = `{hbt-bench-${randomBytes(4).toString('hex')}}`;
  const ctx = simActionContext(sim, { redis, lockPrefix: `${prefix}:lock:`, config: config(sim.url), now: '2026-11-20T12:00:00Z' });
  const client = ctx.gitlab;
  const deps = view === 'okr' ? NO_HIRING : undefined;
  const rows: Row[] = [];
  const step = async (name: string, data: PageSyncData) => {
    client.resetStats();
    const result = await syncPage(ctx, data, deps);
    const { reads, writes } = client.stats();
    rows.push({ view, step: name, reads, writes, okr: result.okr?.outcome ?? result.status });
  };

  try {
    const t1 = '2026-11-18T09:45:00Z';
    const c1 = sim.state.commit(PROJECT, { branch: 'main', files: { [PATH]: SOURCE }, date: t1, message: 'Add Security Leadership' });
    const added: PageSyncData = {
      projectId: 4242,
      path: PATH,
      change: 'added',
      commit: c1,
      ref: 'main',
      delivery: 'd1',
      trigger: 'webhook',
    };
    await step('first sync (page added)', added);
    await step('no-op resync (same job again)', added);

    const t2 = '2026-11-19T10:00:00Z';
    const c2 = sim.state.commit(PROJECT, { branch: 'main', files: { [PATH]: EDITED }, date: t2, message: 'Director to grade 11' });
    const modified: PageSyncData = {
      projectId: 4242,
      path: PATH,
      change: 'modified',
      commit: c2,
      ref: 'main',
      delivery: 'd2',
      trigger: 'webhook',
    };
    await step('update (page edited)', modified);
    await step('no-op resync of the update', modified);

    const t3 = '2026-11-19T12:00:00Z';
    const c3 = sim.state.commit(PROJECT, { branch: 'main', files: { 'README.md': '# Handbook\n' }, date: t3, message: 'Unrelated' });
    await step('reconcile at a later commit', {
      projectId: 4242,
      path: PATH,
      change: 'modified',
      commit: c3,
      ref: 'main',
      trigger: 'reconcile',
    });

    const violations = sim.dump().violations;
    if (violations.length > 0) throw new Error(`the simulator recorded violations: ${JSON.stringify(violations)}`);
    return rows;
  } finally {
    await removeKeys(redis, `${prefix}*`);
    redis.disconnect();
    await sim.close();
  }
}

const rows = [...(await measure('okr')), ...(await measure('full'))];

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  console.log('GitLab API calls per page change (reads = GET, writes = POST/PUT/DELETE; every attempt counted)\n');
  console.log(`${'view'.padEnd(6)}${'step'.padEnd(34)}${'reads'.padStart(6)}${'writes'.padStart(8)}   OKR issue`);
  for (const row of rows) {
    console.log(
      `${row.view.padEnd(6)}${row.step.padEnd(34)}${String(row.reads).padStart(6)}${String(row.writes).padStart(8)}   ${row.okr}`,
    );
  }
  console.log(
    '\nokr  = page read(s) + OKR issue (hiring sync left out); full = with the real hiring sync (labels, board, recruiting issues).',
  );
}

const noops = rows.filter((row) => row.step.startsWith('no-op') || row.step.startsWith('reconcile'));
const failed = noops.filter((row) => row.writes > 0 || (row.view === 'okr' && row.reads > 3));
if (failed.length > 0) {
  console.error(`\nno-op target missed (no writes, at most 3 reads for the OKR part): ${JSON.stringify(failed)}`);
  process.exitCode = 1;
}
