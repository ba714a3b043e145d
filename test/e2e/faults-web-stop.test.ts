import { afterAll, describe, expect, it } from 'vitest';
import { DayRun, describeReport } from './support/scenario.js';

/**
 * Fault (d): one web process is stopped (SIGTERM) while deliveries arrive. Its in-flight deliveries
 * finish; the ones after are refused, and GitLab's redelivery (the harness's) reaches the other web
 * process. Nothing is lost and nothing is done twice.
 */
describe('e2e fault: a web process stopped while deliveries arrive', () => {
  const run = new DayRun({
    name: 'web-stop',
    deliveryConcurrency: 2,
    async midway(current) {
      await current.webs[0]?.stop();
    },
  });
  afterAll(() => run.close());

  it('redelivers to the other web process and ends in the exact final state', async () => {
    const report = await run.play();
    console.info(describeReport('web-stop', report));
    if (run.day === undefined || run.config === undefined || run.dump === undefined) throw new Error('the day did not run');

    expect(run.webs[0]?.running()).toBe(false);
    expect(report.redeliveries).toBeGreaterThan(0);
    expect(await run.finalStateProblems()).toEqual([]);
    expect(report.counts.failed).toBe(0);
    expect((report.answers.queued ?? 0) + (report.answers.duplicate ?? 0)).toBe(2 * report.events);
  });
});
