import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { BotProcess } from './support/bot-process.js';
import { DayRun, describeReport } from './support/scenario.js';

/**
 * Fault (c): a worker is killed with SIGKILL in the middle of a job. BullMQ's stalled check (shortened
 * with HANDBOOK_BOT_WORKER_LOCK_MS, which also bounds the page and merge-request locks a dead worker
 * held) hands the job to the other worker, which finishes it.
 */
describe('e2e fault: a worker killed in the middle of a job', () => {
  let killed: { worker: BotProcess; jobs: string[] } | undefined;
  const run = new DayRun({
    name: 'worker-kill',
    workerLockMs: 3_000,
    simLatencyMs: 25,
    async midway(current) {
      // A job at least 50 ms in (with 25 ms a GitLab call, several calls from its end), so it is
      // really in the middle when the worker dies.
      const deadline = Date.now() + 30_000;
      while (killed === undefined && Date.now() < deadline) {
        const now = performance.now();
        const busy = current.workers.find((worker) => [...worker.activeJobs.values()].some((started) => now - started >= 50));
        if (busy !== undefined) {
          const jobs = [...busy.activeJobs.keys()];
          await busy.kill();
          killed = { worker: busy, jobs };
        } else await sleep(5);
      }
    },
  });
  afterAll(() => run.close());

  it('recovers the killed job on the other worker and ends in the exact final state', async () => {
    const report = await run.play();
    console.info(describeReport('worker-kill', report), killed?.jobs);
    if (run.day === undefined || run.config === undefined || run.dump === undefined || run.queue === undefined)
      throw new Error('the day did not run');
    if (killed === undefined) throw new Error('no worker was ever busy: nothing was killed');

    expect(killed.worker.running()).toBe(false);
    const survivor = run.workers.find((worker) => worker !== killed?.worker);
    for (const id of killed.jobs) {
      const job = await run.queue.getJob(id);
      // Completed jobs are kept (24 h), so the killed ones are still there to ask.
      expect(await job?.getState(), `job ${id}`).toBe('completed');
    }
    // Recovered as stalled and finished by the other worker (a job that finished in the instant
    // before the kill is the only one allowed not to be).
    expect(killed.jobs.some((id) => survivor?.finishedJobs.includes(id))).toBe(true);
    expect(await run.finalStateProblems()).toEqual([]);
    expect(report.counts.failed).toBe(0);
  });
});
