import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { exited, isRunning, stopChild, track } from './children.js';
import { memoryKb } from './proc-memory.js';

/**
 * One `handbook-bot serve` process (HANDBOOK_BOT_ROLE=web or worker), as production runs it.
 *
 * Entry: `node --import tsx src/cli.ts serve` by default. Measured on the 2-core CI host: ready in
 * 1.6–1.9 s with tsx against 0.9–1.1 s from `dist/cli.js`, but the build takes ~20 s, so for the
 * suite's ~20 process starts tsx is the faster whole. `E2E_BOT_ENTRY=dist` runs `dist/cli.js` instead
 * (the benchmark builds once and uses it, so its memory figures are production's).
 */

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const READY_TIMEOUT_MS = 30_000;
const KEPT_LINES = 300;

export type BotRole = 'web' | 'worker';

export interface BotProcessOptions {
  name: string;
  role: BotRole;
  env: Record<string, string>;
  /** `tsx` (default: E2E_BOT_ENTRY or tsx) or `dist`. */
  entry?: 'tsx' | 'dist';
}

export interface BotProcess {
  name: string;
  role: BotRole;
  pid: number | undefined;
  child: ChildProcess;
  /** Set for web processes: where to deliver webhooks. */
  url: string | undefined;
  /** The last log lines (stdout and stderr), for failure messages. */
  lines: string[];
  /** Jobs this worker started and has not finished, failed or paused (from its log), with when they started. */
  activeJobs: Map<string, number>;
  /** Ids of jobs this worker finished, in order. */
  finishedJobs: string[];
  running(): boolean;
  peakRssKb(): number | undefined;
  /** SIGTERM: the graceful stop production gets. */
  stop(): Promise<void>;
  /** SIGKILL: a crash. */
  kill(): Promise<void>;
}

export function botEntry(): 'tsx' | 'dist' {
  return process.env.E2E_BOT_ENTRY === 'dist' ? 'dist' : 'tsx';
}

function entryArgs(entry: 'tsx' | 'dist'): string[] {
  return entry === 'dist' ? [resolve(repoRoot, 'dist/cli.js'), 'serve'] : ['--import', 'tsx', resolve(repoRoot, 'src/cli.ts'), 'serve'];
}

/** Only the job lines are parsed (a cheap substring test first): the rest is kept raw. */
function jobEvent(line: string): { msg: string; job: string } | undefined {
  if (!line.includes('"msg":"job ')) return undefined;
  try {
    const parsed = JSON.parse(line) as { msg?: unknown; job?: unknown };
    return typeof parsed.msg === 'string' && typeof parsed.job === 'string' ? { msg: parsed.msg, job: parsed.job } : undefined;
  } catch {
    return undefined;
  }
}

export async function startBotProcess(options: BotProcessOptions): Promise<BotProcess> {
  const entry = options.entry ?? botEntry();
  const child = track(
    spawn(process.execPath, entryArgs(entry), {
      cwd: repoRoot,
      env: { ...process.env, ...options.env, HANDBOOK_BOT_ROLE: options.role },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const lines: string[] = [];
  const activeJobs = new Map<string, number>();
  const finishedJobs: string[] = [];
  let ready: (() => void) | undefined;
  const keep = (line: string) => {
    lines.push(line);
    if (lines.length > KEPT_LINES) lines.shift();
    if (ready !== undefined && line.includes('"msg":"handbook-bot ready"')) ready();
    const event = jobEvent(line);
    if (event === undefined) return;
    if (event.msg === 'job started') activeJobs.set(event.job, performance.now());
    else if (event.msg === 'job finished' || event.msg === 'job failed' || event.msg === 'job paused') {
      activeJobs.delete(event.job);
      if (event.msg === 'job finished') finishedJobs.push(event.job);
    }
  };
  if (child.stdout) createInterface({ input: child.stdout }).on('line', keep);
  if (child.stderr) createInterface({ input: child.stderr }).on('line', (line) => keep(`[stderr] ${line}`));

  const port = options.env.PORT;
  const proc: BotProcess = {
    name: options.name,
    role: options.role,
    pid: child.pid,
    child,
    url: options.role === 'web' && port !== undefined ? `http://127.0.0.1:${port}` : undefined,
    lines,
    activeJobs,
    finishedJobs,
    running: () => isRunning(child),
    peakRssKb: () => memoryKb(child.pid)?.peakKb,
    stop: () => stopChild(child, 'SIGTERM'),
    kill: () => stopChild(child, 'SIGKILL'),
  };

  const outcome = await new Promise<'ready' | 'exited' | 'timeout' | 'error'>((resolvePromise) => {
    const timer = setTimeout(() => resolvePromise('timeout'), READY_TIMEOUT_MS);
    ready = () => {
      clearTimeout(timer);
      resolvePromise('ready');
    };
    child.once('error', () => resolvePromise('error'));
    exited(child).then(
      () => {
        clearTimeout(timer);
        resolvePromise('exited');
      },
      () => undefined,
    );
  });
  ready = undefined;
  if (outcome !== 'ready') {
    await proc.kill();
    throw new Error(`${options.name} (${options.role}) did not become ready: ${outcome}\n${lines.slice(-20).join('\n')}`);
  }
  return proc;
}
