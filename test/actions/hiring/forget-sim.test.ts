import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionContext } from '../../../src/actions/shared/context.js';
import { forgetHiringPage, syncHiringForPage } from '../../../src/actions/hiring/sync.js';
import { parsePage } from '../../../src/jobfamily/parse.js';
import { startGitLabSim, type GitLabSim } from '../../support/gitlab-sim/server.js';
import { removePrefix, REDIS_URL, uniquePrefix } from '../../support/redis.js';
import { SL_PATH, SL_SOURCE, TM_PATH, TM_SOURCE, simContext, threatManagement } from '../support/hiring.js';

/** A removed page's steps leave the stage labels at once, not at the next sync of another page. */
describe('a removed page, against the GitLab simulator', () => {
  let sim: GitLabSim;
  let redis: Redis;
  let ctx: ActionContext;
  const prefix = uniquePrefix('hiring-forget');

  const stageLabel = (name: string) =>
    sim
      .dump()
      .projects.find((project) => project.path === 'acme/recruiting')
      ?.labels.find((label) => label.name === name);

  beforeAll(async () => {
    sim = await startGitLabSim({
      initialState: {
        projects: [
          {
            id: 15,
            path: 'acme/handbook',
            files: { main: { [TM_PATH]: TM_SOURCE, [SL_PATH]: SL_SOURCE } },
            members: { 'handbook-bot': 40 },
          },
          { id: 16, path: 'acme/recruiting', members: { 'handbook-bot': 40 } },
        ],
      },
    });
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    ctx = simContext(sim, redis, prefix);
  });

  afterAll(async () => {
    await sim.close();
    await removePrefix(redis, prefix);
    redis.disconnect();
  });

  it('rewrites the descriptions without its steps; the labels themselves stay', async () => {
    await syncHiringForPage(ctx, { page: threatManagement(), path: TM_PATH, commit: 'c1' });
    await syncHiringForPage(ctx, { page: parsePage(SL_SOURCE, SL_PATH, {}), path: SL_PATH, commit: 'c1' });
    expect(stageLabel('hiring-stage::offer')?.description).toContain('(Security Leadership, Threat Management Roles)');

    await forgetHiringPage(ctx, { path: SL_PATH, commit: 'c2' });

    expect(stageLabel('hiring-stage::offer')?.description).toBe(
      'Hiring stage "offer", kept by handbook-bot from the job-family pages\' hiring processes. Steps: "Successful candidates will subsequently be made an offer via email" (Threat Management Roles).',
    );
    expect(stageLabel('hiring-stage::screening')?.description).not.toContain('Security Leadership');
    expect(sim.dump().violations).toEqual([]);
  });
});
