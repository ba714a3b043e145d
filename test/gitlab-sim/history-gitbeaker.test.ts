import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitLabSim } from '../support/gitlab-sim/server.js';
import { failure, gitlab, PAGE_A, startSeededSim } from './fixture.js';

/**
 * The history endpoints the level-triggered page sync relies on, checked through `@gitbeaker/rest`'s
 * own resource methods (like gitbeaker.test.ts): the merge base of two refs, a rename in compare
 * (`renamed_file`, `old_path`), and the files API's `commit_id` / `last_commit_id`.
 */

let sim: GitLabSim;
let api: ReturnType<typeof gitlab>;

beforeEach(async () => {
  sim = await startSeededSim();
  api = gitlab(sim);
});

afterEach(async () => {
  await sim.close();
});

describe('merge base', () => {
  it('answers the common ancestor of two branches as a commit, 404 for an unknown ref', async () => {
    const project = sim.state.requireProject(15);
    const main = project.repo.branches.get('main') ?? '';
    const feature = project.repo.branches.get('feature') ?? '';
    const onMain = sim.state.commit(15, { branch: 'main', files: { 'README.md': '# Handbook v2\n' }, message: 'Main moves on' });
    const base = await api.Repositories.mergeBase(15, ['main', 'feature']);
    expect(base.id).toBe(main);
    expect(base.id).not.toBe(onMain);
    expect((await api.Repositories.mergeBase('acme/handbook', [feature, onMain])).id).toBe(main);
    // A commit and its descendant: the older one is the base (that is how ancestry is decided).
    expect((await api.Repositories.mergeBase(15, [onMain, main])).id).toBe(main);
    expect((await failure(api.Repositories.mergeBase(15, ['main', 'no-such-branch']))).status).toBe(404);
  });

  it('answers 400 for histories without a common commit', async () => {
    const orphan = sim.state.commit(15, { files: { 'other.md': 'x\n' }, replace: true, message: 'Unrelated root' });
    expect((await failure(api.Repositories.mergeBase(15, ['main', orphan]))).status).toBe(400);
  });
});

describe('renames and file versions', () => {
  it('lists a renamed page once in compare, with renamed_file and old_path', async () => {
    const before = sim.state.requireProject(15).repo.branches.get('main') ?? '';
    const content = sim.state.requireProject(15).repo.commits.get(before)?.files.get(PAGE_A) ?? '';
    const moved = 'content/job-families/security/security-management.md';
    const after = sim.state.commit(15, { branch: 'main', files: { [moved]: content }, remove: [PAGE_A], message: 'Rename the page' });
    const compare = await api.Repositories.compare(15, before, after, { straight: true });
    expect(compare.diffs?.map((diff) => [diff.old_path, diff.new_path, diff.renamed_file, diff.new_file, diff.deleted_file])).toEqual([
      [PAGE_A, moved, true, false, false],
    ]);
  });

  it("gives the head as commit_id and the page's last change as last_commit_id", async () => {
    const changed = sim.state.requireProject(15).repo.branches.get('main') ?? '';
    const unrelated = sim.state.commit(15, { branch: 'main', files: { 'README.md': '# Other\n' }, message: 'Unrelated' });
    const file = await api.RepositoryFiles.show(15, PAGE_A, 'main');
    expect(file.commit_id).toBe(unrelated);
    expect(file.last_commit_id).toBe(changed);
    expect(Buffer.from(file.content, 'base64').toString('utf8')).toBe('---\ntitle: Security Leadership\n---\n\n## Director, Security\n');
  });
});
