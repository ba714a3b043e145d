import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Gitlab } from '@gitbeaker/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimDump } from '../support/gitlab-sim/types.js';
import { HUMAN_TOKEN, PAGE_A, seed } from './fixture.js';

/** The simulator as a separate process, driven through `/__sim/*` and written to by other processes. */

const MAIN = fileURLToPath(new URL('../support/gitlab-sim/main.ts', import.meta.url));

let child: ChildProcess;
let url = '';
let token = '';
let dir = '';

async function control(path: string, body?: unknown): Promise<Response> {
  return fetch(
    `${url}/__sim/${path}`,
    body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
  );
}

async function dump(): Promise<SimDump> {
  return (await (await control('dump')).json()) as SimDump;
}

/** A separate node process that posts notes one after another, as a bot worker would. */
function writer(name: string, writerToken: string, iid: number, count: number): Promise<number> {
  const script = `
    for (let i = 0; i < ${count}; i += 1) {
      const r = await fetch(${JSON.stringify(url)} + '/api/v4/projects/acme%2Fhandbook/issues/${iid}/notes', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'PRIVATE-TOKEN': ${JSON.stringify(writerToken)} },
        body: JSON.stringify({ body: ${JSON.stringify(name)} + '-' + i }),
      });
      if (r.status !== 201) process.exit(3);
    }`;
  const proc = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' });
  return new Promise((resolve) => proc.once('exit', (code) => resolve(code ?? -1)));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gitlab-sim-'));
  const seedFile = join(dir, 'seed.json');
  await writeFile(seedFile, JSON.stringify(seed));
  child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--port', '0', '--state', seedFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  const stdout = child.stdout;
  if (stdout === null) throw new Error('no stdout');
  const first = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: stdout });
    lines.once('line', (line) => resolve(line));
    child.once('exit', (code) => reject(new Error(`simulator exited early with ${code}`)));
  });
  ({ url, token } = JSON.parse(first) as { url: string; token: string });
}, 30_000);

afterAll(async () => {
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await rm(dir, { recursive: true, force: true });
});

describe('gitlab-sim as a process', () => {
  it('prints its url first and serves the seeded state to gitbeaker', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const api = new Gitlab<false>({ host: url, token });
    expect((await api.Projects.show('acme/handbook')).default_branch).toBe('main');
    expect(await api.RepositoryFiles.showRaw(15, PAGE_A, 'main')).toContain('Security Leadership');
  });

  it('shows the writes of two client processes in order in its dump', async () => {
    const api = new Gitlab<false>({ host: url, token });
    const issue = await api.Issues.create(15, 'shared by two processes');
    const codes = await Promise.all([writer('bot', token, issue.iid, 6), writer('human', HUMAN_TOKEN, issue.iid, 6)]);
    expect(codes).toEqual([0, 0]);
    const { requests, projects } = await dump();
    const noteWrites = requests.writes.filter((w) => w.route === '/projects/:id/issues/:noteable_iid/notes');
    const bodies = (user: string): string[] => noteWrites.filter((w) => w.user === user).map((w) => (w.body as { body: string }).body);
    expect(bodies('handbook-bot')).toEqual(['bot-0', 'bot-1', 'bot-2', 'bot-3', 'bot-4', 'bot-5']);
    expect(bodies('alice')).toEqual(['human-0', 'human-1', 'human-2', 'human-3', 'human-4', 'human-5']);
    const seqs = requests.writes.map((w) => w.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    // Notes in the dump are in the order the writes arrived.
    const notes = projects.find((p) => p.id === 15)?.issues.find((i) => i.iid === issue.iid)?.notes ?? [];
    expect(notes.map((n) => n.body)).toEqual(noteWrites.map((w) => (w.body as { body: string }).body));
  });

  it('sets faults through POST /__sim/faults', async () => {
    expect((await control('faults', { rate429: 1, retryAfterSeconds: 3 })).status).toBe(200);
    const limited = await fetch(`${url}/api/v4/user`, { headers: { 'PRIVATE-TOKEN': token } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect((await control('faults', { rate429: 2 })).status).toBe(400);
    await control('faults', {});
    expect((await fetch(`${url}/api/v4/user`, { headers: { 'PRIVATE-TOKEN': token } })).status).toBe(200);
    expect((await dump()).faults.injected429).toBe(1);
  });

  it('pushes commits and opens merge requests through the control plane', async () => {
    const api = new Gitlab<false>({ host: url, token });
    const before = (await api.Projects.show(15)).default_branch ?? 'main';
    const base = (await api.Commits.show(15, before)).id;
    const pushed = (await (
      await control('commits', { project: 'acme/handbook', branch: 'main', message: 'Edit page', files: { [PAGE_A]: 'v2\n' } })
    ).json()) as { id: string };
    expect(await api.RepositoryFiles.showRaw(15, PAGE_A, pushed.id)).toBe('v2\n');
    const compare = await api.Repositories.compare(15, base, pushed.id);
    expect(compare.diffs?.map((d) => d.new_path)).toEqual([PAGE_A]);
    await control('branches', { project: 15, name: 'topic', ref: pushed.id });
    await control('commits', { project: 15, branch: 'topic', files: { 'content/job-families/b.md': 'b' } });
    const mr = (await (await control('merge_requests', { project: 15, sourceBranch: 'topic', title: 'Topic' })).json()) as { iid: number };
    expect((await api.MergeRequests.allDiffs(15, mr.iid)).map((d) => d.new_path)).toEqual(['content/job-families/b.md']);
    expect((await control('commits', { project: 'no/such', branch: 'main' })).status).toBe(400);
  });

  it('replaces the world with POST /__sim/seed and rejects invalid seeds', async () => {
    expect((await control('seed', { projects: [{ id: 7, path: 'other/project', files: { main: { 'a.md': 'a' } } }] })).status).toBe(200);
    const after = await dump();
    expect(after.projects.map((p) => p.path)).toEqual(['other/project']);
    expect(after.requests.writes).toEqual([]);
    expect((await control('seed', { projects: [{ pathh: 'typo' }] })).status).toBe(400);
    const api = new Gitlab<false>({ host: url, token });
    expect((await api.Users.showCurrentUser()).username).toBe('handbook-bot');
  });
});
