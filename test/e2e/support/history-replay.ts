import type { Config, Settings } from '../../../src/config/types.js';
import { GitLabClient } from '../../../src/gitlab/client.js';
import { runSync } from '../../../src/cli/sync.js';
import { createLogger } from '../../../src/log.js';
import { createRedisConnection } from '../../../src/queue/connection.js';
import { createQueue } from '../../../src/queue/queues.js';
import { startWebRole, type WebRole } from '../../../src/webhook/web-role.js';
import { startWorkerRole, type WorkerRole } from '../../../src/worker/worker-role.js';
import { startGitLabSim, type GitLabSim } from '../../support/gitlab-sim/server.js';
import { loadHistory, type HistoryCommit } from '../../support/history/bundle.js';
import { freshSync } from '../../support/oracle/fresh-sync.js';
import { gitlabView } from '../../support/oracle/gitlab-view.js';
import { diffViews, type Difference } from '../../support/oracle/view-diff.js';
import { mergeRequestHook, pushHook } from '../../support/oracle/webhooks.js';
import { REDIS_URL, removePrefix, uniquePrefix } from '../../support/redis.js';
import { testSettings } from '../../support/settings.js';
import { Deliverer, inParallel, type Delivery } from './deliver.js';
import { failedJobs, waitForDrain } from './drain.js';
import { createPrng, shuffled } from './prng.js';

/**
 * Real handbook history through the running bot: the commits of test/fixtures/history go into the
 * GitLab simulator one burst at a time, and their webhooks go to the bot's real webhook server (HTTP,
 * secret token, delivery dedupe), real BullMQ workers on real Redis, real GitLab client. The bot runs in
 * this process (web role and two worker roles, as `serve` wires them), so the replay is cheap enough for
 * `npm test` in its short form.
 *
 * Each merge-request commit is first a merge request (a branch cut from main where the burst began, its
 * change on top, an `open` hook), then merged into main (a merge commit with the real tree, a push).
 * A direct commit is a push. Within a burst the deliveries are shuffled (a merge request's open hook
 * still before its merge's push), some are delivered twice with the same event UUID (GitLab's retry)
 * and some again as a new event (a second hook, a manual resend); bursts are not waited for.
 *
 * At the end the GitLab state is compared with a fresh `sync` of the final tree in a second, clean
 * simulator (test/support/oracle): any difference names its page. Each merge request must also carry
 * exactly one checklist note, which names every job-family page the merge request changed.
 */

export const HANDBOOK = { id: 101, path: 'acme/handbook' };
export const RECRUITING = { id: 102, path: 'acme/recruiting' };
const BRANCH = 'main';
const SECRET = 'replay-webhook-secret';
const ALICE_NAME = 'alice';
const CHECKLIST_MARKER = '<!-- handbook-bot:review-checklist -->';
/** The oracle's own idea of a job-family page (the default globs), not the product's matcher. */
const IS_PAGE = /(^|\/)job-families\/.+\.md(\.erb)?$/u;

export interface ReplayOptions {
  /**
   * The manifest rows to replay: from `from` (default 1, the first change) up to, not including, `to`
   * (default: all). With `from` > 1 the handbook starts at row `from - 1` and the bot is installed on it
   * as a new user would: `handbook-bot sync` backfills every page before the first event.
   */
  from?: number;
  to?: number;
  burst?: number;
  seed?: number;
  /** Probability of a second copy with the same event UUID, and of a copy as a new event. */
  retryRate?: number;
  resendRate?: number;
  workers?: number;
  drainTimeoutMs?: number;
}

export interface ReplayReport {
  /** Manifest rows replayed: [first, last]. */
  rows: [number, number];
  /** GitLab calls of the installation's `sync` (0 when the replay starts from the empty tree). */
  backfillCalls: number;
  commits: number;
  mergeRequests: number;
  bursts: number;
  events: number;
  deliveries: number;
  answers: Record<string, number>;
  /** Job-family page paths changed, summed over commits (a rename counts once). */
  pageChanges: number;
  /** GitLab API calls the bot made during the replay (start-up calls excluded). */
  gitlabCalls: number;
  callsPerPageChange: number;
  freshSyncCalls: number;
  freshSyncPages: number;
  differences: Difference[];
  /** Merge requests whose checklist is missing, duplicated, or silent about a changed page. */
  checklistProblems: string[];
  failedJobs: string[];
  elapsedMs: number;
}

