import { describe, expect, it } from 'vitest';
import { allChanges, diffPages, triggersOf } from '../../src/jobfamily/diff.js';
import { parsePage } from '../../src/jobfamily/parse.js';
import { corpusPages } from '../support/pages.js';

/** Every real page of test/fixtures/corpus: the diff must be total, and empty between a page and itself. */
const pages = corpusPages();
const parsed = pages.map(({ name, source }) => parsePage(source, name));

describe('diffPages on the corpus', () => {
  it('has the corpus to work on', () => {
    expect(pages.length).toBeGreaterThan(200);
  });

  it('finds no change between a page and a fresh parse of itself', () => {
    const changed = pages.filter(({ name, source }, i) => allChanges(diffPages(parsed[i]!, parsePage(source, name))).length > 0);
    expect(changed.map((p) => p.name)).toEqual([]);
  });

  it('reports every role of an added page as added and of a removed page as removed', () => {
    for (const page of parsed) {
      const added = diffPages(null, page);
      expect(added.status).toBe('added');
      expect(added.roles.map((r) => r.status)).toEqual(page.roles.map(() => 'added'));
      const removed = diffPages(page, null);
      expect(removed.status).toBe('removed');
      expect(removed.roles.map((r) => r.status)).toEqual(page.roles.map(() => 'removed'));
      expect(triggersOf(removed).has('any')).toBe(true);
    }
  });

  // Unrelated content, the worst case for matching; its time is measured by `npm run bench:hostile`.
  it('diffs every pair of neighbouring corpus pages (different pages) as modified', () => {
    const statuses = parsed.slice(1).map((page, i) => diffPages(parsed[i]!, page).status);
    expect(statuses).toHaveLength(pages.length - 1);
    expect(new Set(statuses)).toEqual(new Set(['modified']));
  });
});
