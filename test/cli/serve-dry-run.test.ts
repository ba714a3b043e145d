import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitLabSim, type GitLabSim } from '../support/gitlab-sim/server.js';
import { handbookPush, HANDBOOK, PAGE_A, PAGE_B } from '../support/fixtures.js';
import { seed } from '../support/pages.js';

/**
 * The first hour of a new user: `npm start` (build, then the built CLI's `serve`) with nothing set but a
 * config file naming the handbook
 * starts in dry-run, says so first, serves the webhook, logs the plan of every write a delivery causes,
 * and stops cleanly on SIGTERM. GitLab is the loopback simulator, read anonymously like a public project.
 */

const root = resolve(import.meta.dirname, '../..');
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `hbt-test-start-${randomUUID().slice(0, 8)}`;
const scratch = mkdtempSync(join(tmpdir(), 'hbt-start-'));
let sim: GitLabSim;
let bot: ChildProcess | undefined;

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

beforeAll(async () => {
  await new Promise<void>((resolveBuild, reject) => {
    const build = spawn('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
    build.once('exit', (code) => (code === 0 ? resolveBuild() : reject(new Error(`npm run build exited ${code}`))));
  });
  const push = handbookPush();
  sim = await startGitLabSim({ anonymousReads: true });
  sim.state.addProject({
    id: HANDBOOK.id,
    path: HANDBOOK.path,
    defaultBranch: 'master',
    files: {
      [push.before]: {},
      [push.after]: { [PAGE_A]: seed('threat-management.md').source, [PAGE_B]: seed('security-leadership.md').source },
    },
  });
  sim.state.createBranch(HANDBOOK.id, 'master', push.after);
}, 120_000);

afterAll(async () => {
  if (bot !== undefined && bot.exitCode === null) bot.kill('SIGKILL');
  await sim.close();
  rmSync(scratch, { recursive: true, force: true });
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`{${prefix}}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe('the built bot started with no token', () => {
  it('runs in dry-run, logs the plan of a delivery, and exits 0 on SIGTERM', async () => {
    const configPath = join(scratch, 'handbook-bot.yml');
    writeFileSync(configPath, `handbook:\n  project: ${HANDBOOK.path}\n  branch: master\n`);
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      REDIS_URL: redisUrl,
      HANDBOOK_BOT_QUEUE_PREFIX: prefix,
      HANDBOOK_BOT_CONFIG: configPath,
      GITLAB_URL: sim.url,
      LOG_LEVEL: 'info',
    };
    delete env.GITLAB_TOKEN;
    delete env.WEBHOOK_SECRET;
    // What `npm start` runs after its build step; spawned directly so the exit code is the bot's own.
    bot = spawn(process.execPath, ['dist/cli.js', 'serve'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let buffered = '';
    bot.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      lines.push(...parts.filter((line) => line.startsWith('{')));
    });
    const exited = new Promise<number | null>((resolveExit) => bot?.once('exit', (code) => resolveExit(code)));
    const waitFor = async (predicate: (line: string) => boolean, what: string, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const found = lines.find(predicate);
        if (found !== undefined) return found;
        if (bot?.exitCode !== null) throw new Error(`the bot exited before ${what}:\n${lines.join('\n')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`timed out waiting for ${what}:\n${lines.join('\n')}`);
    };

    await waitFor((line) => line.includes('handbook-bot ready'), 'ready', 90_000);
    const first = JSON.parse(lines[0] ?? '{}') as { mode?: string; msg?: string };
    expect(first.mode).toBe('dry-run');
    expect(first.msg).toContain('DRY-RUN');
    expect(first.msg).toContain('GITLAB_TOKEN');

    const response = await fetch(`http://127.0.0.1:${port}/webhooks/gitlab`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-gitlab-event': 'Push Hook', 'x-gitlab-event-uuid': randomUUID() },
      body: JSON.stringify(handbookPush()),
    });
    expect(response.status).toBe(202);

    // The OKR issue of each page would be created: the plan is in the log, nothing reached GitLab.
    const plan = await waitFor((line) => line.includes('dry-run: would POST') && line.includes('/issues'), 'an OKR issue plan');
    expect(plan).toContain(encodeURIComponent(HANDBOOK.path));
    await waitFor((line) => line.includes('dry-run: would POST') && line.includes('/labels'), 'a label plan');
    expect(sim.dump().requests.writes).toEqual([]);

    bot.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(lines.some((line) => line.includes('stopped cleanly'))).toBe(true);
  }, 150_000);
});