function replayConfig(sim: GitLabSim): Config {
  return testSettings({
    config: {
      gitlab: { url: sim.url },
      handbook: { project: HANDBOOK.path, branch: BRANCH },
      okr: { project: HANDBOOK.path },
      recruiting: { project: RECRUITING.path, board: 'Hiring pipeline' },
      review: {
        rules: [
          { when: 'grade-changed', reviewers: ['total-rewards-lead'], labels: ['job-family::grade-change'] },
          { when: 'hiring-process-changed', reviewers: ['recruiting-lead'], labels: ['job-family::hiring-process'] },
          { when: 'role-added', reviewers: ['people-business-partner'] },
          { when: 'problems', labels: ['job-family::needs-fix'] },
        ],
      },
    },
  }).config;
}

interface PlannedEvent {
  id: string;
  event: string;
  body: Record<string, unknown>;
  /** Must be delivered after this event (a merge's push after its merge request's open hook). */
  after?: string;
}

function pageChangesOf(commit: HistoryCommit): number {
  const { added, modified, removed, renamed } = commit.change;
  return (
    [...added, ...modified, ...removed].filter((path) => IS_PAGE.test(path)).length +
    renamed.filter(([from, to]) => IS_PAGE.test(from) || IS_PAGE.test(to)).length
  );
}

/** What GitLab's push payload lists: a rename appears only under `added` (the payload has no rename entry). */
function pushLists(commit: HistoryCommit): { added: string[]; modified: string[]; removed: string[] } {
  const { added, modified, removed, renamed } = commit.change;
  return { added: [...added, ...renamed.map(([, to]) => to)], modified: [...modified], removed: [...removed] };
}

/** The burst's base tree with only this commit's change applied: what its merge request showed. */
function mergeRequestTree(base: ReadonlyMap<string, string>, commit: HistoryCommit): Record<string, string> {
  const tree = new Map(base);
  const { added, modified, removed, renamed } = commit.change;
  for (const path of [...added, ...modified]) tree.set(path, commit.tree.get(path) ?? '');
  for (const path of removed) tree.delete(path);
  for (const [from, to] of renamed) {
    tree.delete(from);
    tree.set(to, commit.tree.get(to) ?? '');
  }
  return Object.fromEntries(tree);
}

/** Shuffled, but every event after the one it must follow. */
function orderBurst(events: readonly PlannedEvent[], random: () => number): PlannedEvent[] {
  const order = shuffled(events, random);
  const out: PlannedEvent[] = [];
  const placed = new Set<string>();
  const waiting: PlannedEvent[] = [];
  const place = (event: PlannedEvent) => {
    out.push(event);
    placed.add(event.id);
    for (const next of waiting.filter((candidate) => candidate.after === event.id)) {
      waiting.splice(waiting.indexOf(next), 1);
      place(next);
    }
  };
  for (const event of order) {
    if (event.after !== undefined && !placed.has(event.after)) waiting.push(event);
    else place(event);
  }
  return out;
}

