import { request, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobId } from '../../src/queue/jobs.js';
import { assertCanServe } from '../../src/webhook/server.js';
import { HANDBOOK, PAGE_A, handbookPush } from '../support/fixtures.js';
import { removePrefix, testRedis, uniquePrefix } from '../support/redis.js';
import { TEST_SECRET, testSettings } from '../support/settings.js';
import { startBot } from './harness.js';

describe('assertCanServe', () => {
  it('refuses to serve without WEBHOOK_SECRET when it could write to GitLab', () => {
    expect(() => assertCanServe({ webhookSecrets: [], dryRun: false, gitlabToken: 'glpat-x' })).toThrow(/WEBHOOK_SECRET is not set/);
    expect(() => assertCanServe({ webhookSecrets: [''], dryRun: false, gitlabToken: 'glpat-x' })).toThrow(/WEBHOOK_SECRET/);
  });

  it('serves with a secret, or without one in an explicit dry run', () => {
    expect(() => assertCanServe({ webhookSecrets: ['s'], dryRun: false, gitlabToken: 'glpat-x' })).not.toThrow();
    expect(() => assertCanServe({ webhookSecrets: [], dryRun: true, gitlabToken: undefined })).not.toThrow();
  });
});

describe('a dry run without a secret', () => {
  it('accepts deliveries without a token', async () => {
    const prefix = uniquePrefix('nosecret');
    const admin = testRedis();
    const settings = testSettings({ config: { handbook: { project: HANDBOOK.path } }, env: { queuePrefix: prefix, webhookSecrets: [] } });
    const bot = await startBot({ path: 'fast', prefix, settings });
    try {
      expect((await bot.post('Push Hook', handbookPush(), { headers: { 'x-gitlab-token': undefined } })).status).toBe(202);
      expect(bot.logs.some((line) => String(line.msg).includes('no WEBHOOK_SECRET'))).toBe(true);
    } finally {
      await bot.close();
      await removePrefix(admin, prefix);
      admin.disconnect();
    }
  });
});

describe('graceful shutdown', () => {
  const prefix = uniquePrefix('shutdown');
  let admin: Redis;
  beforeAll(() => {
    admin = testRedis();
  });
  afterAll(async () => {
    await removePrefix(admin, prefix);
    admin.disconnect();
  });

  it('turns unready, stops accepting, and lets the in-flight delivery finish', async () => {
    const settings = testSettings({ config: { handbook: { project: HANDBOOK.path } }, env: { queuePrefix: prefix } });
    const bot = await startBot({ path: 'fast', prefix, settings, drainDelayMs: 200 });
    const port = Number(new URL(bot.url).port);
    const push = handbookPush();
    const body = Buffer.from(JSON.stringify(push));

    // A delivery whose body is still arriving when the shutdown starts.
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/webhooks/gitlab',
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': body.length,
            'x-gitlab-token': TEST_SECRET,
            'x-gitlab-event': 'Push Hook',
          },
        },
        (res: IncomingMessage) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.write(body.subarray(0, 100));
      setTimeout(() => req.end(body.subarray(100)), 500);
    });
    await new Promise((resolve) => setTimeout(resolve, 50));

    const shutdown = bot.running?.shutdown();
    const ready = await bot.get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.json).toEqual({ status: 'unavailable', reason: 'shutting down' });

    // After the drain delay the listener is closed: new connections are refused.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.on('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.on('error', () => resolve(true));
    });
    expect(refused).toBe(true);

    const answer = await response;
    expect(answer.status).toBe(202);
    // No delivery id header: the job is identified by the push's before..after.
    expect((JSON.parse(answer.body) as { jobs: string[] }).jobs).toContain(
      jobId('page-sync', HANDBOOK.id, PAGE_A, `${push.before}..${push.after}`),
    );
    await shutdown;
    // Closed because the last request finished, not cut by the shutdown timeout.
    const messages = bot.logs.map((line) => String(line.msg));
    expect(messages).toContain('server closed');
    expect(messages).not.toContain('shutdown timeout: closing open connections');
    expect(await bot.jobCount()).toBe(2);
    await bot.close();
  });
});
