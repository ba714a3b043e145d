import { pageSlug } from './okr.js';

export type PathChange = 'added' | 'modified' | 'removed';

/**
 * Drops the removal of a page that the same change set brings back under another path with the same
 * slug (a move, e.g. `sites/…/x/index.html.md` → `content/job-families/…/x/_index.md`). Its OKR issue,
 * labels and index entry belong to the page's new path; syncing the removal too would close the issue
 * and reopen it, depending on which job runs first.
 */
export function withoutMovedAway(changes: ReadonlyMap<string, PathChange>): Map<string, PathChange> {
  const present = new Set<string>();
  for (const [path, change] of changes) if (change !== 'removed') present.add(pageSlug(path));
  return new Map([...changes].filter(([path, change]) => change !== 'removed' || !present.has(pageSlug(path))));
}
