import { randomBytes, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signPayload } from '../../src/webhook/verify.js';
import { HANDBOOK, handbookPush } from '../support/fixtures.js';
import { removePrefix, testRedis, uniquePrefix } from '../support/redis.js';
import { testSettings } from '../support/settings.js';
import { PATHS, startBot, type BotUnderTest } from './harness.js';

const SIGNING_TOKEN = `whsec_${randomBytes(32).toString('base64')}`;
const now = () => Math.floor(Date.now() / 1000);

function signed(body: string, options: { timestamp?: number; id?: string; token?: string } = {}) {
  const id = options.id ?? `msg_${randomUUID()}`;
  const timestamp = options.timestamp ?? now();
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signPayload(options.token ?? SIGNING_TOKEN, id, timestamp, body),
  };
}

describe.each(PATHS)('signed deliveries (%s path)', (path) => {
  const prefix = uniquePrefix(`signature-${path}`);
  let bot: BotUnderTest;
  let admin: Redis;

  beforeAll(async () => {
    admin = testRedis();
    const settings = testSettings({
      config: { handbook: { project: HANDBOOK.path } },
      env: { queuePrefix: prefix, webhookSigningToken: SIGNING_TOKEN },
    });
    bot = await startBot({ path, prefix, settings });
  });
  beforeEach(async () => {
    await removePrefix(admin, prefix);
  });
  afterAll(async () => {
    await bot.close();
    await removePrefix(admin, prefix);
    admin.disconnect();
  });

  it('accepts a valid signature over the raw bytes', async () => {
    // Odd whitespace: the HMAC must be over the bytes as sent, not over re-serialized JSON.
    const body = JSON.stringify(handbookPush(), null, 3);
    const reply = await bot.post('Push Hook', body, { headers: signed(body) });
    expect(reply.status).toBe(202);
    expect(await bot.jobCount()).toBe(2);
  });

  it('accepts one valid signature among several (key rotation)', async () => {
    const body = JSON.stringify(handbookPush());
    const headers = signed(body);
    const other = signed(body, {
      id: headers['webhook-id'],
      timestamp: Number(headers['webhook-timestamp']),
      token: `whsec_${randomBytes(32).toString('base64')}`,
    });
    headers['webhook-signature'] = `${other['webhook-signature']} ${headers['webhook-signature']}`;
    expect((await bot.post('Push Hook', body, { headers })).status).toBe(202);
  });

  it('401 for a tampered body', async () => {
    const body = JSON.stringify(handbookPush());
    const headers = signed(body);
    const tampered = body.replace('refs/heads/master', 'refs/heads/mastex');
    const reply = await bot.post('Push Hook', tampered, { headers });
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual({ status: 'error', message: 'webhook signature does not match' });
    expect(await bot.jobCount()).toBe(0);
  });

  it('401 for an old timestamp, even correctly signed', async () => {
    const body = JSON.stringify(handbookPush());
    const reply = await bot.post('Push Hook', body, { headers: signed(body, { timestamp: now() - 6 * 60 }) });
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual({ status: 'error', message: 'webhook-timestamp outside the tolerance' });
    expect(await bot.jobCount()).toBe(0);
  });

  it('401 without the signature headers, even with the right token', async () => {
    const reply = await bot.post('Push Hook', handbookPush());
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual({ status: 'error', message: 'missing webhook signature headers' });
  });

  it('still requires the token', async () => {
    const body = JSON.stringify(handbookPush());
    const reply = await bot.post('Push Hook', body, { headers: { ...signed(body), 'x-gitlab-token': undefined } });
    expect(reply.status).toBe(401);
  });
});
