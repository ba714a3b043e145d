import { readFileSync } from 'node:fs';
import picomatch from 'picomatch';
import { resolve } from 'node:path';
import { DEFAULT_PAGE_GLOBS } from '../../../src/config/schema.js';
import { pageSlug } from '../../../src/jobfamily/okr.js';
import { CORPUS_DIR, CORPUS_MANIFEST } from '../../support/fixture-paths.js';
import { historyPairs } from '../../support/pages.js';

/**
 * The corpus as handbook files: each page at its real repository path (from the corpus MANIFEST), one
 * page per slug (the OKR issue and the `job-family::` label are per slug, so two pages sharing one
 * would share their issue), and the before/after history pairs for merge requests. The slug rule is
 * the bot's (`pageSlug`), used here only to pick pages that do not share an issue; no expectation is
 * derived from the bot's parser or planners (see day-expectations.ts and final-state.ts).
 */

export interface HandbookPage {
  path: string;
  source: string;
  slug: string;
}

export interface HistoryPage {
  path: string;
  slug: string;
  before: string;
  after: string;
}

function manifest(): Map<string, string> {
  const text = readFileSync(CORPUS_MANIFEST, 'utf8');
  const byFile = new Map<string, string>();
  for (const line of text.split('\n').slice(1)) {
    const [, , path, saved] = line.split('\t');
    if (path !== undefined && saved !== undefined && saved.trim() !== '') byFile.set(saved.trim(), path.trim());
  }
  return byFile;
}

/** History pairs at the paths their names spell (`a__b__c.html` → `a/b/c.html.md`). */
export function historyPages(): HistoryPage[] {
  return historyPairs().map((pair) => {
    const path = `${pair.name.replace(/__/g, '/')}.md`;
    return { path, slug: pageSlug(path), before: pair.before.source, after: pair.after.source };
  });
}

/**
 * Corpus pages that are job-family pages by the default globs (the e2e config keeps them; one corpus
 * file is `field-cto.mb`, which the bot rightly ignores) with a slug no history page and no other
 * corpus page has, sorted by path.
 */
export function corpusHandbookPages(): HandbookPage[] {
  const paths = manifest();
  const isPage = picomatch(DEFAULT_PAGE_GLOBS, { dot: true });
  const taken = new Set(historyPages().map((page) => page.slug));
  const pages: HandbookPage[] = [];
  for (const [saved, path] of [...paths].sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!isPage(path)) continue;
    const slug = pageSlug(path);
    if (taken.has(slug)) continue;
    taken.add(slug);
    pages.push({ path, slug, source: readFileSync(resolve(CORPUS_DIR, '..', saved), 'utf8') });
  }
  return pages;
}
