import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allChanges, diffPages, triggersOf } from '../../src/jobfamily/diff.js';
import { parsePage } from '../../src/jobfamily/parse.js';

/** Every real page of test/fixtures/corpus: the diff must be total, and empty between a page and itself. */
const CORPUS = new URL('../fixtures/corpus/job-families/', import.meta.url);
const pages = readdirSync(CORPUS)
  .filter((name) => name.endsWith('.md') || name.endsWith('.erb'))
  .sort()
  .map((name) => ({ name, source: readFileSync(new URL(name, CORPUS), 'utf8') }));
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

  it('pairs neighbouring corpus pages quickly (unrelated content, worst case for matching)', () => {
    const started = performance.now();
    for (let i = 1; i < parsed.length; i += 1) diffPages(parsed[i - 1]!, parsed[i]!);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
