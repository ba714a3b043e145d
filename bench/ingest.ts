/**
 * Ingest benchmark (`npm run bench:ingest`): the web role against a bare node:http server, same load.
 *
 * Both servers run in child processes (so the load generator does not share their event loop) on
 * loopback: `bare` reads the body and answers 200; `bot` is the real web role (token check, JSON parse,
 * zod, routing, delivery dedupe, one job queued in real Redis under a unique prefix, the delivery's log
 * line, metrics). Each request is GitLab's push.json in the handbook project, modifying one job-family
 * page, with a fresh commit sha and delivery id, so every request really queues a job.
 *
 * Rounds interleave the two servers; figures are medians over the rounds:
 *   - saturation: 50 connections, as fast as they go → req/s, p50, p99;
 *   - fixed load: 500 req/s (autocannon overallRate) → p99.
 * After each bot run the number of jobs in Redis must equal the number of 202 answers.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { configSchema } from '../src/config/schema.js';
import type { Settings } from '../src/config/types.js';
import { createLogger } from '../src/log.js';
import { createQueue } from '../src/queue/queues.js';
import { startWebRole } from '../src/webhook/web-role.js';
import { webhookFixturePath } from '../test/support/fixture-paths.js';

const SECRET = 'bench-webhook-secret';
const HANDBOOK = { id: 4242, path: 'acme/handbook' };
const PAGE = 'content/job-families/engineering/backend-engineer.md';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

// ---------------------------------------------------------------------------------------------- servers

async function serveBare(): Promise<number> {
  const server = createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return (server.address() as AddressInfo).port;
}

async function serveBot(prefix: string): Promise<number> {
  const file = configSchema.parse({ handbook: { project: HANDBOOK.path } });
  const settings: Settings = {
    config: { ...file, okr: { ...file.okr, project: HANDBOOK.path }, recruiting: { ...file.recruiting, project: HANDBOOK.path } },
    env: {
      gitlabUrl: 'https://gitlab.example.com',
      gitlabToken: undefined,
      dryRun: true,
      webhookSecrets: [SECRET],
      webhookSigningToken: undefined,
      redisUrl: REDIS_URL,
      port: 0,
      configPath: 'config/handbook-bot.yml',
      configFileLoaded: false,
      queuePrefix: prefix,
      role: 'web',
      adminToken: undefined,
      logLevel: 'info',
    },
  };
  // Production logs one line per delivery to stdout; here the same lines go to /dev/null.
  const logger = createLogger('info', pino.destination({ dest: '/dev/null', sync: true }));
  const role = await startWebRole(settings, {
    logger,
    port: 0,
    host: '127.0.0.1',
    ...(process.env.BENCH_AUTOPIPELINE === '0' ? { redis: { enableAutoPipelining: false } } : {}),
  });
  if (process.env.BENCH_EXPRESS !== '1') return role.server.port;
  // For comparison: the same app with the webhook served through express's router (the reference path).
  const viaExpress = createServer(role.web.express);
  await new Promise<void>((done) => viaExpress.listen(0, '127.0.0.1', done));
  return (viaExpress.address() as AddressInfo).port;
}

async function cpuMicros(child: ChildProcess): Promise<number> {
  const reply = new Promise<number>((done) =>
    child.once('message', (message) => {
      const { cpu } = message as { cpu: NodeJS.CpuUsage };
      done(cpu.user + cpu.system);
    }),
  );
  child.send('cpu');
  return reply;
}

function startChild(args: string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', ...args], {
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_PROF && args[0] === 'bot' ? ['--cpu-prof', '--cpu-prof-dir=/tmp/hb-prof'] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((done, fail) => {
    child.once('message', (message) => done({ child, port: (message as { port: number }).port }));
    child.once('exit', (code) => fail(new Error(`server ${args[0]} exited with ${code}`)));
  });
}

// ------------------------------------------------------------------------------------------------- load

function pushTemplate(): string {
  const push = JSON.parse(readFileSync(webhookFixturePath('push'), 'utf8')) as {
    after: string;
    checkout_sha: string;
    project_id: number;
    project: { id: number; path_with_namespace: string };
    commits: Array<{ id: string; added: string[]; modified: string[]; removed: string[] }>;
    total_commits_count: number;
  };
  push.project_id = HANDBOOK.id;
  push.project.id = HANDBOOK.id;
  push.project.path_with_namespace = HANDBOOK.path;
  const [first, last] = push.commits;
  if (!first || !last) throw new Error('push.json should list two commits');
  Object.assign(first, { added: ['CHANGELOG'], modified: ['README.md'], removed: [] });
  Object.assign(last, { id: '__SHA__', added: [], modified: [PAGE], removed: [] });
  push.after = '__SHA__';
  push.checkout_sha = '__SHA__';
  push.total_commits_count = push.commits.length;
  return JSON.stringify(push);
}

interface Run {
  /** Server CPU (user + system) per request, µs. */
  cpu: number;
  rps: number;
  p50: number;
  p99: number;
  accepted: number;
  other: number;
}

