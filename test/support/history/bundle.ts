import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The real handbook history in test/fixtures/history: the git bundle cloned into a temporary directory
 * with `git`, read commit by commit (full tree, changed paths with git's own rename detection) in the
 * order of MANIFEST.tsv. No product code: paths, contents and changes are what git says.
 */

export const HISTORY_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/history');
export const BUNDLE = join(HISTORY_DIR, 'job-families-2022-08.bundle');

export type CommitKind = 'base' | 'direct' | 'merge-request';

export interface HistoryChange {
  added: string[];
  modified: string[];
  removed: string[];
  /** [old path, new path], as `git diff-tree -M` finds them. */
  renamed: Array<[string, string]>;
}

export interface HistoryCommit {
  /** Index in the manifest (0 = the starting tree). */
  index: number;
  sha: string;
  upstream: string;
  date: string;
  kind: CommitKind;
  subject: string;
  /** The whole tree at this commit: path → content. */
  tree: ReadonlyMap<string, string>;
  /** Relative to the previous manifest row (empty for the base). */
  change: HistoryChange;
}

interface ManifestRow {
  sha: string;
  upstream: string;
  date: string;
  kind: CommitKind;
  subject: string;
}

export function readManifest(): ManifestRow[] {
  const lines = readFileSync(join(HISTORY_DIR, 'MANIFEST.tsv'), 'utf8').split('\n').slice(1);
  return lines
    .filter((line) => line.trim() !== '')
    .map((line, at) => {
      const [sha, upstream, date, kind, ...subject] = line.split('\t');
      if (
        sha === undefined ||
        upstream === undefined ||
        date === undefined ||
        (kind !== 'base' && kind !== 'direct' && kind !== 'merge-request')
      ) {
        throw new Error(
          `${join(HISTORY_DIR, 'MANIFEST.tsv')}:${at + 2}: expected commit, upstream_commit, date, kind (base|direct|merge-request), subject`,
        );
      }
      return { sha, upstream, date, kind, subject: subject.join('\t') };
    });
}

const git = (dir: string, args: string[], input?: string): Buffer =>
  execFileSync('git', ['-C', dir, ...args], { maxBuffer: 256 * 1024 * 1024, ...(input !== undefined ? { input } : {}) });

/** `git cat-file --batch` output for many blobs at once: id → content. */
function readBlobs(dir: string, ids: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (ids.length === 0) return out;
  const raw = git(dir, ['cat-file', '--batch'], `${ids.join('\n')}\n`);
  let at = 0;
  while (at < raw.length) {
    const headerEnd = raw.indexOf(0x0a, at);
    const [id, , size] = raw.subarray(at, headerEnd).toString('utf8').split(' ');
    const length = Number(size);
    if (id === undefined || !Number.isFinite(length)) throw new Error(`unexpected git cat-file output at byte ${at}`);
    out.set(id, raw.subarray(headerEnd + 1, headerEnd + 1 + length).toString('utf8'));
    at = headerEnd + 1 + length + 1;
  }
  return out;
}

function treeOf(dir: string, sha: string): Array<{ path: string; blob: string }> {
  return git(dir, ['ls-tree', '-r', '-z', sha])
    .toString('utf8')
    .split('\0')
    .filter((entry) => entry !== '')
    .map((entry) => {
      const tab = entry.indexOf('\t');
      const [, , blob] = entry.slice(0, tab).split(' ');
      return { path: entry.slice(tab + 1), blob: blob ?? '' };
    });
}

function changeOf(dir: string, parent: string, sha: string): HistoryChange {
  const fields = git(dir, ['diff-tree', '-r', '-M', '--name-status', '-z', parent, sha]).toString('utf8').split('\0');
  const change: HistoryChange = { added: [], modified: [], removed: [], renamed: [] };
  for (let at = 0; at < fields.length;) {
    const status = fields[at] ?? '';
    if (status === '') {
      at += 1;
      continue;
    }
    if (status.startsWith('R') || status.startsWith('C')) {
      const from = fields[at + 1] ?? '';
      const to = fields[at + 2] ?? '';
      if (status.startsWith('R')) change.renamed.push([from, to]);
      else change.added.push(to);
      at += 3;
      continue;
    }
    const path = fields[at + 1] ?? '';
    if (status === 'A') change.added.push(path);
    else if (status === 'D') change.removed.push(path);
    else change.modified.push(path);
    at += 2;
  }
  return change;
}

export interface LoadedHistory {
  commits: HistoryCommit[];
}

/** Clones the bundle, reads `count` manifest rows (all by default), removes the clone. */
export function loadHistory(count?: number): LoadedHistory {
  const rows = readManifest().slice(0, count);
  const dir = mkdtempSync(join(tmpdir(), 'hbt-history-'));
  try {
    execFileSync('git', ['clone', '--quiet', '--no-checkout', BUNDLE, dir]);
    const trees = rows.map((row) => treeOf(dir, row.sha));
    const blobs = readBlobs(dir, [...new Set(trees.flat().map((entry) => entry.blob))]);
    const commits = rows.map((row, index): HistoryCommit => {
      const tree = new Map((trees[index] ?? []).map((entry) => [entry.path, blobs.get(entry.blob) ?? ''] as const));
      const parent = rows[index - 1];
      const change = parent === undefined ? { added: [], modified: [], removed: [], renamed: [] } : changeOf(dir, parent.sha, row.sha);
      return { index, ...row, tree, change };
    });
    return { commits };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
