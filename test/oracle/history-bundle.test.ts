import { describe, expect, it } from 'vitest';
import { loadHistory } from '../support/history/bundle.js';

/** The replay's input, read with git from test/fixtures/history: literal facts of the 2022-08 history. */
describe('the real-history bundle', () => {
  const { commits } = loadHistory();

  it('holds the starting tree and 39 changes in manifest order, 37 of them merge requests', () => {
    expect(commits).toHaveLength(40);
    expect(commits[0]?.kind).toBe('base');
    expect(commits[0]?.tree.size).toBe(0);
    expect(commits.filter((commit) => commit.kind === 'merge-request')).toHaveLength(37);
    expect(commits.filter((commit) => commit.kind === 'direct').map((commit) => commit.index)).toEqual([1, 31]);
    expect(commits.at(-1)?.sha).toBe('c9757b8f63e865a5b759363b64acc0ddce1e0514');
    expect(commits.at(-1)?.tree.size).toBe(70);
  });

  it('adds 44 files at once in its first change', () => {
    expect(commits[1]?.change.added).toHaveLength(44);
    expect(commits[1]?.tree.has('sites/uncategorized/source/job-families/engineering/development/backend/senior/index.html.md')).toBe(true);
    expect(commits[1]?.tree.has('sites/uncategorized/source/job-families/engineering/backend-engineer/index.html.md')).toBe(false);
  });

  it('moves the legal department to legal-and-corporate-affairs in row 24, by git rename detection', () => {
    const renamed = commits[24]?.change.renamed ?? [];
    expect(renamed).toContainEqual([
      'sites/uncategorized/source/job-families/legal/index.html.md.erb',
      'sites/uncategorized/source/job-families/legal-and-corporate-affairs/index.html.md.erb',
    ]);
    expect(renamed).toContainEqual([
      'sites/uncategorized/source/job-families/legal/legal-counsel/index.html.md',
      'sites/uncategorized/source/job-families/legal-and-corporate-affairs/legal-counsel/index.html.md',
    ]);
    expect(renamed).toHaveLength(5);
    expect(commits[24]?.change.removed).toEqual(['sites/uncategorized/source/job-families/legal/paralegal/index.html.md']);
  });

  it('removes a page in row 17', () => {
    expect(commits[17]?.change.removed).toEqual(['sites/uncategorized/source/job-families/people-ops/people-operations/index.html.md']);
  });
});
