import { createHash } from 'node:crypto';
import type { SimCommit, SimRepo } from './types.js';

/** Pure repository logic: commits are full snapshots, so compare and tree are set operations. */

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** The real git blob id, so ids look and behave like GitLab's. */
export function blobId(content: string): string {
  return sha1(`blob ${Buffer.byteLength(content)}\0${content}`);
}

export function commitId(parts: {
  parentIds: string[];
  message: string;
  date: string;
  files: ReadonlyMap<string, string>;
  salt: number;
}): string {
  const tree = [...parts.files.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, content]) => `${path}\0${blobId(content)}`)
    .join('\n');
  return sha1(`commit\n${parts.parentIds.join(' ')}\n${parts.date}\n${parts.message}\n${parts.salt}\n${tree}`);
}

/** A branch name (plain or `refs/heads/…`), a full sha, or an unambiguous sha prefix (7+ hex). */
export function resolveRef(repo: SimRepo, ref: string): SimCommit | undefined {
  const branchHead = repo.branches.get(ref.replace(/^refs\/heads\//, ''));
  if (branchHead !== undefined) return repo.commits.get(branchHead);
  const exact = repo.commits.get(ref);
  if (exact !== undefined) return exact;
  if (!/^[0-9a-f]{7,39}$/.test(ref)) return undefined;
  const matches = [...repo.commits.values()].filter((c) => c.id.startsWith(ref));
  return matches.length === 1 ? matches[0] : undefined;
}

/** Every commit reachable from `sha` (itself included), nearest first. */
export function ancestors(repo: SimRepo, sha: string): string[] {
  const seen = new Set<string>();
  const queue = [sha];
  const order: string[] = [];
  while (queue.length > 0) {
    const id = queue.shift();
    if (id === undefined || seen.has(id)) continue;
    seen.add(id);
    const commit = repo.commits.get(id);
    if (commit === undefined) continue;
    order.push(id);
    queue.push(...commit.parentIds);
  }
  return order;
}

/**
 * The last commit that changed `path`, walking first parents from `commit` while the file's content
 * stays the same (GitLab's `last_commit_id` of the files API).
 */
export function lastCommitFor(repo: SimRepo, commit: SimCommit, path: string): string {
  const content = commit.files.get(path);
  let current = commit;
  for (;;) {
    const parentId = current.parentIds[0];
    const parent = parentId === undefined ? undefined : repo.commits.get(parentId);
    if (parent === undefined || parent.files.get(path) !== content) return current.id;
    current = parent;
  }
}

export function mergeBase(repo: SimRepo, a: string, b: string): string | undefined {
  const ofA = new Set(ancestors(repo, a));
  return ancestors(repo, b).find((id) => ofA.has(id));
}

/** Commits in `to` but not in `from`, oldest first (as the compare API lists them). */
export function commitsBetween(repo: SimRepo, from: string, to: string): SimCommit[] {
  const excluded = new Set(ancestors(repo, from));
  return ancestors(repo, to)
    .filter((id) => !excluded.has(id))
    .map((id) => repo.commits.get(id))
    .filter((c): c is SimCommit => c !== undefined)
    .reverse();
}

export interface FileDiff {
  old_path: string;
  new_path: string;
  a_mode: string;
  b_mode: string;
  new_file: boolean;
  renamed_file: boolean;
  deleted_file: boolean;
  diff: string;
}

function wholeFileDiff(before: string, after: string): string {
  const lines = (text: string): string[] => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));
  const a = lines(before);
  const b = lines(after);
  return (
    [
      `@@ -${a.length > 0 ? 1 : 0},${a.length} +${b.length > 0 ? 1 : 0},${b.length} @@`,
      ...a.map((l) => `-${l}`),
      ...b.map((l) => `+${l}`),
    ].join('\n') + '\n'
  );
}

/** Like GitLab: added, deleted, modified, and exact-content renames; sorted by path. */
export function diffSnapshots(from: ReadonlyMap<string, string>, to: ReadonlyMap<string, string>): FileDiff[] {
  const added = [...to.keys()].filter((p) => !from.has(p));
  const deleted = [...from.keys()].filter((p) => !to.has(p));
  const diffs: FileDiff[] = [];
  const renamedFrom = new Set<string>();
  for (const path of added) {
    const content = to.get(path) ?? '';
    const source = deleted.find((d) => !renamedFrom.has(d) && from.get(d) === content);
    if (source !== undefined) {
      renamedFrom.add(source);
      diffs.push({
        old_path: source,
        new_path: path,
        a_mode: '100644',
        b_mode: '100644',
        new_file: false,
        renamed_file: true,
        deleted_file: false,
        diff: '',
      });
    } else {
      diffs.push({
        old_path: path,
        new_path: path,
        a_mode: '0',
        b_mode: '100644',
        new_file: true,
        renamed_file: false,
        deleted_file: false,
        diff: wholeFileDiff('', content),
      });
    }
  }
  for (const path of deleted) {
    if (renamedFrom.has(path)) continue;
    diffs.push({
      old_path: path,
      new_path: path,
      a_mode: '100644',
      b_mode: '0',
      new_file: false,
      renamed_file: false,
      deleted_file: true,
      diff: wholeFileDiff(from.get(path) ?? '', ''),
    });
  }
  for (const [path, content] of to) {
    const before = from.get(path);
    if (before !== undefined && before !== content) {
      diffs.push({
        old_path: path,
        new_path: path,
        a_mode: '100644',
        b_mode: '100644',
        new_file: false,
        renamed_file: false,
        deleted_file: false,
        diff: wholeFileDiff(before, content),
      });
    }
  }
  return diffs.sort((a, b) => (a.new_path < b.new_path ? -1 : a.new_path > b.new_path ? 1 : 0));
}

export interface TreeEntryData {
  id: string;
  name: string;
  type: 'tree' | 'blob';
  path: string;
  mode: string;
}

/** Entries below `dir` ('' = root): direct children, or everything when recursive; by path. */
export function treeEntries(files: ReadonlyMap<string, string>, dir: string, recursive: boolean): TreeEntryData[] | undefined {
  const prefix = dir === '' ? '' : `${dir.replace(/\/+$/, '')}/`;
  const below = [...files.keys()].filter((p) => p.startsWith(prefix)).sort();
  if (prefix !== '' && below.length === 0) return undefined;
  const entries = new Map<string, TreeEntryData>();
  for (const path of below) {
    const parts = path.slice(prefix.length).split('/');
    const depth = recursive ? parts.length : 1;
    for (let i = 1; i <= depth; i += 1) {
      const rel = parts.slice(0, i).join('/');
      const full = prefix + rel;
      if (entries.has(full)) continue;
      const isBlob = i === parts.length;
      const id = isBlob
        ? blobId(files.get(full) ?? '')
        : sha1(
            `tree ${below
              .filter((p) => p.startsWith(`${full}/`))
              .map((p) => `${p}\0${blobId(files.get(p) ?? '')}`)
              .join('\n')}`,
          );
      entries.set(full, { id, name: parts[i - 1] ?? rel, type: isBlob ? 'blob' : 'tree', path: full, mode: isBlob ? '100644' : '040000' });
    }
  }
  return [...entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
