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
    const withCron = testSettings({
      config: { sync: { cron: '30 2 * * *' }, okr: { rollover: { enabled: false } } },
      env: { queuePrefix: prefix },
    });
    const first = await startWorkerRole(withCron, { logger, gitlab });
    const second = await startWorkerRole(withCron, { logger, gitlab });
    const schedulers = await first.queue.getJobSchedulers();
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({ key: 'sync-all', name: 'sync-all', pattern: '30 2 * * *' });
    await Promise.all([first.stop(), second.stop()]);

    const withoutCron = await startWorkerRole(
      testSettings({ config: { okr: { rollover: { enabled: false } } }, env: { queuePrefix: prefix } }),
      { logger, gitlab },
    );
    expect(await withoutCron.queue.getJobSchedulers()).toEqual([]);
    await withoutCron.stop();
  });

  it('schedules the quarter rollover by default (daily cron, or every N ms), and removes it only when the config turns it off', async () => {
    const rolloverPrefix = `${prefix}-rollover`;
    const byDefault = await startWorkerRole(testSettings({ env: { queuePrefix: rolloverPrefix } }), { logger, gitlab });
    const schedulers = await byDefault.queue.getJobSchedulers();
    expect(schedulers.map((scheduler) => [scheduler.key, scheduler.name, scheduler.pattern])).toEqual([
      ['quarter-rollover', 'quarter-rollover', '10 0 * * *'],
    ]);
    await byDefault.stop();

    const hourly = await startWorkerRole(
      testSettings({ config: { okr: { rollover: { every: 3_600_000 } } }, env: { queuePrefix: rolloverPrefix } }),
      { logger, gitlab },
    );
    expect((await hourly.queue.getJobSchedulers()).map((scheduler) => [scheduler.key, scheduler.every])).toEqual([
      ['quarter-rollover', 3_600_000],
    ]);
    await hourly.stop();

    const off = await startWorkerRole(
      testSettings({ config: { okr: { rollover: { enabled: false } } }, env: { queuePrefix: rolloverPrefix } }),
      { logger, gitlab },
    );
    expect(await off.queue.getJobSchedulers()).toEqual([]);
    await off.stop();
    await removePrefix(admin, rolloverPrefix);
  });
});
