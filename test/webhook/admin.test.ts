import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageSyncJob } from '../../src/queue/job-specs.js';
import { startBot, type BotUnderTest } from './harness.js';

const ADMIN_TOKEN = 'admin-token-for-tests';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('/admin/queues', () => {
  let withAdmin: BotUnderTest;
  let withoutAdmin: BotUnderTest;

  beforeAll(async () => {
    withAdmin = await startBot({
      path: 'fast',
      prefix: `hbt-test-admin-${randomUUID().slice(0, 8)}`,
      admin: { adminToken: ADMIN_TOKEN, readOnly: true },
    });
    withoutAdmin = await startBot({ path: 'fast', prefix: `hbt-test-admin-${randomUUID().slice(0, 8)}` });
    const spec = pageSyncJob({ projectId: 1, path: 'content/job-families/a.md', change: 'modified', commit: 'abc', trigger: 'webhook' });
    await withAdmin.queue.add(spec.name, spec.data, { jobId: spec.id });
  });

  afterAll(async () => {
    for (const bot of [withAdmin, withoutAdmin]) {
      await bot.queue.obliterate({ force: true });
      await bot.close();
    }
  });

  const get = (bot: BotUnderTest, path: string, authorization?: string) =>
    fetch(`${bot.url}${path}`, authorization === undefined ? {} : { headers: { authorization } });

  it('does not exist without ADMIN_TOKEN', async () => {
    expect((await get(withoutAdmin, '/admin/queues', `Bearer ${ADMIN_TOKEN}`)).status).toBe(404);
  });

  it('refuses a missing or wrong token, asking a browser for Basic auth', async () => {
    const missing = await get(withAdmin, '/admin/queues');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    expect((await get(withAdmin, '/admin/queues/api/queues', 'Bearer wrong')).status).toBe(401);
    expect((await get(withAdmin, '/admin/queues/api/queues', basic('admin', 'wrong'))).status).toBe(401);
  });

  it('serves the dashboard and its API to the token (Bearer or Basic), read-only by default', async () => {
    const page = await get(withAdmin, '/admin/queues', `Bearer ${ADMIN_TOKEN}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');

    const api = await get(withAdmin, '/admin/queues/api/queues', basic('anyone', ADMIN_TOKEN));
    expect(api.status).toBe(200);
    const body = (await api.json()) as { queues: Array<{ name: string; readOnlyMode: boolean; counts: Record<string, number> }> };
    expect(body.queues).toHaveLength(1);
    expect(body.queues[0]).toMatchObject({ name: 'work', readOnlyMode: true });
    expect(body.queues[0]?.counts.waiting).toBe(1);

    const clean = await fetch(`${withAdmin.url}/admin/queues/api/queues/work/clean/waiting`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(clean.status).toBeGreaterThanOrEqual(400);
    expect(await withAdmin.jobCount()).toBe(1);
  });
});
