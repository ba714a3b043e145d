import type { Redis } from 'ioredis';
import type { Config } from '../../../src/config/types.js';
import { startGitLabSim } from '../../support/gitlab-sim/server.js';
import { freshSync } from '../../support/oracle/fresh-sync.js';
import { gitlabView } from '../../support/oracle/gitlab-view.js';
import { startInProcessBot } from '../../support/oracle/in-process-bot.js';
import { diffViews, type Difference } from '../../support/oracle/view-diff.js';
import { pushHook } from '../../support/oracle/webhooks.js';
import { testSettings } from '../../support/settings.js';
import type { ModelHistory } from './history-model.js';
import { recruitingProblems } from './recruiting-invariant.js';
import { PAGE_SLUGS, RECRUITING_ISSUES } from './small-handbook.js';

/**
 * Plays a model history on a simulator through the bot's real router and processors, with the pushes
 * delivered in a given order (duplicates included), then builds the reference with a fresh sync of the
 * final tree in a second, clean simulator and returns every difference the oracle finds.
 *
 * A commit exists in GitLab before its push is delivered, and not before it is needed: delivering push
 * 5 first makes commits 1–5 (GitLab sends a push only after the branch moved), so a job may find the
 * branch ahead of its own commit, as it does in production when deliveries are late.
 */

export const HANDBOOK = { id: 101, path: 'acme/handbook' };
export const RECRUITING = { id: 102, path: 'acme/recruiting' };
export const BRANCH = 'main';
/** A fixed clock, so both GitLabs are built in the same fiscal quarter (FY27-Q4). */
export const NOW = new Date('2026-11-20T10:00:00.000Z');
const ALICE = { id: 7, username: 'alice' };

export function propertyConfig(): Config {
  return testSettings({
    config: {
      handbook: { project: HANDBOOK.path, branch: BRANCH },
      okr: { project: HANDBOOK.path },
      recruiting: { project: RECRUITING.path },
    },
  }).config;
}

export interface PlayResult {
  differences: Difference[];
  /** With `recruiting`: the recruiting issues against their literal invariant. */
  recruiting: Difference[];
  deliveries: number;
  jobsRun: number;
  jobsDropped: number;
}

export interface PlayOptions {
  /** File RECRUITING_ISSUES once the first delivery (which must be push 0, adding the pages) ran. */
  recruiting?: boolean;
}

export async function playHistory(
  history: ModelHistory,
  order: readonly number[],
  redis: Redis,
  options: PlayOptions = {},
): Promise<PlayResult> {
  const config = propertyConfig();
  if (options.recruiting === true && order[0] !== 0)
    throw new Error('with recruiting issues, push 0 (adding the pages) must be delivered first');
  const sim = await startGitLabSim({
    initialState: {
      users: [{ username: ALICE.username }],
      projects: [
        { id: HANDBOOK.id, path: HANDBOOK.path, files: { [BRANCH]: Object.fromEntries(history.commits[0]?.tree ?? []) } },
        { id: RECRUITING.id, path: RECRUITING.path, files: { [BRANCH]: { 'README.md': '# Recruiting\n' } } },
      ],
    },
  });
  const bot = startInProcessBot({ gitlabUrl: sim.url, token: sim.token, config, now: () => NOW, redis, name: 'prop' });
  try {
    const project = sim.state.requireProject(HANDBOOK.id);
    const shas: string[] = [project.repo.branches.get(BRANCH) ?? ''];
    const bodies: Array<Record<string, unknown>> = [];
    const materialise = (upTo: number) => {
      for (let index = bodies.length; index <= upTo; index += 1) {
        const push = history.pushes[index];
        if (push === undefined) break;
        if (push.kind === 'commit') {
          const commit = history.commits[push.commit];
          const parent = shas[push.parent] ?? '';
          if (commit === undefined) throw new Error(`no commit ${push.commit}`);
          const sha = sim.state.commit(project, {
            branch: BRANCH,
            parent,
            files: Object.fromEntries(commit.tree),
            replace: true,
            date: commit.date,
            message: commit.message,
          });
          shas[push.commit] = sha;
          bodies.push(
            pushHook({
              project: HANDBOOK,
              branch: BRANCH,
              before: parent,
              after: sha,
              author: ALICE,
              commits: [{ id: sha, message: commit.message, timestamp: commit.date, ...push.change }],
            }),
          );
        } else {
          const target = shas[push.target] ?? '';
          sim.state.createBranch(project, BRANCH, target);
          bodies.push(
            pushHook({ project: HANDBOOK, branch: BRANCH, before: shas[push.from] ?? '', after: target, author: ALICE, commits: [] }),
          );
        }
      }
    };
    const iids: number[] = [];
    for (const [at, index] of order.entries()) {
      materialise(index);
      await bot.deliver('Push Hook', bodies[index]);
      if (at === 0 && options.recruiting === true) {
        for (const seeded of RECRUITING_ISSUES) {
          const labels = [`job-family::${PAGE_SLUGS[seeded.page]?.[0] ?? ''}`, `hiring-stage::${seeded.stage}`];
          iids.push(sim.state.addIssue(RECRUITING.id, { title: seeded.title, labels, author: ALICE.username, confidential: true }).iid);
        }
      }
    }
    materialise(history.pushes.length - 1);

    const finalTree = history.commits[history.head]?.tree ?? new Map<string, string>();
    const fresh = await freshSync({
      handbook: HANDBOOK,
      recruiting: RECRUITING,
      branch: BRANCH,
      tree: finalTree,
      config,
      now: () => NOW,
      redis,
    });
    const fileAt = (commit: string, path: string) => project.repo.commits.get(commit)?.files.get(path);
    const actual = gitlabView(sim.dump(), { handbookPath: HANDBOOK.path, recruitingPath: RECRUITING.path, finalTree, fileAt });
    const expected = gitlabView(fresh.dump, { handbookPath: HANDBOOK.path, recruitingPath: RECRUITING.path });
    const recruiting = options.recruiting === true ? recruitingProblems(sim.dump(), RECRUITING.path, iids, finalTree) : [];
    return {
      differences: diffViews(actual, expected),
      recruiting,
      deliveries: order.length,
      jobsRun: bot.stats.ran,
      jobsDropped: bot.stats.dropped,
    };
  } finally {
    await bot.close();
    await sim.close();
  }
}
