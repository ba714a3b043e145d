import { afterAll, describe, expect, it } from 'vitest';
import { DayRun, describeReport } from './support/scenario.js';

/**
 * The scripted day with nothing going wrong: 2 web and 2 worker processes, real Redis, the GitLab
 * simulator. Pushes (a 25-commit one among them), merge requests opened and updated, recruiting issues
 * (some confidential) and commands, each delivered twice, in a shuffled order, across both web
 * processes. The final GitLab state must be exactly what the design says.
 */
describe('e2e: a day of handbook activity', () => {
  const run = new DayRun({ name: 'day' });
  afterAll(() => run.close());

  it('ends with exactly one of everything, at the latest commit, and no failed job', async () => {
    const report = await run.play();
    console.info(describeReport('day', report));
    if (run.day === undefined || run.config === undefined || run.dump === undefined) throw new Error('the day did not run');

    expect(await run.finalStateProblems()).toEqual([]);
    expect(report.counts.failed).toBe(0);
    // Every copy was answered; the second copy of each event as a duplicate (or queued by a racing twin).
    expect(report.deliveries).toBe(2 * report.events);
    expect((report.answers.queued ?? 0) + (report.answers.duplicate ?? 0)).toBe(report.deliveries);
    expect(report.answers.duplicate).toBe(report.events);
  });
});
