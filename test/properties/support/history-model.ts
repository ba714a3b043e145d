import { PAGE_PATHS, PAGE_VERSIONS, renderPage } from './small-handbook.js';

/**
 * A history of the small handbook as a list of operations, turned into commits on `main` (each one a
 * full tree) and the push each one makes GitLab send. Pure: the simulator is driven elsewhere.
 */

export type Op =
  | { kind: 'set'; page: number; version: number }
  | { kind: 'remove'; page: number }
  /** Moves the page (same content) to PAGE_PATHS[page][to]. */
  | { kind: 'move'; page: number; to: number }
  /** A new commit whose tree is the one `back` commits ago, with that commit's date (a revert, or a cherry-pick with --committer-date). */
  | { kind: 'revert'; back: number }
  /** `main` force-pushed back to the commit `back` commits ago. */
  | { kind: 'force-back'; back: number };

export interface ModelCommit {
  tree: ReadonlyMap<string, string>;
  date: string;
  message: string;
}

export interface ModelChange {
  added: string[];
  modified: string[];
  removed: string[];
}

/** One push: a new commit on top of `parent` (index into `commits`), or the branch moved back to `target`. */
export type ModelPush =
  { kind: 'commit'; commit: number; parent: number; change: ModelChange } | { kind: 'reset'; target: number; from: number };

export interface ModelHistory {
  commits: ModelCommit[];
  pushes: ModelPush[];
  /** The commit `main` ends at. */
  head: number;
}

const START = Date.parse('2026-10-01T09:00:00.000Z');
export const README = 'README.md';

function pathOf(tree: ReadonlyMap<string, string>, page: number): string | undefined {
  return (PAGE_PATHS[page] ?? []).find((path) => tree.has(path));
}

/**
 * What GitLab's push payload lists for a commit: added, modified and removed paths; an exact-content
 * rename is listed under `added` only (GitLab's push payload has no rename entry).
 */
export function pushChange(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): ModelChange {
  const added = [...after.keys()].filter((path) => !before.has(path)).sort();
  const gone = [...before.keys()].filter((path) => !after.has(path)).sort();
  const renamedFrom = new Set<string>();
  for (const path of added) {
    const source = gone.find((old) => !renamedFrom.has(old) && before.get(old) === after.get(path));
    if (source !== undefined) renamedFrom.add(source);
  }
  const modified = [...after.keys()].filter((path) => before.has(path) && before.get(path) !== after.get(path)).sort();
  return { added, modified, removed: gone.filter((path) => !renamedFrom.has(path)) };
}

export function initialTree(): Map<string, string> {
  const tree = new Map<string, string>([[README, '# Handbook\n']]);
  PAGE_VERSIONS.forEach((versions, page) => {
    const path = PAGE_PATHS[page]?.[0];
    const first = versions[0];
    if (path !== undefined && first !== undefined) tree.set(path, renderPage(first));
  });
  return tree;
}

export function buildHistory(ops: readonly Op[]): ModelHistory {
  const empty = new Map<string, string>([[README, '# Handbook\n']]);
  const commits: ModelCommit[] = [{ tree: empty, date: new Date(START).toISOString(), message: 'Start the handbook' }];
  const pushes: ModelPush[] = [];
  /** Commit indices of main's history, oldest first. */
  let line: number[] = [0];
  const head = () => line[line.length - 1] ?? 0;
  const add = (tree: ReadonlyMap<string, string>, message: string, date?: string) => {
    const parent = head();
    const before = commits[parent]?.tree ?? empty;
    commits.push({ tree, message, date: date ?? new Date(START + commits.length * 3_600_000).toISOString() });
    const commit = commits.length - 1;
    pushes.push({ kind: 'commit', commit, parent, change: pushChange(before, tree) });
    line = [...line, commit];
  };
  add(initialTree(), 'Add the job-family pages');
  for (const op of ops) {
    const tree = new Map(commits[head()]?.tree ?? empty);
    switch (op.kind) {
      case 'set': {
        const spec = PAGE_VERSIONS[op.page]?.[op.version];
        const path = pathOf(tree, op.page) ?? PAGE_PATHS[op.page]?.[0];
        if (spec === undefined || path === undefined) throw new Error(`no version ${op.version} of page ${op.page}`);
        tree.set(path, renderPage(spec));
        add(tree, `Page ${op.page}: version ${op.version}`);
        break;
      }
      case 'remove': {
        const path = pathOf(tree, op.page);
        if (path !== undefined) tree.delete(path);
        add(tree, `Remove page ${op.page}`);
        break;
      }
      case 'move': {
        const from = pathOf(tree, op.page);
        const to = PAGE_PATHS[op.page]?.[op.to];
        if (from !== undefined && to !== undefined && from !== to) {
          tree.set(to, tree.get(from) ?? '');
          tree.delete(from);
        }
        add(tree, `Move page ${op.page} to path ${op.to}`);
        break;
      }
      case 'revert': {
        const target = line[Math.max(0, line.length - 1 - op.back)] ?? 0;
        const old = commits[target];
        add(new Map(old?.tree ?? empty), `Revert to "${old?.message ?? ''}"`, old?.date);
        break;
      }
      case 'force-back': {
        const keep = Math.max(1, line.length - op.back);
        const target = line[keep - 1] ?? 0;
        if (target !== head()) {
          pushes.push({ kind: 'reset', target, from: head() });
          line = line.slice(0, keep);
        }
        break;
      }
    }
  }
  return { commits, pushes, head: head() };
}

export function describeOps(ops: readonly Op[]): string {
  return ops
    .map((op) => {
      switch (op.kind) {
        case 'set':
          return `set page ${op.page} to v${op.version}`;
        case 'remove':
          return `remove page ${op.page}`;
        case 'move':
          return `move page ${op.page} to ${PAGE_PATHS[op.page]?.[op.to] ?? op.to}`;
        case 'revert':
          return `revert to ${op.back} commit(s) back`;
        case 'force-back':
          return `force-push main ${op.back} commit(s) back`;
      }
    })
    .join('; ');
}
