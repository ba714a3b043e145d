import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Job-family pages from test/fixtures (vendored, see test/fixtures/SOURCES.md): the two seeds, the
 * 215-page corpus and the before/after history pairs.
 */

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The test material; HANDBOOK_BOT_SHARED_DIR points at another copy with the same layout. */
export const SHARED_DIR = resolve(process.env.HANDBOOK_BOT_SHARED_DIR ?? resolve(repoRoot, 'test/fixtures'));
export const SEEDS_DIR = resolve(SHARED_DIR, 'seeds');
export const CORPUS_DIR = resolve(SHARED_DIR, 'corpus/job-families');
export const HISTORY_DIR = resolve(SHARED_DIR, 'corpus/history');

export interface PageFile {
  /** File name inside its folder. */
  name: string;
  path: string;
  source: string;
}

function read(dir: string, name: string): PageFile {
  const path = resolve(dir, name);
  return { name, path, source: readFileSync(path, 'utf8') };
}

/** A seed page by file name, e.g. `security-leadership.md`. */
export function seed(name: string): PageFile {
  return read(SEEDS_DIR, name);
}

/** One corpus page by exact file name. */
export function corpusPage(name: string): PageFile {
  return read(CORPUS_DIR, name);
}

/** Every corpus page, sorted by name. */
export function corpusPages(): PageFile[] {
  return readdirSync(CORPUS_DIR)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => read(CORPUS_DIR, name));
}

export interface HistoryPair {
  /** Common stem of the two files, e.g. `sites__…__product-marketing-manager__index.html`. */
  name: string;
  before: PageFile;
  after: PageFile;
}

/** Every before/after pair of the history corpus, sorted by name. */
export function historyPairs(): HistoryPair[] {
  return readdirSync(HISTORY_DIR)
    .filter((name) => name.endsWith('.before.md'))
    .sort()
    .map((file) => {
      const name = file.slice(0, -'.before.md'.length);
      return { name, before: read(HISTORY_DIR, file), after: read(HISTORY_DIR, `${name}.after.md`) };
    });
}

/** The one history pair whose name contains `fragment` (throws when none or several match). */
export function historyPair(fragment: string): HistoryPair {
  const matches = historyPairs().filter((pair) => pair.name.includes(fragment));
  const [match] = matches;
  if (!match || matches.length !== 1) throw new Error(`expected one history pair matching "${fragment}", found ${matches.length}`);
  return match;
}
