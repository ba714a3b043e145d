import { JOB_NAMES, type JobName } from '../../src/queue/jobs.js';
import type { JobOf, Processors } from '../../src/queue/worker.js';

/** The same kind of processor for every job name (record, count, refuse), with some replaced. */
export function everyProcessor(
  make: (name: JobName) => (job: JobOf<JobName>) => Promise<unknown>,
  overrides: Partial<Processors> = {},
): Processors {
  const all = Object.fromEntries(JOB_NAMES.map((name) => [name, make(name)])) as Processors;
  return { ...all, ...overrides };
}
