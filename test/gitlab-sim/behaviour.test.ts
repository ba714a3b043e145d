import { GitbeakerRequestError, GitbeakerRetryError } from '@gitbeaker/rest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitLabSim } from '../support/gitlab-sim/server.js';
import { gitlab, HUMAN_TOKEN, READ_ONLY_TOKEN, startSeededSim } from './fixture.js';

/** GitLab behaviours the bot must cope with, and the violations the simulator records. */

let sim: GitLabSim;
let api: ReturnType<typeof gitlab>;

beforeEach(async () => {
  sim = await startSeededSim();
  api = gitlab(sim);
});

afterEach(async () => {
  await sim.close();
});

function call(path: string, init: RequestInit & { token?: string | null } = {}): Promise<Response> {
  const { token = sim.token, headers, ...rest } = init;
  return fetch(`${sim.url}/api/v4${path}`, {
    ...rest,
    headers: {
      'content-type': 'application/json',
      ...(token === null ? {} : { 'PRIVATE-TOKEN': token }),
      ...(headers as Record<string, string> | undefined),
    },
  });
}

describe('quick actions and mentions', () => {
  it('records a quick action in a note, strips the known command, keeps the rest', async () => {
    const issue = await api.Issues.create(15, 'notes');
    const note = await api.IssueNotes.create(15, issue.iid, 'Checklist\n/label ~urgent\n/content/job-families/a.md is changed');
    expect(note.body).toBe('Checklist\n/content/job-families/a.md is changed');
    expect(sim.dump().violations.map((v) => [v.kind, v.target, v.text, v.user])).toEqual([
      ['quick-action', `issues/${issue.iid}/notes`, '/label ~urgent', 'handbook-bot'],
      ['quick-action', `issues/${issue.iid}/notes`, '/content/job-families/a.md is changed', 'handbook-bot'],
    ]);
  });

  it('answers 202 and saves nothing for a note made only of quick actions', async () => {
    const response = await call('/projects/15/merge_requests/1/notes', {
      method: 'POST',
      body: JSON.stringify({ body: '/close\n\n/merge' }),
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toHaveProperty('commands_changes');
    const viaGitbeaker = await api.MergeRequestNotes.create(15, 1, '/approve');
    expect(viaGitbeaker).not.toHaveProperty('id');
    expect(await api.MergeRequestNotes.all(15, 1)).toEqual([]);
    expect(
      sim
        .dump()
        .violations.filter((v) => v.kind === 'quick-action')
        .map((v) => v.text),
    ).toEqual(['/close', '/merge', '/approve']);
  });

  it('ignores commands inside code fences', async () => {
    const issue = await api.Issues.create(15, 'fenced');
    const body = 'Run:\n```\n/close\n```\n> quoted';
    expect((await api.IssueNotes.create(15, issue.iid, body)).body).toBe(body);
    expect(sim.dump().violations).toEqual([]);
  });

  it('records and strips quick actions in an issue description, on create and on edit', async () => {
    const issue = await api.Issues.create(15, 'okr', { description: 'intro\n/assign @alice\nend' });
    expect(issue.description).toBe('intro\nend');
    await api.Issues.edit(15, issue.iid, { description: 'x\n /close' });
    expect(sim.dump().violations.map((v) => [v.target, v.text])).toEqual([
      [`issues/${issue.iid}`, '/assign @alice'],
      [`issues/${issue.iid}`, '/close'],
    ]);
  });

  it('records @all, @here and group mentions, not mentions in code', async () => {
    const issue = await api.Issues.create(15, 'mentions');
    await api.IssueNotes.create(15, issue.iid, 'cc @all and @here, ping @acme; fine: @alice, `@all`, mail a@all.com');
    expect(sim.dump().violations.map((v) => [v.kind, v.text])).toEqual([
      ['mass-mention', '@all'],
      ['mass-mention', '@here'],
      ['mass-mention', '@acme'],
    ]);
  });
});

describe('label auto-creation', () => {
  it('creates unknown labels silently like GitLab, and records each as a violation', async () => {
    await api.ProjectLabels.create(15, 'OKR', '#0000ff');
    const issue = await api.Issues.create(15, 'labelled', { labels: 'OKR,job-family::new' });
    await api.Issues.edit(15, issue.iid, { addLabels: 'stray' });
    await api.MergeRequests.edit(15, 1, { addLabels: 'job-family::grade-change' });
    const dump = sim.dump();
    expect(dump.violations.map((v) => [v.kind, v.target, v.text])).toEqual([
      ['label-auto-created', `issues/${issue.iid}`, 'job-family::new'],
      ['label-auto-created', `issues/${issue.iid}`, 'stray'],
      ['label-auto-created', 'merge_requests/1', 'job-family::grade-change'],
    ]);
    expect(dump.projects[0]?.labels.find((l) => l.name === 'stray')).toMatchObject({ color: '#6699cc', description: null });
    expect(dump.projects[0]?.issues[0]?.labels).toEqual(['OKR', 'job-family::new', 'stray']);
  });
});

describe('authentication', () => {
  it('answers 401 without a token or with a wrong one', async () => {
    const none = await call('/user', { token: null });
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ message: '401 Unauthorized' });
    try {
      await gitlab(sim, 'wrong').Users.showCurrentUser();
      expect.fail('should have been refused');
    } catch (err) {
      expect(err).toBeInstanceOf(GitbeakerRequestError);
      expect((err as GitbeakerRequestError).message).toBe('401 Unauthorized');
    }
  });

  it('lets a read-only token read but answers 403 insufficient_scope on writes', async () => {
    const readOnly = gitlab(sim, READ_ONLY_TOKEN);
    expect((await readOnly.Projects.show(15)).id).toBe(15);
    await expect(readOnly.Issues.create(15, 'nope')).rejects.toThrow('insufficient_scope');
    expect(sim.dump().projects[0]?.issues).toEqual([]);
  });

  it('forbids label writes to users below Reporter', async () => {
    await expect(gitlab(sim, HUMAN_TOKEN).ProjectLabels.create(16, 'x', '#000000')).rejects.toThrow('403 Forbidden');
  });
});

