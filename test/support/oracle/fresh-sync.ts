import type { Redis } from 'ioredis';
import { listHandbookPages, pageSyncSpecs } from '../../../src/actions/shared/handbook-pages.js';
import type { Config } from '../../../src/config/types.js';
import { startGitLabSim } from '../gitlab-sim/server.js';
import type { SimDump } from '../gitlab-sim/types.js';
import { startInProcessBot } from './in-process-bot.js';

/**
 * The reference state: what `handbook-bot sync` builds from the final tree alone, in a second, clean
 * simulator that never saw the history. The oracle does not compute GitLab state itself; it asks "is
 * what the history left the same as what the bot builds from scratch for the same tree?", so a bug
 * in a planner shows up only if it makes the result depend on the path taken, which is the property
 * under test. Literal expectations elsewhere (test/e2e, test/properties) pin the reference itself.
 */

export interface SimProjectRef {
  id: number;
  path: string;
}

export interface FreshSyncInput {
  handbook: SimProjectRef;
  recruiting: SimProjectRef;
  branch: string;
  /** The handbook's final tree: path → content. */
  tree: ReadonlyMap<string, string>;
  config: Config;
  now?: () => Date;
  redis?: Redis;
  /** Recruiting issues that exist before the sync (same iids as in the replayed GitLab). */
  users?: string[];
}

export interface FreshSync {
  dump: SimDump;
  /** GitLab API calls the sync made. */
  calls: number;
  pages: number;
}

export async function freshSync(input: FreshSyncInput): Promise<FreshSync> {
  const sim = await startGitLabSim({
    initialState: {
      users: (input.users ?? []).map((username) => ({ username })),
      projects: [
        {
          id: input.handbook.id,
          path: input.handbook.path,
          defaultBranch: input.branch,
          files: { [input.branch]: Object.fromEntries(input.tree) },
        },
        ...(input.recruiting.id === input.handbook.id
          ? []
          : [{ id: input.recruiting.id, path: input.recruiting.path, files: { [input.branch]: { 'README.md': '# Recruiting\n' } } }]),
      ],
    },
  });
  const bot = startInProcessBot({
    gitlabUrl: sim.url,
    token: sim.token,
    config: input.config,
    name: 'fresh-sync',
    ...(input.now ? { now: input.now } : {}),
    ...(input.redis ? { redis: input.redis } : {}),
  });
  try {
    const before = sim.state.requestTotal;
    const pages = await listHandbookPages(bot.ctx.gitlab, input.config);
    await bot.run(pageSyncSpecs(pages, 'sync'));
    return { dump: sim.dump(), calls: sim.state.requestTotal - before, pages: pages.paths.length };
  } finally {
    await bot.close();
    await sim.close();
  }
}