async function load(server: { child: ChildProcess; port: number }, mode: 'saturate' | 'fixed', body: string): Promise<Run> {
  const { port } = server;
  const cpuBefore = await cpuMicros(server.child);
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/webhooks/gitlab`,
    method: 'POST',
    connections: mode === 'saturate' ? 50 : 10,
    ...(mode === 'fixed' ? { overallRate: 500 } : {}),
    duration: SECONDS,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': SECRET },
        // A fresh commit and delivery id per request: every request queues a new job.
        setupRequest: (request) => ({
          ...request,
          headers: { ...request.headers, 'x-gitlab-event-uuid': randomUUID() },
          body: body.replaceAll('__SHA__', randomBytes(20).toString('hex')),
        }),
      },
    ],
  });
  const codes = result.statusCodeStats ?? {};
  if (process.env.BENCH_DEBUG) console.log(codes);
  const count = (code: '200' | '202') => codes[code]?.count ?? 0;
  const total = Object.values(codes).reduce((sum, stat) => sum + (stat.count ?? 0), 0);
  const cpu = (await cpuMicros(server.child)) - cpuBefore;
  return {
    cpu: cpu / Math.max(1, total),
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    accepted: count('202'),
    other: total - count('200') - count('202') + result.errors + result.timeouts,
  };
}

/** 202s the bot sent (its own counter): autocannon drops the answers still in flight when a run ends. */
async function queuedByBot(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const match = /handbook_bot_webhook_deliveries_total\{event="Push Hook",outcome="queued"\} (\d+)/.exec(text);
  return Number(match?.[1] ?? 0);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

async function main(): Promise<void> {
  const prefix = `hb-bench-${randomBytes(4).toString('hex')}`;
  const body = pushTemplate();
  const redis = new Redis(REDIS_URL);
  const queue = createQueue(redis, { prefix });
  const bare = await startChild(['bare']);
  const bot = await startChild(['bot', prefix]);
  const runs = { bare: { saturate: [] as Run[], fixed: [] as Run[] }, bot: { saturate: [] as Run[], fixed: [] as Run[] } };
  let mismatch = false;

  try {
    // Warm-up: JIT, connection pools, Redis scripts.
    await autocannon({ url: `http://127.0.0.1:${bare.port}/webhooks/gitlab`, method: 'POST', connections: 20, duration: 2, body });
    await load(bot, 'saturate', body);
    await queue.obliterate({ force: true });
    for (let round = 1; round <= ROUNDS; round++) {
      for (const mode of ['saturate', 'fixed'] as const) {
        for (const kind of round % 2 ? (['bare', 'bot'] as const) : (['bot', 'bare'] as const)) {
          const sentBefore = kind === 'bot' ? await queuedByBot(bot.port) : 0;
          const run = await load(kind === 'bare' ? bare : bot, mode, body);
          runs[kind][mode].push(run);
          if (kind === 'bot') {
            await new Promise((done) => setTimeout(done, 200)); // let the last in-flight deliveries finish
            const sent = (await queuedByBot(bot.port)) - sentBefore;
            const jobs = await queue.getJobCountByTypes('waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed');
            // Every 202 sent is one job; the client saw all of them but those cut off at the run's end.
            const ok = jobs === sent && run.accepted <= sent && sent - run.accepted <= 50 && run.other === 0;
            mismatch ||= !ok;
            console.log(
              `round ${round} ${mode.padEnd(8)} bot : ${run.rps.toFixed(0)} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms, ${run.cpu.toFixed(0)} µs CPU/req — ` +
                `202s sent ${sent} (received ${run.accepted}), jobs in Redis ${jobs}${run.other ? `, other answers/errors ${run.other}` : ''} ${ok ? '✓' : '✗ MISMATCH'}`,
            );
            // Next run starts from an empty queue, so Redis' growth does not skew later rounds.
            await queue.obliterate({ force: true });
          } else {
            console.log(
              `round ${round} ${mode.padEnd(8)} bare: ${run.rps.toFixed(0)} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms, ${run.cpu.toFixed(0)} µs CPU/req`,
            );
          }
        }
      }
    }
  } finally {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `{${prefix}}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    redis.disconnect();
    bare.child.disconnect();
    bot.child.disconnect();
  }

  const row = (name: string, kind: 'bare' | 'bot') => {
    const s = runs[kind].saturate;
    const f = runs[kind].fixed;
    const cells = [
      median(s.map((r) => r.rps))
        .toFixed(0)
        .padStart(8),
      median(s.map((r) => r.p50))
        .toFixed(2)
        .padStart(8),
      median(s.map((r) => r.p99))
        .toFixed(2)
        .padStart(8),
      median(f.map((r) => r.p99))
        .toFixed(2)
        .padStart(14),
      median(s.map((r) => r.cpu))
        .toFixed(0)
        .padStart(14),
    ];
    return `${name.padEnd(6)} ${cells.join(' ')}`;
  };
  const ratio = median(runs.bot.saturate.map((r) => r.rps)) / median(runs.bare.saturate.map((r) => r.rps));
  console.log(`\nmedians of ${ROUNDS} rounds, ${SECONDS} s each, loopback, push.json with one job-family page`);
  console.log(
    `${'server'.padEnd(6)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'p99 @500/s ms'.padStart(14)} ${'CPU µs/req'.padStart(14)}`,
  );
  console.log(row('bare', 'bare'));
  console.log(row('bot', 'bot'));
  console.log(
    `\nbot/bare throughput: ${ratio.toFixed(3)} (target ≥ 0.15); bot p99 at 500 req/s: ${median(runs.bot.fixed.map((r) => r.p99))} ms (target ≤ 10 ms)`,
  );
  console.log(mismatch ? 'jobs in Redis ≠ 202 answers: FAILED' : 'jobs in Redis = 202 answers in every run ✓');
  if (mismatch) process.exitCode = 1;
}

// A child: start one server, report its port, live until the parent goes.
if (process.argv[2] === '--serve') {
  const kind = process.argv[3];
  const port = kind === 'bare' ? await serveBare() : await serveBot(process.argv[4] ?? 'hb-bench');
  process.send?.({ port });
  // CPU time used so far, on request: per-request cost that other load on the host does not distort.
  process.on('message', () => process.send?.({ cpu: process.cpuUsage() }));
  process.on('disconnect', () => process.exit(0));
} else {
  await main();
}
