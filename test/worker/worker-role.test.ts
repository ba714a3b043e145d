import { afterAll, describe, expect, it } from 'vitest';
import { GitLabClient } from '../../src/gitlab/client.js';
import { createLogger } from '../../src/log.js';
import { startWorkerRole } from '../../src/worker/worker-role.js';
import { removePrefix, testRedis, uniquePrefix } from '../support/redis.js';
import { testSettings } from '../support/settings.js';

const prefix = uniquePrefix('workerrole');
const logger = createLogger('silent');
const gitlab = new GitLabClient({ url: 'https://gitlab.example.com', dryRun: true, logger });
const admin = testRedis();

afterAll(async () => {
  await removePrefix(admin, prefix);
  admin.disconnect();
});

describe('the worker role', () => {
  it('schedules the periodic reconcile when sync.cron is set, once however many workers start, and removes it when unset', async () => {
    const withCron = testSettings({ config: { sync: { cron: '30 2 * * *' } }, env: { queuePrefix: prefix } });
    const first = await startWorkerRole(withCron, { logger, gitlab });
    const second = await startWorkerRole(withCron, { logger, gitlab });
    const schedulers = await first.queue.getJobSchedulers();
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({ key: 'sync-all', name: 'sync-all', pattern: '30 2 * * *' });
    await Promise.all([first.stop(), second.stop()]);

    const withoutCron = await startWorkerRole(testSettings({ env: { queuePrefix: prefix } }), { logger, gitlab });
    expect(await withoutCron.queue.getJobSchedulers()).toEqual([]);
    await withoutCron.stop();
  });
});
