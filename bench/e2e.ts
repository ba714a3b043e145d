/**
 * End-to-end benchmark (`npm run bench:e2e`): the e2e suite's scripted day at scale, against the same
 * real processes (2 web, 2 worker, built once with `npm run build`), real Redis (a unique prefix, every
 * key deleted afterwards) and the GitLab simulator adding 50 ms to every API call.
 *
 * Default scale: 200 pages (195 from the corpus, 5 history pages), 500 page changes (200 additions,
 * 300 edits of which 100 in four 25-commit pushes), 5 merge requests, 20 recruiting issues, commands;
 * every event delivered twice. Prints:
 *   - events/s end to end (first delivery → queue drained);
 *   - p50/p99 from an event's delivery to the last GitLab write it caused (the simulator's write log,
 *     timed in this process, correlated by commit, merge request, issue or command note);
 *   - API calls per page change; peak RSS of each process (/proc VmHWM);
 *   - whether the final state is exactly the expected one (zero lost, zero duplicated effects).
 * Bounded: the drain gives up after BENCH_E2E_TIMEOUT_S (default 300) and everything is stopped.
 *
 * By default every delivery goes out as fast as the web processes answer (a burst: the figures then
 * measure the backlog, p99 ≈ the whole run); BENCH_E2E_RATE=<deliveries/s> paces them instead, to see
 * the latency of a bot that keeps up.
 *
 * Environment: BENCH_E2E_PAGES, BENCH_E2E_CHANGES, BENCH_E2E_LATENCY_MS, BENCH_E2E_RATE,
 * BENCH_E2E_CONCURRENCY (HANDBOOK_BOT_WORKER_CONCURRENCY), BENCH_E2E_ENTRY (dist | tsx), REDIS_URL.
 */
import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WriteRecord } from '../test/support/gitlab-sim/types.js';
import { memoryKb } from '../test/e2e/support/proc-memory.js';
import type { DayEvent, DaySize } from '../test/e2e/support/day.js';
import { DayRun, describeReport } from '../test/e2e/support/scenario.js';

const here = dirname(fileURLToPath(import.meta.url));
const num = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};

const PAGES = num('BENCH_E2E_PAGES', 200);
const CHANGES = num('BENCH_E2E_CHANGES', 500);
const LATENCY_MS = num('BENCH_E2E_LATENCY_MS', 50);
const TIMEOUT_S = num('BENCH_E2E_TIMEOUT_S', 300);
const CONCURRENCY = process.env.BENCH_E2E_CONCURRENCY;
/** Deliveries per second; unset: a burst (everything as fast as the web processes answer). */
const RATE = process.env.BENCH_E2E_RATE === undefined ? undefined : num('BENCH_E2E_RATE', 4);
const ENTRY = process.env.BENCH_E2E_ENTRY === 'tsx' ? 'tsx' : 'dist';
const HISTORY_PAGES = 5;

