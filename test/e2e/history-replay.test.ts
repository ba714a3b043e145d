import { describe, expect, it } from 'vitest';
import { formatDifferences } from '../support/oracle/view-diff.js';
import { describeReplay, replayHistory } from './support/history-replay.js';

/**
 * Short forms of the real-history replay (`npm run bench:replay` runs all 39 commits), each in bursts
 * of shuffled and duplicated deliveries through the running bot. The GitLab state must be the one a
 * fresh `sync` of the final tree builds in a clean simulator, every merge request must carry one
 * checklist that names its pages, and no job may fail.
 */
describe('e2e: real handbook history replayed through the bot', () => {
  it('from the empty handbook: 44 pages added at once, then 9 merge requests that add and edit pages (manifest rows 1–10)', async () => {
    const report = await replayHistory({ from: 1, to: 11, burst: 5, seed: 10 });
    console.info(describeReplay(report));
    expect(report.failedJobs).toEqual([]);
    expect(report.checklistProblems).toEqual([]);
    expect(formatDifferences(report.differences)).toBe('');
    expect(report.commits).toBe(10);
    expect(report.deliveries).toBeGreaterThanOrEqual(report.events);
  });

  it('renames and removals: the legal department moved to legal-and-corporate-affairs with its pages, a page removed (rows 17–27, after a backfill sync)', async () => {
    const report = await replayHistory({ from: 17, to: 28, burst: 5, seed: 11 });
    console.info(describeReplay(report));
    expect(report.failedJobs).toEqual([]);
    expect(report.checklistProblems).toEqual([]);
    expect(formatDifferences(report.differences)).toBe('');
    expect(report.commits).toBe(11);
  });
});
