import { describe, expect, it } from 'vitest';
import { RetryableGitLabError } from '../../src/gitlab/errors.js';
import { recordedRequests, recordedWrites, strictNock } from '../support/strict-nock.js';
import { GITLAB_URL, P, PROJECT, TOKEN, issueJson, makeClient, noteJson } from './fixture.js';

const json = { 'content-type': 'application/json' };

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('retry policy in the requester', () => {
  it('429 with Retry-After: 2 is retried after exactly 2000 ms', async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${P}/issues/1`).reply(429, { message: '429 Too Many Requests' }, { ...json, 'retry-after': '2' });
    gitlab.get(`${P}/issues/1`).reply(200, issueJson(1));
    const { client, sleeps } = makeClient();
    expect((await client.getIssue(PROJECT, 1)).iid).toBe(1);
    expect(sleeps).toEqual([2000]);
    expect(client.stats()).toEqual({ reads: 2, writes: 0, retries: 1, dryRunWrites: 0 });
  });

  it('429 with an HTTP-date Retry-After waits until that date', async () => {
    const gitlab = strictNock(GITLAB_URL);
    const at = new Date(Date.now() + 10_000).toUTCString();
    gitlab.get(`${P}/issues/1`).reply(429, '', { 'retry-after': at });
    gitlab.get(`${P}/issues/1`).reply(200, issueJson(1));
    const { client, sleeps } = makeClient();
    await client.getIssue(PROJECT, 1);
    expect(sleeps).toHaveLength(1);
    // An HTTP date has one-second precision.
    expect(sleeps[0]).toBeGreaterThan(8_000);
    expect(sleeps[0]).toBeLessThanOrEqual(10_000);
  });

  it('429 without Retry-After (per-action limits) still backs off, and a refused create is re-sent', async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab.post(`${P}/issues/1/notes`, { body: 'hello' }).reply(429, { message: 'This endpoint has been requested too many times' }, json);
    gitlab.post(`${P}/issues/1/notes`, { body: 'hello' }).reply(429, { message: 'This endpoint has been requested too many times' }, json);
    gitlab.post(`${P}/issues/1/notes`, { body: 'hello' }).reply(201, noteJson(7, 'hello'));
    const { client, sleeps } = makeClient({ random: () => 0.5 });
    expect((await client.createNote(PROJECT, 'issues', 1, 'hello')).id).toBe(7);
    // Equal jitter over 4 s, then 8 s: never close to zero.
    expect(sleeps).toEqual([3000, 6000]);
    expect(recordedWrites()).toHaveLength(3);
  });

  it('a Retry-After longer than the in-process allowance hands the job back with that delay', async () => {
    strictNock(GITLAB_URL).get(`${P}/issues/1`).reply(429, '', { 'retry-after': '120' });
    const { client, sleeps } = makeClient();
    const error = await caught(client.getIssue(PROJECT, 1));
    expect(error).toBeInstanceOf(RetryableGitLabError);
    expect((error as RetryableGitLabError).delayMs).toBe(120_000);
    expect((error as RetryableGitLabError).status).toBe(429);
    expect(sleeps).toEqual([]);
  });

  it('500 then 200 on a GET succeeds after one retry with jittered backoff', async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${P}/issues/1`).reply(500, { message: '500 Internal Server Error' }, json);
    gitlab.get(`${P}/issues/1`).reply(200, issueJson(1));
    const { client, sleeps, logs } = makeClient({ random: () => 0.25 });
    expect((await client.getIssue(PROJECT, 1)).iid).toBe(1);
    expect(sleeps).toEqual([250]); // full jitter: 0.25 × 1000 ms
    expect(logs.some((line) => line.level === 40 && String(line.msg).includes('failed with 500'))).toBe(true);
  });

  it('5xx on every attempt: gives up after 3 attempts with a RetryableGitLabError', async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${P}/issues/1`).times(3).reply(503, 'Service Unavailable', { 'content-type': 'text/plain' });
    const { client, sleeps } = makeClient({ random: () => 1 });
    const error = await caught(client.getIssue(PROJECT, 1));
    expect(error).toBeInstanceOf(RetryableGitLabError);
    expect((error as Error).message).toMatch(/GET \/projects\/acme%2Fhandbook\/issues\/1 failed with 503 .*attempt 3 of 3/);
    expect(sleeps).toEqual([1000, 2000]);
    expect(recordedRequests()).toHaveLength(3);
  });

  it('500 on a POST throws RetryableGitLabError and does NOT re-send the create', async () => {
    strictNock(GITLAB_URL).post(`${P}/issues`).reply(500, { message: '500 Internal Server Error' }, json);
    const { client, sleeps } = makeClient();
    const error = await caught(client.createIssue(PROJECT, { title: 'OKRs', description: 'x' }));
    expect(error).toBeInstanceOf(RetryableGitLabError);
    expect((error as Error).message).toMatch(/not re-sent because the create may have gone through/);
    expect(recordedWrites()).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('a connection reset during a POST is not re-sent; a refused connection is', async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab.post(`${P}/issues/1/notes`).replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    const { client } = makeClient();
    expect(await caught(client.createNote(PROJECT, 'issues', 1, 'a'))).toBeInstanceOf(RetryableGitLabError);
    expect(recordedRequests()).toHaveLength(1);

    gitlab.post(`${P}/issues/1/notes`).replyWithError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' });
    gitlab.post(`${P}/issues/1/notes`).reply(201, noteJson(8, 'a'));
    expect((await client.createNote(PROJECT, 'issues', 1, 'a')).id).toBe(8);
    expect(recordedRequests()).toHaveLength(3);
  });

  it('network errors and 5xx on idempotent PUT and DELETE are retried', async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab.put(`${P}/issues/1/notes/5`).replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    gitlab.put(`${P}/issues/1/notes/5`).reply(200, noteJson(5, 'b'));
    gitlab.delete(`${P}/issues/1/notes/6`).reply(502, 'Bad Gateway');
    gitlab.delete(`${P}/issues/1/notes/6`).reply(204);
    const { client, sleeps } = makeClient();
    expect((await client.editNote(PROJECT, 'issues', 1, 5, 'b')).body).toBe('b');
    await client.deleteNote(PROJECT, 'issues', 1, 6);
    expect(sleeps).toHaveLength(2);
    expect(client.stats()).toEqual({ reads: 0, writes: 4, retries: 2, dryRunWrites: 0 });
  });

  it('the total wait is capped: a policy allowing 1 s in-process hands back a 2 s Retry-After', async () => {
    strictNock(GITLAB_URL).get(`${P}/issues/1`).reply(429, '', { 'retry-after': '2' });
    const { client, sleeps } = makeClient({ retry: { maxTotalWaitMs: 1000 } });
    const error = await caught(client.getIssue(PROJECT, 1));
    expect((error as RetryableGitLabError).delayMs).toBe(2000);
    expect(sleeps).toEqual([]);
  });

  it('never puts the token in errors or logs, even when the cause quotes the request headers', async () => {
    // nock's no-match error quotes the request headers: a realistic stand-in for a verbose proxy error.
    strictNock(GITLAB_URL)
      .get(`${P}/issues/1`)
      .times(3)
      .replyWithError({ code: 'ECONNRESET', message: `echo ${TOKEN}` });
    const { client, logs } = makeClient();
    const error = await caught(client.getIssue(PROJECT, 1));
    expect(String((error as Error).message)).not.toContain(TOKEN);
    expect(String(((error as Error).cause as Error).message)).not.toContain(TOKEN);
    expect(JSON.stringify(logs)).not.toContain(TOKEN);
  });
});