export async function replayHistory(options: ReplayOptions = {}): Promise<ReplayReport> {
  const history = loadHistory(options.to);
  const from = options.from ?? 1;
  const base = history.commits[from - 1];
  if (base === undefined) throw new Error(`the history manifest has no row ${from - 1}`);
  const random = createPrng(options.seed ?? 10);
  const prefix = uniquePrefix('replay');
  const sim = await startGitLabSim({
    initialState: {
      users: [{ username: ALICE_NAME, name: 'Alice Handbook' }],
      projects: [
        {
          id: HANDBOOK.id,
          path: HANDBOOK.path,
          files: { [BRANCH]: { 'README.md': '# Handbook\n' } },
          members: { 'handbook-bot': 40, alice: 30 },
        },
        {
          id: RECRUITING.id,
          path: RECRUITING.path,
          files: { [BRANCH]: { 'README.md': '# Recruiting\n' } },
          members: { 'handbook-bot': 40, alice: 20 },
        },
      ],
    },
  });
  const alice = { username: ALICE_NAME, id: sim.state.userByName(ALICE_NAME)?.id ?? 0 };
  // The starting tree as its real commit, with its real date (the seed's own commit has the simulator's clock).
  sim.state.commit(HANDBOOK.id, {
    branch: BRANCH,
    files: { 'README.md': '# Handbook\n', ...Object.fromEntries(base.tree) },
    replace: true,
    date: base.date,
    message: base.subject,
  });
  const config = replayConfig(sim);
  const settings: Settings = testSettings({
    config: {},
    env: {
      gitlabUrl: sim.url,
      gitlabToken: sim.token,
      dryRun: false,
      webhookSecrets: [SECRET],
      queuePrefix: prefix,
      redisUrl: REDIS_URL,
      port: 0,
      logLevel: 'silent',
    },
  });
  settings.config = config;
  const logger = createLogger('silent');
  const observer = createRedisConnection(REDIS_URL, 'worker', { name: 'replay-observer' });
  const queue = createQueue(observer, { prefix });
  let web: WebRole | undefined;
  const workers: WorkerRole[] = [];
  try {
    web = await startWebRole(settings, { logger, port: 0, host: '127.0.0.1', botUsername: 'handbook-bot' });
    for (let n = 0; n < (options.workers ?? 2); n += 1) {
      workers.push(
        await startWorkerRole(settings, { logger, gitlab: new GitLabClient({ url: sim.url, token: sim.token, dryRun: false, logger }) }),
      );
    }
    const webUrl = `http://127.0.0.1:${web.server.port}`;
    const deliverer = new Deliverer({ webUrls: () => [webUrl], secret: SECRET });
    const project = sim.state.requireProject(HANDBOOK.id);
    const head = () => project.repo.branches.get(BRANCH) ?? '';
    let backfilled = 0;
    if (from > 1) {
      // Installation: the `sync` command, as the README's set-up says, then wait for it to finish.
      const lines: string[] = [];
      const exit = await runSync({
        settings,
        dryRun: false,
        only: undefined,
        io: { stdout: (line) => lines.push(line), stderr: (line) => lines.push(line) },
        progress: false,
      });
      if (exit !== 0) throw new Error(`handbook-bot sync failed (${exit}): ${lines.join('; ')}`);
      await waitForDrain(queue, { timeoutMs: options.drainTimeoutMs ?? 300_000 });
      backfilled = sim.state.requestTotal;
    }
    const callsAtStart = sim.state.requestTotal;
    const startedAt = performance.now();

    const replayed = history.commits.slice(from);
    const burst = options.burst ?? 5;
    let events = 0;
    let mergeRequests = 0;
    const mrPages = new Map<number, string[]>();
    for (let at = 0; at < replayed.length; at += burst) {
      const commits = replayed.slice(at, at + burst);
      const burstBase = project.repo.commits.get(head())?.files ?? new Map<string, string>();
      const burstHead = head();
      const planned: PlannedEvent[] = [];
      for (const commit of commits) {
        const before = head();
        let openId: string | undefined;
        const files = { 'README.md': '# Handbook\n', ...Object.fromEntries(commit.tree) };
        let sha: string;
        if (commit.kind === 'merge-request') {
          const branch = `mr-${commit.index}`;
          sim.state.createBranch(project, branch, burstHead);
          const mrHead = sim.state.commit(project, {
            branch,
            files: mergeRequestTree(burstBase, commit),
            replace: true,
            date: commit.date,
            message: commit.subject,
          });
          const mr = sim.state.addMergeRequest(project, {
            sourceBranch: branch,
            targetBranch: BRANCH,
            title: commit.subject,
            author: alice.username,
          });
          mergeRequests += 1;
          const { added, modified, removed, renamed } = commit.change;
          mrPages.set(
            mr.iid,
            [...added, ...modified, ...removed, ...renamed.map(([, to]) => to)].filter((path) => IS_PAGE.test(path)),
          );
          openId = `mr-${mr.iid}-open`;
          planned.push({
            id: openId,
            event: 'Merge Request Hook',
            body: mergeRequestHook({
              project: HANDBOOK,
              iid: mr.iid,
              action: 'open',
              sourceBranch: branch,
              targetBranch: BRANCH,
              headSha: mrHead,
              title: commit.subject,
              author: alice,
            }),
          });
          // The merge: main's previous head and the merge request's head as parents, the real tree.
          sha = sim.state.mergeMergeRequest(mr, { files, date: commit.date, message: commit.subject });
        } else {
          sha = sim.state.commit(project, { branch: BRANCH, files, replace: true, date: commit.date, message: commit.subject });
        }
        planned.push({
          id: `push-${commit.index}`,
          event: 'Push Hook',
          body: pushHook({
            project: HANDBOOK,
            branch: BRANCH,
            before,
            after: sha,
            author: alice,
            commits: [{ id: sha, message: commit.subject, timestamp: commit.date, ...pushLists(commit) }],
          }),
          ...(openId !== undefined ? { after: openId } : {}),
        });
      }
      events += planned.length;
      const deliveries: Delivery[] = [];
      for (const event of orderBurst(planned, random)) {
        const body = JSON.stringify(event.body);
        const uuid = Deliverer.uuid();
        deliveries.push({ eventId: event.id, event: event.event, body, uuid, web: 0 });
        if (random() < (options.retryRate ?? 0.3)) deliveries.push({ eventId: event.id, event: event.event, body, uuid, web: 0 });
        if (random() < (options.resendRate ?? 0.2))
          deliveries.push({ eventId: `${event.id}-again`, event: event.event, body, uuid: Deliverer.uuid(), web: 0 });
      }
      await inParallel(deliveries, 4, async (delivery) => {
        await deliverer.send(delivery);
      });
    }
    await waitForDrain(queue, { timeoutMs: options.drainTimeoutMs ?? 300_000 });
    const elapsedMs = performance.now() - startedAt;
    const gitlabCalls = sim.state.requestTotal - callsAtStart;
    const failed = await failedJobs(queue);

    const last = history.commits.at(-1) ?? base;
    const finalTree = new Map([['README.md', '# Handbook\n'], ...last.tree]);
    const fresh = await freshSync({ handbook: HANDBOOK, recruiting: RECRUITING, branch: BRANCH, tree: finalTree, config });
    const fileAt = (commit: string, path: string) => project.repo.commits.get(commit)?.files.get(path);
    const dump = sim.dump();
    const actual = gitlabView(dump, { handbookPath: HANDBOOK.path, recruitingPath: RECRUITING.path, finalTree, fileAt });
    const expected = gitlabView(fresh.dump, { handbookPath: HANDBOOK.path, recruitingPath: RECRUITING.path });

    const checklistProblems: string[] = [];
    const handbook = dump.projects.find((candidate) => candidate.path === HANDBOOK.path);
    for (const mr of handbook?.merge_requests ?? []) {
      const notes = mr.notes.filter((note) => note.author === 'handbook-bot' && note.body.startsWith(CHECKLIST_MARKER));
      const pages = mrPages.get(mr.iid) ?? [];
      if (pages.length === 0) continue;
      if (notes.length !== 1) checklistProblems.push(`!${mr.iid} (${mr.title}): ${notes.length} checklist notes, expected 1`);
      const body = notes[0]?.body ?? '';
      for (const path of pages)
        if (!body.includes(path)) checklistProblems.push(`!${mr.iid} (${mr.title}): the checklist does not name ${path}`);
    }
    const pageChanges = replayed.reduce((sum, commit) => sum + pageChangesOf(commit), 0);
    return {
      rows: [from, from + replayed.length - 1],
      backfillCalls: backfilled,
      commits: replayed.length,
      mergeRequests,
      bursts: Math.ceil(replayed.length / burst),
      events,
      deliveries: deliverer.stats.deliveries,
      answers: deliverer.stats.byAnswer,
      pageChanges,
      gitlabCalls,
      callsPerPageChange: pageChanges === 0 ? 0 : gitlabCalls / pageChanges,
      freshSyncCalls: fresh.calls,
      freshSyncPages: fresh.pages,
      differences: diffViews(actual, expected),
      checklistProblems,
      failedJobs: failed,
      elapsedMs,
    };
  } finally {
    await Promise.allSettled([web?.stop(), ...workers.map((worker) => worker.stop())]);
    await queue.close().catch(() => undefined);
    await removePrefix(observer, prefix).catch(() => 0);
    observer.disconnect();
    await sim.close();
  }
}

/** One line per figure, for the test log and the bench. */
export function describeReplay(report: ReplayReport): string {
  return [
    `commits replayed: ${report.commits} (${report.mergeRequests} as merge requests, manifest rows ${report.rows[0]}–${report.rows[1]}) in ${report.bursts} bursts${report.backfillCalls > 0 ? ` after a backfill sync (${report.backfillCalls} calls)` : ''}`,
    `deliveries: ${report.deliveries} for ${report.events} events, answers ${JSON.stringify(report.answers)}`,
    `page changes: ${report.pageChanges}; GitLab calls: ${report.gitlabCalls} (${report.callsPerPageChange.toFixed(1)} per page change); fresh sync of ${report.freshSyncPages} pages: ${report.freshSyncCalls} calls`,
    `differences found: ${report.differences.length}; checklist problems: ${report.checklistProblems.length}; failed jobs: ${report.failedJobs.length}`,
    `time: ${(report.elapsedMs / 1000).toFixed(1)} s from the first delivery to the drained queue`,
  ].join('\n');
}