/** 500 changes over 200 pages: every page added once, the rest as edits (a fifth of them in 25-commit pushes). */
function sizeFor(pages: number, changes: number): DaySize {
  const corpus = pages - HISTORY_PAGES;
  const edits = Math.max(0, changes - pages);
  const bigPushes = Math.floor(edits / 5 / 25);
  return {
    pages: corpus,
    pagesPerPush: 4,
    modifications: edits - bigPushes * 25,
    bigPushes,
    mergeRequests: HISTORY_PAGES,
    recruitingIssues: 20,
    commands: true,
  };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

/** Whether a successful write was caused by the event, by what the event's effects carry. */
function causedBy(event: DayEvent, write: WriteRecord, body: string): boolean {
  const { commit, path, text } = event.correlate;
  if (commit !== undefined) return body.includes(commit);
  if (path !== undefined) return write.path.includes(path);
  return text !== undefined && body.includes(text);
}

async function main(): Promise<void> {
  if (ENTRY === 'dist') {
    const started = performance.now();
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: resolve(here, '..'), stdio: 'inherit' });
    console.log(`built dist/ in ${Math.round(performance.now() - started)} ms`);
  }
  const size = sizeFor(PAGES, CHANGES);
  const run = new DayRun({
    name: 'bench',
    size,
    simLatencyMs: LATENCY_MS,
    order: 'script',
    deliveryConcurrency: 8,
    ...(RATE !== undefined ? { deliveriesPerSecond: RATE } : {}),
    drainTimeoutMs: TIMEOUT_S * 1000,
    entry: ENTRY,
    ...(CONCURRENCY !== undefined ? { workerConcurrency: Number(CONCURRENCY) } : {}),
    // The default budgets (1,500 calls and 50 creates a minute, GitLab.com's limits) would measure the
    // budget, not the bot.
    config: { gitlab: { requestsPerMinute: 1_000_000, createsPerMinute: 1_000_000 } },
  });
  const stop = () => {
    void run.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  try {
    await run.start();
    const sim = run.sim;
    if (sim === undefined) throw new Error('no simulator');
    // Time every write as the simulator logs it (it keeps no clock of its own: its dates are logical).
    const writtenAt = new Map<number, number>();
    const writes = sim.state.writes;
    const push = writes.push.bind(writes);
    writes.push = (...records: WriteRecord[]) => {
      const now = performance.now();
      for (const record of records) writtenAt.set(record.seq, now);
      return push(...records);
    };
    // Peak RSS: VmHWM is the process's own high-water mark; read it just before the processes stop.
    const report = await run.play();
    const processes = [...run.webs, ...run.workers].map((proc) => ({
      name: proc.name,
      peakRssMb: (memoryKb(proc.pid)?.peakKb ?? Number.NaN) / 1024,
    }));
    const self = memoryKb(process.pid);

    const { day, dump, deliverer } = run;
    if (day === undefined || dump === undefined || deliverer === undefined) throw new Error('the day did not run');
    const deliveredAt = new Map<string, number>();
    for (const result of deliverer.results)
      deliveredAt.set(result.delivery.eventId, Math.min(deliveredAt.get(result.delivery.eventId) ?? Infinity, result.sentAt));
    const good = dump.requests.writes
      .filter((write) => write.status < 300 && write.fault === undefined)
      .map((write) => ({ write, body: JSON.stringify(write.body) }));
    const latencies: Record<string, number[]> = { all: [] };
    let noWrite = 0;
    for (const event of day.events) {
      const sent = deliveredAt.get(event.id);
      if (sent === undefined) continue;
      let last = -Infinity;
      for (const { write, body } of good) {
        const at = writtenAt.get(write.seq);
        if (at !== undefined && at >= sent && at > last && causedBy(event, write, body)) last = at;
      }
      if (last === -Infinity) {
        // Superseded before it ran (a newer commit of the page was synced first): nothing to write.
        noWrite += 1;
        continue;
      }
      (latencies[event.kind] ??= []).push(last - sent);
      latencies.all?.push(last - sent);
    }
    for (const list of Object.values(latencies)) list.sort((a, b) => a - b);

    // The oracle (test/e2e/support/final-state.ts): a fresh sync of the final tree and literal expectations.
    const problems = await run.finalStateProblems();
    const exact = problems.length === 0;
    if (!exact) console.log(`final state differs from the expected one:\n  ${problems.slice(0, 20).join('\n  ')}`);
    const seconds = report.elapsedMs / 1000;
    const figures = {
      scale: {
        pages: day.truth.pages.size,
        pageChanges: report.pageChanges,
        events: report.events,
        deliveries: report.deliveries,
        simLatencyMs: LATENCY_MS,
        deliveriesPerSecond: RATE ?? 'burst',
      },
      eventsPerSecond: Math.round((report.events / seconds) * 10) / 10,
      deliveriesPerSecond: Math.round((report.deliveries / seconds) * 10) / 10,
      pageChangesPerSecond: Math.round((report.pageChanges / seconds) * 10) / 10,
      elapsedSeconds: Math.round(seconds * 10) / 10,
      deliveryToLastWriteMs: Object.fromEntries(
        Object.entries(latencies).map(([kind, list]) => [
          kind,
          { n: list.length, p50: Math.round(percentile(list, 50)), p99: Math.round(percentile(list, 99)) },
        ]),
      ),
      eventsWithoutWrite: noWrite,
      apiCalls: dump.requests.total,
      apiCallsPerPageChange: Math.round((dump.requests.total / report.pageChanges) * 100) / 100,
      writes: dump.requests.writes.length,
      jobs: report.counts,
      peakRssMb: [
        ...processes.map((p) => ({ ...p, peakRssMb: Math.round(p.peakRssMb) })),
        { name: 'bench (sim + deliveries)', peakRssMb: Math.round((self?.peakKb ?? 0) / 1024) },
      ],
      finalStateExact: exact,
    };
    console.log(describeReport('bench', report));
    console.log(JSON.stringify(figures, null, 2));
    if (!exact) process.exitCode = 1;
  } finally {
    await run.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
