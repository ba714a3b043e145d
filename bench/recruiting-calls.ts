/**
 * GitLab API calls per recruiting event: what the interview kit, the one-stage rule and the command
 * gate cost, read from the client's own counters (`client.stats()`, every attempt counted), against the
 * loopback GitLab simulator (test/support/gitlab-sim) and the Redis at REDIS_URL.
 *
 *   npm run bench:recruiting            # table
 *   npm run bench:recruiting -- --json  # machine-readable
 *
 * One recruiting issue's day: opened with its family label, the same event redelivered, dragged on the
 * board twice, a title edit, a second stage added by hand, the page editing a step of the issue's stage,
 * a Reporter's `stage`, a non-member's `recheck` and `stage` (twice). Each row is one job as the worker
 * runs it. Exits 1 when the simulator records a violation or a no-op step writes.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Gitlab } from '@gitbeaker/rest';
import { Redis } from 'ioredis';
import { runCommand } from '../src/actions/commands/run.js';
import { syncHiringForPage } from '../src/actions/hiring/sync.js';
import { reconcileRecruitingIssue } from '../src/actions/recruiting/issue.js';
import { configSchema } from '../src/config/schema.js';
import type { Config } from '../src/config/types.js';
import { parsePage } from '../src/jobfamily/parse.js';
import type { CommandData, RecruitingIssueData } from '../src/queue/jobs.js';
import { startGitLabSim } from '../test/support/gitlab-sim/server.js';
import { simActionContext } from '../test/support/sim-context.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PATH = 'content/job-families/security/threat-management.md';
const SOURCE = readFileSync(resolve(repoRoot, 'test/fixtures/seeds/threat-management.md'), 'utf8');
const EDITED = SOURCE.replace(
  'Candidates will then be invited to an 30 minute interview with the VP of Security',
  'Candidates will then be invited to a 45 minute interview with the VP of Security',
);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const RECRUITING = 16;
const ALICE_TOKEN = 'alice-token';

interface Row {
  step: string;
  reads: number;
  writes: number;
  noop: boolean;
}

function config(url: string): Config {
  const file = configSchema.parse({ gitlab: { url }, handbook: { project: 'acme/handbook', branch: 'main' } });
  return { ...file, okr: { ...file.okr, project: 'acme/handbook' }, recruiting: { ...file.recruiting, project: 'acme/recruiting' } };
}

async function removeKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

async function measure(): Promise<{ rows: Row[]; violations: unknown[] }> {
  const sim = await startGitLabSim({
    initialState: {
      users: [{ username: 'alice' }, { username: 'mallory' }],
      tokens: [{ token: ALICE_TOKEN, username: 'alice' }],
      projects: [
        { id: 15, path: 'acme/handbook', files: { main: { [PATH]: SOURCE } }, members: { 'handbook-bot': 40 } },
        {
          id: RECRUITING,
          path: 'acme/recruiting',
          members: { 'handbook-bot': 40, alice: 20 },
          labels: [{ name: 'job-family::threat-management', color: '#a8d695' }],
          issues: [{ title: 'Manager, Vulnerability Management Team — Jane Doe', labels: [], author: 'alice', confidential: true }],
        },
      ],
    },
  });
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const prefix = `{hbt-bench-recruiting-${randomBytes(4).toString('hex')}}`;
  const ctx = simActionContext(sim, { redis, lockPrefix: `${prefix}:lock:`, config: config(sim.url), now: '2026-12-03T10:00:00Z' });
  const client = ctx.gitlab;
  const human = new Gitlab({ host: sim.url, token: ALICE_TOKEN });
  const alice = sim.state.userByName('alice');
  const mallory = sim.state.userByName('mallory');
  if (alice === undefined || mallory === undefined) throw new Error('seed users missing');

  const rows: Row[] = [];
  const step = async (name: string, run: () => Promise<unknown>, noop = false) => {
    client.resetStats();
    await run();
    const { reads, writes } = client.stats();
    rows.push({ step: name, reads, writes, noop });
  };
  let updated = 0;
  const event = (addedLabels: string[]): RecruitingIssueData => ({
    projectId: RECRUITING,
    issueIid: 1,
    action: 'update',
    addedLabels,
    updatedAt: `2026-12-03T10:00:${String((updated += 1)).padStart(2, '0')}Z`,
    trigger: 'webhook',
  });
  let noteId = 9000;
  const command = (
    author: { id: number; username: string },
    commandText: string,
    kind: CommandData['noteableKind'] = 'Issue',
  ): CommandData => ({
    projectId: kind === 'Issue' ? RECRUITING : 15,
    noteableKind: kind,
    noteableIid: 1,
    noteId: (noteId += 1),
    authorId: author.id,
    authorUsername: author.username,
    commandText,
  });

  try {
    const c1 = sim.state.commit('acme/handbook', {
      branch: 'main',
      files: { [PATH]: SOURCE },
      date: '2026-12-01T09:00:00Z',
      message: 'page',
    });
    // Set-up, not measured: labels and board exist, the family is indexed (a page-sync ran).
    await syncHiringForPage(ctx, { page: parsePage(SOURCE, PATH, {}), path: PATH, commit: c1 });
    sim.state.createBranch('acme/handbook', 'edit', 'main');
    sim.state.addMergeRequest('acme/handbook', { sourceBranch: 'edit', title: 'Edit a page', author: 'alice' });
    // The client learns who it is once per process: not part of any event's cost.
    await client.currentUser();

    await human.Issues.edit(RECRUITING, 1, { addLabels: 'job-family::threat-management' });
    const opened = event(['job-family::threat-management']);
    await step('family label added: first stage + kit posted', () => reconcileRecruitingIssue(ctx, opened));
    await step('the same event redelivered', () => reconcileRecruitingIssue(ctx, opened), true);

    await human.Issues.edit(RECRUITING, 1, { addLabels: 'hiring-stage::hiring-manager', removeLabels: 'hiring-stage::screening' });
    await step('dragged to hiring-manager: kit edited', () => reconcileRecruitingIssue(ctx, event(['hiring-stage::hiring-manager'])));
    await human.Issues.edit(RECRUITING, 1, { addLabels: 'hiring-stage::team-interviews', removeLabels: 'hiring-stage::hiring-manager' });
    await step('dragged to team-interviews: kit edited', () => reconcileRecruitingIssue(ctx, event(['hiring-stage::team-interviews'])));
    await human.Issues.edit(RECRUITING, 1, { description: 'Referred by Sam' });
    await step('description edited (kit unchanged)', () => reconcileRecruitingIssue(ctx, event([])), true);

    await human.Issues.edit(RECRUITING, 1, { addLabels: 'hiring-stage::executive' });
    await step('second stage added by hand: collapse + comment + kit', () =>
      reconcileRecruitingIssue(ctx, event(['hiring-stage::executive'])),
    );

    const c2 = sim.state.commit('acme/handbook', {
      branch: 'main',
      files: { [PATH]: EDITED },
      date: '2026-12-02T09:00:00Z',
      message: 'VP interview 45 min',
    });
    await step('page edits a step of its stage: hiring sync incl. kit', () =>
      syncHiringForPage(ctx, { page: parsePage(EDITED, PATH, {}), path: PATH, commit: c2 }),
    );

    await step('Reporter: stage offer (move + kit + reply)', () => runCommand(ctx, command(alice, 'stage offer')));
    await step('non-member: stage, refused (membership read, reply)', () => runCommand(ctx, command(mallory, 'stage screening')));
    await step('non-member: stage again within the hour (not answered)', () => runCommand(ctx, command(mallory, 'stage screening')), true);
    await step(
      'non-member: recheck on an MR within the hour (not answered)',
      () => runCommand(ctx, command(mallory, 'recheck', 'MergeRequest')),
      true,
    );
    return { rows, violations: sim.dump().violations };
  } finally {
    await removeKeys(redis, `${prefix}*`);
    redis.disconnect();
    await sim.close();
  }
}

const { rows, violations } = await measure();
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ rows, violations }, null, 2));
} else {
  console.log('GitLab API calls per recruiting event (reads = GET, writes = POST/PUT/DELETE; every attempt counted)\n');
  console.log(`${'step'.padEnd(62)}${'reads'.padStart(6)}${'writes'.padStart(8)}`);
  for (const row of rows) console.log(`${row.step.padEnd(62)}${String(row.reads).padStart(6)}${String(row.writes).padStart(8)}`);
}
const noopWrites = rows.filter((row) => row.noop && row.writes > 0);
if (violations.length > 0 || noopWrites.length > 0) {
  console.error(`violations: ${JSON.stringify(violations)}; no-op steps that wrote: ${noopWrites.map((row) => row.step).join(', ')}`);
  process.exitCode = 1;
}
