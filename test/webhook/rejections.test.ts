import { request } from 'node:http';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HANDBOOK, fixtureText, handbookPush } from '../support/fixtures.js';
import { removePrefix, testRedis, uniquePrefix } from '../support/redis.js';
import { testSettings } from '../support/settings.js';
import { PATHS, deliveryLines, startBot, type BotUnderTest } from './harness.js';

/** Bad input: a precise status and message, never a stack trace, and nothing queued. */
describe.each(PATHS)('webhook rejections (%s path)', (path) => {
  const prefix = uniquePrefix(`rejections-${path}`);
  const limit = 64 * 1024;
  let bot: BotUnderTest;
  let admin: Redis;

  beforeAll(async () => {
    admin = testRedis();
    const settings = testSettings({ config: { handbook: { project: HANDBOOK.path } }, env: { queuePrefix: prefix } });
    // A small limit keeps the test fast; the production limit (25 MB) has its own test below.
    bot = await startBot({ path, prefix, settings, bodyLimitBytes: limit });
  });
  beforeEach(async () => {
    await removePrefix(admin, prefix);
    bot.logs.length = 0;
  });
  afterAll(async () => {
    await bot.close();
    await removePrefix(admin, prefix);
    admin.disconnect();
  });

  const expectError = async (reply: { status: number; json: Record<string, unknown>; text: string }, status: number, message: string) => {
    expect(reply.status).toBe(status);
    expect(reply.json).toEqual({ status: 'error', message });
    expect(reply.text).not.toMatch(/\bat .*\.(ts|js):\d+/);
    expect(await bot.jobCount()).toBe(0);
  };

  it('401 without a token', async () => {
    await expectError(
      await bot.post('Push Hook', handbookPush(), { headers: { 'x-gitlab-token': undefined } }),
      401,
      'missing X-Gitlab-Token',
    );
  });

  it('401 with a wrong token', async () => {
    await expectError(
      await bot.post('Push Hook', handbookPush(), { headers: { 'x-gitlab-token': 'guess' } }),
      401,
      'invalid X-Gitlab-Token',
    );
    expect(deliveryLines(bot.logs)[0]).toMatchObject({ outcome: 'unauthorized', status: 401 });
    expect(JSON.stringify(bot.logs)).not.toContain('guess');
  });

  it('400 for malformed JSON', async () => {
    await expectError(await bot.post('Push Hook', '{"object_kind": "push",'), 400, 'malformed JSON at position 23');
  });

  it('400 for an empty body', async () => {
    await expectError(await bot.post('Push Hook', ''), 400, 'empty body');
  });

  it('400 naming the field for valid JSON of the wrong shape', async () => {
    const push = handbookPush() as unknown as { commits: Array<Record<string, unknown>> };
    const first = push.commits[0];
    if (first) first.added = 'content/job-families/a.md';
    await expectError(await bot.post('Push Hook', push), 400, 'commits[0].added: expected array');
  });

  it('400 naming a missing field', async () => {
    const push = handbookPush() as unknown as Record<string, unknown>;
    delete push.total_commits_count;
    await expectError(await bot.post('Push Hook', push), 400, 'total_commits_count: required (expected number)');
  });

  it('400 for a body that is not an object', async () => {
    await expectError(await bot.post('Merge Request Hook', '[1,2]'), 400, 'body: expected object');
  });

  it('400 without X-Gitlab-Event', async () => {
    await expectError(await bot.post(undefined, handbookPush()), 400, 'missing X-Gitlab-Event header');
  });

  it('415 for a body that is not JSON', async () => {
    await expectError(
      await bot.post('Push Hook', 'ref=refs/heads/master', { headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      415,
      'content-type must be application/json',
    );
  });

  it('415 for a compressed body', async () => {
    await expectError(
      await bot.post('Push Hook', fixtureText('push'), { headers: { 'content-encoding': 'gzip' } }),
      415,
      'unsupported content-encoding "gzip"',
    );
  });

  it('413 for a body over the limit (declared length)', async () => {
    const big = JSON.stringify({ ...handbookPush(), padding: 'x'.repeat(limit) });
    await expectError(await bot.post('Push Hook', big), 413, `request body is larger than ${limit} bytes`);
  });

  it('413 for a chunked body that grows over the limit', async () => {
    const { port } = new URL(bot.url);
    const reply = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/webhooks/gitlab',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-gitlab-token': 'test-webhook-secret', 'x-gitlab-event': 'Push Hook' },
        },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      // No content-length: node sends it chunked, so only counting the bytes can catch it.
      const chunk = 'x'.repeat(16 * 1024);
      for (let sent = 0; sent <= limit * 2; sent += chunk.length) req.write(chunk);
      req.end();
    });
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body)).toEqual({ status: 'error', message: `request body is larger than ${limit} bytes` });
    expect(await bot.jobCount()).toBe(0);
  });

  it('answers 404 in JSON for an unknown route', async () => {
    const reply = await bot.get('/webhooks/github');
    expect(reply.status).toBe(404);
    expect(reply.json).toEqual({ status: 'error', message: 'not found' });
  });
});

describe('the production body limit', () => {
  it('accepts a 20 MB delivery and refuses one over 25 MB', async () => {
    const prefix = uniquePrefix('limit');
    const admin = testRedis();
    const bot = await startBot({
      path: 'fast',
      prefix,
      settings: testSettings({ config: { handbook: { project: HANDBOOK.path } }, env: { queuePrefix: prefix } }),
    });
    try {
      const push = handbookPush();
      const big = JSON.stringify({ ...push, padding: 'x'.repeat(20 * 1024 * 1024) });
      expect((await bot.post('Push Hook', big)).status).toBe(202);
      const tooBig = JSON.stringify({ ...push, padding: 'x'.repeat(25 * 1024 * 1024) });
      expect((await bot.post('Push Hook', tooBig)).status).toBe(413);
    } finally {
      await bot.close();
      await removePrefix(admin, prefix);
      admin.disconnect();
    }
  });
});
