import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentGitLabError } from '../../src/gitlab/errors.js';
import { GitLabClient } from '../../src/gitlab/client.js';
import { createLogger } from '../../src/log.js';
import { startGitLabSim, type GitLabSim } from '../support/gitlab-sim/server.js';

describe('GitLab client against the simulator: commit statuses as GitLab keeps them', () => {
  let sim: GitLabSim;
  beforeAll(async () => {
    sim = await startGitLabSim({
      initialState: { projects: [{ id: 4242, path: 'acme/handbook', files: { main: { 'README.md': '# Handbook\n' } } }] },
    });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('setting the state a pending status already has is refused (400); a finished status gets a new one', async () => {
    const client = new GitLabClient({
      url: sim.url,
      token: sim.token,
      dryRun: false,
      logger: createLogger('silent'),
      sleep: () => Promise.resolve(),
    });
    const sha = sim.dump().projects[0]?.branches.main ?? '';
    const status = { name: 'handbook-bot/review', description: 'x', ref: 'main' };
    await client.setCommitStatus('acme/handbook', sha, { ...status, state: 'pending' });
    const refused = await client.setCommitStatus('acme/handbook', sha, { ...status, state: 'pending' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PermanentGitLabError);
    expect((refused as Error).message).toContain('Cannot transition status via :enqueue from :pending');
    await client.setCommitStatus('acme/handbook', sha, { ...status, state: 'success' });
    await client.setCommitStatus('acme/handbook', sha, { ...status, state: 'pending' });
    expect((await client.listCommitStatuses('acme/handbook', sha, 'handbook-bot/review')).map((s) => s.status)).toEqual(['pending']);
    expect(sim.dump().projects[0]?.statuses.map((s) => s.status)).toEqual(['success', 'pending']);
  });
});
