import { afterAll, describe, expect, it } from 'vitest';
import { DayRun, describeReport } from './support/scenario.js';

/**
 * Fault (a): GitLab answers 20 % of the bot's calls with 429 (Retry-After: 1) or 500, and, on top,
 * 5 % of its POSTs are applied and then answered 502 (a proxy timing out). Retries (in the requester,
 * then BullMQ's) must get every job through, and a create whose fate is unknown must never be re-sent
 * blindly: the final state is the same exact state as on a good day.
 */
describe('e2e fault: GitLab answers 429 or 500 to 20 % of calls', () => {
  const run = new DayRun({
    name: 'gitlab-faults',
    faults: { rate429: 0.1, rate500: 0.1, failAfterApply: 0.05, retryAfterSeconds: 1, seed: 20 },
  });
  afterAll(() => run.close());

  it('ends in the exact final state, with no failed job', async () => {
    const report = await run.play();
    console.info(describeReport('gitlab-faults', report));
    if (run.day === undefined || run.config === undefined || run.dump === undefined) throw new Error('the day did not run');

    expect(report.faults.injected429).toBeGreaterThan(0);
    expect(report.faults.injected500).toBeGreaterThan(0);
    expect(await run.finalStateProblems()).toEqual([]);
    expect(report.counts.failed).toBe(0);
    expect((report.answers.queued ?? 0) + (report.answers.duplicate ?? 0)).toBe(2 * report.events);
  });
});