describe('REST details', () => {
  it('sends GitLab pagination headers and caps per_page at 100', async () => {
    for (let i = 0; i < 3; i += 1) sim.state.addLabel(15, { name: `l${i}` });
    const response = await call('/projects/acme%2Fhandbook/labels?per_page=2&page=1');
    expect(
      Object.fromEntries(
        ['x-page', 'x-per-page', 'x-next-page', 'x-prev-page', 'x-total', 'x-total-pages'].map((h) => [h, response.headers.get(h)]),
      ),
    ).toEqual({
      'x-page': '1',
      'x-per-page': '2',
      'x-next-page': '2',
      'x-prev-page': '',
      'x-total': '4',
      'x-total-pages': '2',
    });
    const link = response.headers.get('link') ?? '';
    expect(link).toContain('rel="next"');
    expect(link).toContain('rel="first"');
    expect(link).toContain('rel="last"');
    expect(link).toContain(`${sim.url}/api/v4/projects/acme%2Fhandbook/labels?`);
    expect((await call('/projects/15/labels?per_page=500')).headers.get('x-per-page')).toBe('100');
  });

  it('answers GitLab error shapes for unknown routes and bad parameters', async () => {
    const unknown = await call('/projects/15/nothing-here');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: '404 Not Found' });
    const missing = await call('/projects/15/issues', { method: 'POST', body: '{}' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ error: 'title is missing' });
    const nothing = await call('/projects/15/issues/1', { method: 'PUT', body: '{}' });
    expect(nothing.status).toBe(404);
  });

  it('accepts form-encoded bodies and array parameters in the query', async () => {
    const form = await call('/projects/15/issues', {
      method: 'POST',
      body: 'title=from+a+form&labels=a,b',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(201);
    expect(await form.json()).toMatchObject({ title: 'from a form', labels: ['a', 'b'] });
    const filtered = (await (await call('/projects/15/issues?labels[]=a&labels[]=b')).json()) as unknown[];
    expect(filtered).toHaveLength(1);
  });
});

