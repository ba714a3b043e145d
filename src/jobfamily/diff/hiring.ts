import type { HiringStep } from '../model.js';
import type { HiringChange, HiringStepEdit, Scope } from './changes.js';
import { greedyPairs, normalizeText, pairByKey, type Pairing } from './text.js';

// ---------------------------------------------------------------------------------------------------
// Hiring process: align steps (same text, then similar wording, then same position between unchanged
// steps), then report what is left over as added or removed, and paired steps that were reworded,
// re-staged or moved. A step "moved" when it is not in the longest run of pairs that kept their order.

/** Word overlap (Dice) at or above this makes two steps the same step reworded. */
const STEP_SIMILARITY_THRESHOLD = 0.5;

export function hiringChanges(before: readonly HiringStep[], after: readonly HiringStep[], scope: Scope): HiringChange[] {
  const pairing = pairByKey(before, after, (step) => normalizeText(step.text));
  const leftoverOld = () => before.map((_, i) => i).filter((i) => !pairing.oldToNew.has(i));
  const leftoverNew = () => after.map((_, j) => j).filter((j) => !pairing.newToOld.has(j));

  const words = (step: HiringStep) =>
    new Set(
      normalizeText(step.text)
        .split(/[^\p{L}\p{N}]+/u)
        .filter(Boolean),
    );
  const oldWords = before.map(words);
  const newWords = after.map(words);
  for (const [i, j] of greedyPairs(leftoverOld(), leftoverNew(), (i, j) => dice(oldWords[i]!, newWords[j]!), STEP_SIMILARITY_THRESHOLD)) {
    pairing.oldToNew.set(i, j);
    pairing.newToOld.set(j, i);
  }

  // Edited wording with nothing in common: pair leftovers that sit between the same kept steps, in order.
  const anchors = orderedPairs(pairing);
  const oldLeft = leftoverOld();
  const newLeft = leftoverNew();
  const bounds = [{ i: -1, j: -1 }, ...anchors, { i: before.length, j: after.length }];
  for (let g = 0; g + 1 < bounds.length; g += 1) {
    const lo = bounds[g]!;
    const hi = bounds[g + 1]!;
    const olds = oldLeft.filter((i) => i > lo.i && i < hi.i);
    const news = newLeft.filter((j) => j > lo.j && j < hi.j);
    for (let k = 0; k < Math.min(olds.length, news.length); k += 1) {
      pairing.oldToNew.set(olds[k]!, news[k]!);
      pairing.newToOld.set(news[k]!, olds[k]!);
    }
  }

  const inOrder = new Set(orderedPairs(pairing).map(({ i }) => i));
  const changes: HiringChange[] = [];
  before.forEach((step, i) => {
    if (!pairing.oldToNew.has(i)) changes.push({ kind: 'hiring-step-removed', ...scope, step, position: i + 1 });
  });
  after.forEach((step, j) => {
    const i = pairing.newToOld.get(j);
    if (i === undefined) {
      changes.push({ kind: 'hiring-step-added', ...scope, step, position: j + 1 });
      return;
    }
    const old = before[i]!;
    const edits: HiringStepEdit[] = [];
    if (normalizeText(old.text) !== normalizeText(step.text)) edits.push('wording');
    if (old.stage !== step.stage) edits.push('stage');
    if (!inOrder.has(i)) edits.push('order');
    if (edits.length > 0) {
      changes.push({ kind: 'hiring-step-changed', ...scope, from: old, to: step, fromPosition: i + 1, toPosition: j + 1, edits });
    }
  });
  return changes;
}

function dice(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const word of a) if (b.has(word)) shared += 1;
  return (2 * shared) / (a.size + b.size);
}

/**
 * The largest set of pairs that keep their relative order (a longest increasing subsequence of new
 * positions taken in old order), sorted by old position. O(n log n).
 */
function orderedPairs(pairing: Pairing): Array<{ i: number; j: number }> {
  const pairs = [...pairing.oldToNew].map(([i, j]) => ({ i, j })).sort((a, b) => a.i - b.i);
  const tails: number[] = [];
  const previous: number[] = new Array<number>(pairs.length).fill(-1);
  for (let k = 0; k < pairs.length; k += 1) {
    const j = pairs[k]!.j;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pairs[tails[mid]!]!.j < j) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[k] = tails[lo - 1]!;
    tails[lo] = k;
  }
  const kept: Array<{ i: number; j: number }> = [];
  for (let k = tails.length > 0 ? tails[tails.length - 1]! : -1; k >= 0; k = previous[k]!) kept.unshift(pairs[k]!);
  return kept;
}
