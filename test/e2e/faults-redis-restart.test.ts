import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { DayRun, describeReport } from './support/scenario.js';

/**
 * Fault (b): Redis stops (SHUTDOWN) in the middle of the day and comes back on the same port. A Redis
 * of the scenario's own, with an append-only file as production runs it, so the queue survives. Web
 * processes answer 503 meanwhile (GitLab redelivers: the harness does), workers reconnect and finish.
 */
describe('e2e fault: Redis restarted in the middle of the run', () => {
  let restarted = false;
  let jobsInFlight = 0;
  const run = new DayRun({
    name: 'redis-restart',
    redis: 'private',
    // A little GitLab latency keeps jobs in flight while Redis goes away.
    simLatencyMs: 10,
    // A job whose completion could not be written while Redis was away stays "active" until BullMQ's
    // stalled check hands it out again: with the default 30 s lock that is up to a minute.
    workerLockMs: 5_000,
    async midway(current) {
      const redis = current.privateRedis;
      if (redis === undefined) throw new Error('no private Redis');
      // Pull the plug while a worker is in the middle of a job (bounded wait).
      const deadline = Date.now() + 10_000;
      while (current.workers.every((worker) => worker.activeJobs.size === 0) && Date.now() < deadline) await sleep(5);
      jobsInFlight = current.workers.reduce((sum, worker) => sum + worker.activeJobs.size, 0);
      await redis.shutdown();
      await sleep(1_500);
      await redis.start();
      restarted = true;
    },
  });
  afterAll(() => run.close());

  it('ends in the exact final state, with no failed job and no lost delivery', async () => {
    const report = await run.play();
    console.info(describeReport('redis-restart', report));
    if (run.day === undefined || run.config === undefined || run.dump === undefined) throw new Error('the day did not run');

    expect(restarted).toBe(true);
    expect(jobsInFlight).toBeGreaterThan(0);
    expect(await run.finalStateProblems()).toEqual([]);
    expect(report.counts.failed).toBe(0);
    expect((report.answers.queued ?? 0) + (report.answers.duplicate ?? 0)).toBe(2 * report.events);
  });
});
