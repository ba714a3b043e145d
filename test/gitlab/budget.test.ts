import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisBudget, UNLIMITED_BUDGET, type RequestBudget } from '../../src/gitlab/budget.js';
import { RetryableGitLabError } from '../../src/gitlab/errors.js';
import { recordedRequests, strictNock } from '../support/strict-nock.js';
import { GITLAB_URL, P, PROJECT, issueJson, makeClient, noteJson } from './fixture.js';

const PREFIX = `test-gitlab-budget-${randomUUID()}`;
let redis: Redis;

beforeAll(() => {
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
});

afterEach(async () => {
  const keys = await redis.keys(`{${PREFIX}*`);
  if (keys.length > 0) await redis.del(...keys);
});

afterAll(async () => {
  await redis.quit();
});

function recordingSleep(): { sleep: (ms: number) => Promise<void>; slept: number[] } {
  const slept: number[] = [];
  return {
    slept,
    sleep: (ms) => {
      slept.push(ms);
      return new Promise((resolve) => setTimeout(resolve, ms));
    },
  };
}

describe('the request budget shared through Redis', () => {
  it('limits two client instances together: with 3 requests per window the 4th is handed back, unsent', async () => {
    const queuePrefix = `${PREFIX}-shared`;
    // Two budgets over one Redis stand for two worker processes.
    const budgetA = createRedisBudget({ redis, queuePrefix, requests: 3, creates: 50, maxWaitMs: 0 });
    const budgetB = createRedisBudget({ redis, queuePrefix, requests: 3, creates: 50, maxWaitMs: 0 });
    const a = makeClient({ budget: budgetA }).client;
    const b = makeClient({ budget: budgetB }).client;
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${P}/issues/1`).times(3).reply(200, issueJson(1));

    await a.getIssue(PROJECT, 1);
    await b.getIssue(PROJECT, 1);
    await a.getIssue(PROJECT, 1);
    const error = await b.getIssue(PROJECT, 1).catch((reason: unknown) => reason);

    expect(error).toBeInstanceOf(RetryableGitLabError);
    expect((error as RetryableGitLabError).message).toMatch(
      /^GitLab request budget exhausted for GET \/projects\/acme%2Fhandbook\/issues\/1 \(3 requests per 60 s across all workers\)/,
    );
    expect((error as RetryableGitLabError).delayMs).toBeGreaterThan(50_000);
    expect((error as RetryableGitLabError).delayMs).toBeLessThanOrEqual(60_000);
    expect(recordedRequests()).toHaveLength(3);
  });

  it('waits in-process when the window resets soon', async () => {
    const { sleep, slept } = recordingSleep();
    const budget = createRedisBudget({
      redis,
      queuePrefix: `${PREFIX}-wait`,
      requests: 2,
      creates: 50,
      windowSeconds: 1,
      maxWaitMs: 5_000,
      sleep,
    });
    const { client } = makeClient({ budget });
    strictNock(GITLAB_URL).get(`${P}/issues/1`).times(3).reply(200, issueJson(1));

    const started = Date.now();
    for (let call = 0; call < 3; call += 1) await client.getIssue(PROJECT, 1);

    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeGreaterThan(0);
    expect(slept[0]).toBeLessThanOrEqual(1_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual((slept[0] ?? 0) - 5);
  });

  it('counts note and issue creations in their own, smaller budget', async () => {
    const budget = createRedisBudget({ redis, queuePrefix: `${PREFIX}-creates`, requests: 100, creates: 1, maxWaitMs: 0 });
    const { client } = makeClient({ budget });
    const gitlab = strictNock(GITLAB_URL);
    gitlab.post(`${P}/issues/1/notes`).reply(201, noteJson(1));
    gitlab.put(`${P}/issues/1/notes/1`).reply(200, noteJson(1));

    await client.createNote(PROJECT, 'issues', 1, 'first');
    const error = await client.createNote(PROJECT, 'merge_requests', 2, 'second').catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(RetryableGitLabError);
    expect((error as Error).message).toContain('1 creates per 60 s');
    // Edits are not creates: still allowed.
    await client.editNote(PROJECT, 'issues', 1, 1, 'edited');
    expect(recordedRequests().map((request) => request.method)).toEqual(['POST', 'PUT']);
  });

  it('keeps keys under the deployment hash tag', async () => {
    const budget = createRedisBudget({ redis, queuePrefix: `${PREFIX}-keys`, requests: 10, creates: 10 });
    await budget.take('create', { method: 'POST', path: '/projects/1/issues' });
    expect((await redis.keys(`{${PREFIX}-keys}*`)).sort()).toEqual([
      `{${PREFIX}-keys}:gitlab-creates:gitlab`,
      `{${PREFIX}-keys}:gitlab-requests:gitlab`,
    ]);
  });

  it('lets requests through when Redis is unavailable (GitLab’s own 429s still guard)', async () => {
    const down = new Redis({ port: 1, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    try {
      const budget: RequestBudget = createRedisBudget({ redis: down, queuePrefix: `${PREFIX}-down`, requests: 1, creates: 1 });
      await expect(budget.take('request', { method: 'GET', path: '/user' })).resolves.toBeUndefined();
    } finally {
      down.disconnect();
    }
  });
});

describe('in-process budgets', () => {
  it('the unlimited budget never refuses', async () => {
    for (let call = 0; call < 1000; call += 1) await UNLIMITED_BUDGET.take('create', { method: 'POST', path: '/x' });
  });
});