describe('faults', () => {
  it('answers every call 429 with Retry-After when rate429 is 1', async () => {
    sim.setFaults({ rate429: 1, retryAfterSeconds: 7 });
    const response = await call('/user');
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    // gitbeaker retries 429 itself, a few milliseconds apart, then gives up.
    await expect(api.Users.showCurrentUser()).rejects.toBeInstanceOf(GitbeakerRetryError);
    expect(sim.dump().faults.injected429).toBe(11);
    sim.setFaults({});
    expect((await api.Users.showCurrentUser()).username).toBe('handbook-bot');
  });

  it('answers 500 when rate500 is 1, and nothing is applied', async () => {
    sim.setFaults({ rate500: 1 });
    await expect(api.Issues.create(15, 'never')).rejects.toThrow('500 Internal Server Error');
    expect(sim.dump().projects[0]?.issues).toEqual([]);
    expect(sim.dump().faults.injected500).toBe(1);
  });

  it('applies a POST and then answers 502 in fail-after-apply mode (gitbeaker duplicates it)', async () => {
    const issue = await api.Issues.create(15, 'target');
    sim.setFaults({ failAfterApply: 1 });
    const raw = await call(`/projects/15/issues/${issue.iid}/notes`, { method: 'POST', body: JSON.stringify({ body: 'once' }) });
    expect(raw.status).toBe(502);
    expect(sim.dump().projects[0]?.issues[0]?.notes.map((n) => n.body)).toEqual(['once']);
    // gitbeaker's own retry of 502 re-sends the create: the reason the bot must look for its marker first.
    await expect(api.IssueNotes.create(15, issue.iid, 'dup')).rejects.toBeInstanceOf(GitbeakerRetryError);
    const dump = sim.dump();
    expect(dump.projects[0]?.issues[0]?.notes.filter((n) => n.body === 'dup')).toHaveLength(10);
    expect(dump.faults.injected502AfterApply).toBe(11);
    expect(dump.requests.writes.at(-1)).toMatchObject({ method: 'POST', status: 502, fault: '502-after-apply' });
  });

  it('gives per-action 429s without Retry-After to note and issue creation only', async () => {
    sim.setFaults({ rateActionLimit429: 1 });
    const response = await call('/projects/15/issues', { method: 'POST', body: JSON.stringify({ title: 'x' }) });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBeNull();
    expect((await call('/projects/15/labels', { method: 'POST', body: JSON.stringify({ name: 'ok', color: '#000000' }) })).status).toBe(
      201,
    );
    expect((await call('/projects/15/issues')).status).toBe(200);
  });

  it('picks the same requests to fail for the same seed', async () => {
    const statuses = async (s: GitLabSim): Promise<number[]> => {
      s.setFaults({ rate429: 0.3, rate500: 0.2, seed: 42 });
      const out: number[] = [];
      for (let i = 0; i < 30; i += 1) out.push((await fetch(`${s.url}/api/v4/user`, { headers: { 'PRIVATE-TOKEN': s.token } })).status);
      return out;
    };
    const other = await startSeededSim();
    try {
      const a = await statuses(sim);
      expect(a).toEqual(await statuses(other));
      expect(new Set(a)).toEqual(new Set([200, 429, 500]));
    } finally {
      await other.close();
    }
  });

  it('adds latency per call', async () => {
    sim.setFaults({ latencyMs: 60 });
    const started = performance.now();
    await api.Users.showCurrentUser();
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    expect(sim.dump().faults.delayedRequests).toBe(1);
  });
});

describe('dump', () => {
  it('is plain JSON and lists writes in order with their users', async () => {
    const human = gitlab(sim, HUMAN_TOKEN);
    const issue = await api.Issues.create(15, 'shared');
    await human.IssueNotes.create(15, issue.iid, 'human comment');
    await api.IssueNotes.create(15, issue.iid, 'bot reply');
    await api.Issues.edit(15, issue.iid, { stateEvent: 'close' });
    const dump = sim.dump();
    expect(JSON.parse(JSON.stringify(dump))).toEqual(dump);
    expect(dump.requests.writes.map((w) => [w.method, w.route, w.user, w.status])).toEqual([
      ['POST', '/projects/:id/issues', 'handbook-bot', 201],
      ['POST', '/projects/:id/issues/:noteable_iid/notes', 'alice', 201],
      ['POST', '/projects/:id/issues/:noteable_iid/notes', 'handbook-bot', 201],
      ['PUT', '/projects/:id/issues/:issue_iid', 'handbook-bot', 200],
    ]);
    const seqs = dump.requests.writes.map((w) => w.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(dump.projects[0]?.issues[0]).toMatchObject({
      state: 'closed',
      notes: [
        { body: 'human comment', author: 'alice' },
        { body: 'bot reply', author: 'handbook-bot' },
        { body: 'closed', system: true },
      ],
    });
    expect(dump.requests.byRoute['POST /projects/:id/issues/:noteable_iid/notes']).toBe(2);
  });
});
