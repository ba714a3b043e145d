/** How items are compared and paired across two versions of a page. */

/** Text as compared: case, spacing, typographic quotes, emphasis and link markup, final punctuation ignored. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/gu, '$1')
    .replace(/[\u2018\u2019\u201B]/gu, "'")
    .replace(/[\u201C\u201D\u201F]/gu, '"')
    .replace(/[*_`~]/gu, '')
    .toLowerCase()
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(/[\s.;,:!]+$/u, '');
}

export function multisetDifference<T>(before: readonly T[], after: readonly T[], key: (item: T) => string): { added: T[]; removed: T[] } {
  const remaining = new Map<string, number>();
  for (const item of before) remaining.set(key(item), (remaining.get(key(item)) ?? 0) + 1);
  const added: T[] = [];
  for (const item of after) {
    const count = remaining.get(key(item)) ?? 0;
    if (count > 0) remaining.set(key(item), count - 1);
    else added.push(item);
  }
  const removed: T[] = [];
  for (const item of [...before].reverse()) {
    const count = remaining.get(key(item)) ?? 0;
    if (count > 0) {
      remaining.set(key(item), count - 1);
      removed.unshift(item);
    }
  }
  return { added, removed };
}

export function jaccard(a: readonly string[], b: readonly string[]): number {
  const left = new Set(a);
  const right = new Set(b);
  if (left.size === 0 && right.size === 0) return 0;
  let shared = 0;
  for (const item of left) if (right.has(item)) shared += 1;
  return shared / (left.size + right.size - shared);
}

export interface Pairing {
  oldToNew: Map<number, number>;
  newToOld: Map<number, number>;
}

/** Pairs equal keys, the k-th old occurrence with the k-th new one. */
export function pairByKey<T>(before: readonly T[], after: readonly T[], key: (item: T) => string): Pairing {
  const queues = new Map<string, number[]>();
  before.forEach((item, i) => {
    const k = key(item);
    const queue = queues.get(k);
    if (queue) queue.push(i);
    else queues.set(k, [i]);
  });
  const pairing: Pairing = { oldToNew: new Map(), newToOld: new Map() };
  after.forEach((item, j) => {
    const i = queues.get(key(item))?.shift();
    if (i === undefined) return;
    pairing.oldToNew.set(i, j);
    pairing.newToOld.set(j, i);
  });
  return pairing;
}

/** Above this many candidate pairs, renames are not searched (a hostile page must stay cheap). */
const MAX_PAIRINGS = 250_000;

/**
 * Best-first pairing of leftovers whose similarity reaches `threshold`; ties go to the pair whose
 * positions are closest, then to the earliest, so the result does not depend on iteration details.
 */
export function greedyPairs(
  oldIndexes: readonly number[],
  newIndexes: readonly number[],
  similarity: (i: number, j: number) => number,
  threshold: number,
): Array<[number, number]> {
  if (oldIndexes.length === 0 || newIndexes.length === 0) return [];
  if (oldIndexes.length * newIndexes.length > MAX_PAIRINGS) return [];
  const candidates: Array<{ i: number; j: number; score: number }> = [];
  for (const i of oldIndexes) {
    for (const j of newIndexes) {
      const score = similarity(i, j);
      if (score >= threshold) candidates.push({ i, j, score });
    }
  }
  candidates.sort((a, b) => b.score - a.score || Math.abs(a.i - a.j) - Math.abs(b.i - b.j) || a.i - b.i || a.j - b.j);
  const usedOld = new Set<number>();
  const usedNew = new Set<number>();
  const pairs: Array<[number, number]> = [];
  for (const { i, j } of candidates) {
    if (usedOld.has(i) || usedNew.has(j)) continue;
    usedOld.add(i);
    usedNew.add(j);
    pairs.push([i, j]);
  }
  return pairs;
}
