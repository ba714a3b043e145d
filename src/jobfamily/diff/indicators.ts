import type { PerformanceIndicator } from '../model.js';
import type { PageLevelChange } from './changes.js';
import { normalizeText, pairByKey } from './text.js';

// ---------------------------------------------------------------------------------------------------
// Performance indicators: same name, else same link; a changed link or name is a change.

export function indicatorChanges(before: readonly PerformanceIndicator[], after: readonly PerformanceIndicator[]): PageLevelChange[] {
  const pairing = pairByKey(before, after, (indicator) => normalizeText(indicator.name));
  const leftoverOld = before.map((_, i) => i).filter((i) => !pairing.oldToNew.has(i) && before[i]!.url !== null);
  const leftoverNew = after.map((_, j) => j).filter((j) => !pairing.newToOld.has(j) && after[j]!.url !== null);
  const byUrl = pairByKey(
    leftoverOld.map((i) => before[i]!),
    leftoverNew.map((j) => after[j]!),
    (indicator) => indicator.url ?? '',
  );
  for (const [a, b] of byUrl.oldToNew) {
    pairing.oldToNew.set(leftoverOld[a]!, leftoverNew[b]!);
    pairing.newToOld.set(leftoverNew[b]!, leftoverOld[a]!);
  }

  const changes: PageLevelChange[] = [];
  after.forEach((indicator, j) => {
    const i = pairing.newToOld.get(j);
    if (i === undefined) {
      changes.push({ kind: 'performance-indicator-added', indicator });
      return;
    }
    const old = before[i]!;
    if (old.url !== indicator.url || normalizeText(old.name) !== normalizeText(indicator.name)) {
      changes.push({ kind: 'performance-indicator-changed', from: old, to: indicator });
    }
  });
  before.forEach((indicator, i) => {
    if (!pairing.oldToNew.has(i)) changes.push({ kind: 'performance-indicator-removed', indicator });
  });
  return changes;
}
