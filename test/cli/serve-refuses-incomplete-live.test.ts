import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `handbook-bot serve` with GITLAB_TOKEN but without WEBHOOK_SECRET or handbook.project refuses at
 * once: one message saying what is missing and how to set it, exit 2, and not a single connection to
 * GitLab or Redis (both are local listeners here that count what reaches them).
 */

const root = resolve(import.meta.dirname, '../..');
const cli = join(root, 'src/cli.ts');
// By file URL, so the child can run from a scratch directory (no config/handbook-bot.yml there).
const tsx = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;

const SECRET_LINE =
  'WEBHOOK_SECRET is not set, but GITLAB_TOKEN is: the bot will not accept unauthenticated webhooks while it can write to GitLab. ' +
  "Set WEBHOOK_SECRET to the webhook's secret token (GitLab: Settings → Webhooks; a comma-separated list while rotating), " +
  'or unset GITLAB_TOKEN for a dry run';
const PROJECT_LINE =
  'handbook.project is required to run with GITLAB_TOKEN: it is not set (no config file at config/handbook-bot.yml). ' +
  'Add "project: group/handbook" under "handbook:" in that file (see config/handbook-bot.example.yml), ' +
  'or set HANDBOOK_BOT_CONFIG to the config file that has it';

let scratch: string;
let gitlab: HttpServer;
let redis: TcpServer;
const gitlabRequests: string[] = [];
let redisConnections = 0;

async function listen(server: HttpServer | TcpServer): Promise<number> {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return (server.address() as AddressInfo).port;
}

let gitlabUrl: string;
let redisUrl: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'hbt-serve-refuse-'));
  gitlab = createHttpServer((req, res) => {
    gitlabRequests.push(`${req.method} ${req.url}`);
    res.writeHead(500).end();
  });
  redis = createTcpServer((socket) => {
    redisConnections += 1;
    socket.destroy();
  });
  gitlabUrl = `http://127.0.0.1:${await listen(gitlab)}`;
  redisUrl = `redis://127.0.0.1:${await listen(redis)}`;
});

afterAll(async () => {
  await new Promise((done) => gitlab.close(done));
  await new Promise((done) => redis.close(done));
  rmSync(scratch, { recursive: true, force: true });
});

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `serve` from `cwd` with exactly these variables (plus PATH), bounded by a timeout. */
async function serve(vars: NodeJS.ProcessEnv, cwd: string): Promise<Outcome> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, GITLAB_URL: gitlabUrl, REDIS_URL: redisUrl, LOG_LEVEL: 'info', ...vars };
  return new Promise((done) => {
    execFile(process.execPath, ['--import', tsx, cli, 'serve'], { cwd, env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      done({ code, stdout, stderr });
    });
  });
}

describe('serve with GITLAB_TOKEN but an incomplete setup', () => {
  it('without WEBHOOK_SECRET: says to set it (or unset GITLAB_TOKEN), exits 2, calls nothing', async () => {
    const configPath = join(scratch, 'with-project.yml');
    writeFileSync(configPath, 'handbook:\n  project: acme/handbook\n');
    const outcome = await serve({ GITLAB_TOKEN: 'glpat-refused-1', HANDBOOK_BOT_CONFIG: configPath }, scratch);
    expect(outcome).toEqual({ code: 2, stdout: '', stderr: `Invalid configuration (1 problem):\n${SECRET_LINE}\n` });
    expect(gitlabRequests).toEqual([]);
    expect(redisConnections).toBe(0);
  });

  it('without handbook.project (no config file): says where to write it, exits 2, calls nothing', async () => {
    const outcome = await serve({ GITLAB_TOKEN: 'glpat-refused-2', WEBHOOK_SECRET: 'hook-secret' }, scratch);
    expect(outcome).toEqual({ code: 2, stdout: '', stderr: `Invalid configuration (1 problem):\n${PROJECT_LINE}\n` });
    expect(gitlabRequests).toEqual([]);
    expect(redisConnections).toBe(0);
  });

  it('without both: names both in one run, exits 2, calls nothing, never prints the token', async () => {
    const outcome = await serve({ GITLAB_TOKEN: 'glpat-refused-3', HANDBOOK_BOT_ROLE: 'web' }, scratch);
    expect(outcome).toEqual({ code: 2, stdout: '', stderr: `Invalid configuration (2 problems):\n${SECRET_LINE}\n${PROJECT_LINE}\n` });
    expect(gitlabRequests).toEqual([]);
    expect(redisConnections).toBe(0);
  });
});
