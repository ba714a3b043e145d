/**
 * The real-history replay in full: all 39 commits of test/fixtures/history (38 merge requests among
 * them, renames and removals included) through the running bot in bursts of shuffled and duplicated
 * deliveries, then compared with a fresh `sync` of the final tree in a clean simulator
 * (test/e2e/support/history-replay.ts; `npm test` runs the first 10 commits).
 *
 *   npm run bench:replay                      # all commits, bursts of 5
 *   npm run bench:replay -- --burst 10 --seed 3 --from 17 --to 28 --json   # manifest rows 17–27
 *
 * Prints: commits, deliveries, differences found (each naming its page), GitLab calls per page change,
 * time. Exits 1 when there is a difference, a checklist problem or a failed job. Needs Redis at
 * REDIS_URL (default 127.0.0.1:6379) and git.
 */
import { parseArgs } from 'node:util';
import { describeReplay, replayHistory } from '../test/e2e/support/history-replay.js';
import { formatDifferences } from '../test/support/oracle/view-diff.js';

const { values } = parseArgs({
  options: {
    burst: { type: 'string', default: '5' },
    seed: { type: 'string', default: '10' },
    from: { type: 'string', default: '1' },
    to: { type: 'string' },
    workers: { type: 'string', default: '2' },
    json: { type: 'boolean', default: false },
  },
});

const report = await replayHistory({
  burst: Number(values.burst),
  seed: Number(values.seed),
  workers: Number(values.workers),
  from: Number(values.from),
  ...(values.to !== undefined ? { to: Number(values.to) } : {}),
});

if (values.json) {
  console.log(JSON.stringify(report, null, 2));
} else {
  console.log(describeReplay(report));
  if (report.differences.length > 0)
    console.log(`\ndifferences (replayed GitLab vs a fresh sync of the final tree):\n${formatDifferences(report.differences)}`);
  if (report.checklistProblems.length > 0) console.log(`\nchecklist problems:\n${report.checklistProblems.join('\n')}`);
  if (report.failedJobs.length > 0) console.log(`\nfailed jobs:\n${report.failedJobs.join('\n')}`);
}
process.exit(report.differences.length + report.checklistProblems.length + report.failedJobs.length > 0 ? 1 : 0);
