import { describe, expect, it } from 'vitest';
import { formatDifferences } from '../support/oracle/view-diff.js';
import { describeReplay, replayHistory } from './support/history-replay.js';

/**
 * The short form of the real-history replay (`npm run bench:replay` runs all 39 commits): the first 10
 * commits of test/fixtures/history (44 pages added at once, then 9 merge requests that add and edit
 * pages) in two bursts of shuffled and duplicated deliveries through the running bot. The GitLab state
 * must be the one a fresh `sync` of the final tree builds in a clean simulator, every merge request
 * must carry one checklist that names its pages, and no job may fail.
 */
describe('e2e: real handbook history replayed through the bot', () => {
  it('ends where a fresh sync of the final tree ends, whatever the delivery order', async () => {
    const report = await replayHistory({ commits: 11, burst: 5, seed: 10 });
    console.info(describeReplay(report));
    expect(report.failedJobs).toEqual([]);
    expect(report.checklistProblems).toEqual([]);
    expect(formatDifferences(report.differences)).toBe('');
    // Every event was delivered at least once and answered.
    expect(report.deliveries).toBeGreaterThanOrEqual(report.events);
    expect(report.commits).toBe(10);
  });
});
