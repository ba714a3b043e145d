import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDBOOK, handbookPush } from '../support/fixtures.js';
import { removePrefix, testRedis, uniquePrefix } from '../support/redis.js';
import { testSettings } from '../support/settings.js';
import { PATHS, startBot, type BotUnderTest } from './harness.js';

describe.each(PATHS)('health, readiness and metrics (%s path)', (path) => {
  const prefix = uniquePrefix(`endpoints-${path}`);
  let bot: BotUnderTest;
  let admin: Redis;

  beforeAll(async () => {
    admin = testRedis();
    const settings = testSettings({ config: { handbook: { project: HANDBOOK.path } }, env: { queuePrefix: prefix } });
    bot = await startBot({ path, prefix, settings });
  });
  afterAll(async () => {
    await bot.close();
    await removePrefix(admin, prefix);
    admin.disconnect();
  });

  it('GET /healthz: alive', async () => {
    const reply = await bot.get('/healthz');
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ status: 'ok' });
  });

  it('GET /readyz: Redis answers', async () => {
    const reply = await bot.get('/readyz');
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ status: 'ready' });
  });

  it('GET /metrics: deliveries by event and outcome, enqueue latency, queue depth', async () => {
    await bot.post('Push Hook', handbookPush());
    await bot.post('Push Hook', handbookPush(), { headers: { 'x-gitlab-token': 'nope' } });
    await bot.post('Pipeline Hook', {});
    await bot.post('Made-up Hook', {});

    const reply = await bot.get('/metrics');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toContain('text/plain');
    const text = reply.text;
    expect(text).toContain('handbook_bot_webhook_deliveries_total{event="Push Hook",outcome="queued"} 1');
    expect(text).toContain('handbook_bot_webhook_deliveries_total{event="Push Hook",outcome="unauthorized"} 1');
    expect(text).toContain('handbook_bot_webhook_deliveries_total{event="Pipeline Hook",outcome="ignored"} 1');
    // Sender-chosen event names do not become labels.
    expect(text).toContain('handbook_bot_webhook_deliveries_total{event="other",outcome="ignored"} 1');
    expect(text).toContain('handbook_bot_webhook_enqueue_seconds_count 1');
    expect(text).toMatch(/handbook_bot_webhook_enqueue_seconds_bucket\{le="0.1"\} 1/);
    expect(text).toContain('handbook_bot_queue_jobs{state="waiting"} 2');
    expect(text).toContain('handbook_bot_queue_jobs{state="failed"} 0');
    expect(text).toContain('handbook_bot_process_cpu_seconds_total');
  });
});
