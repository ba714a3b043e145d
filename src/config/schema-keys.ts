import { z } from 'zod';

/**
 * Which keys the schema allows at a path, so an "unknown key" error can say what was probably meant.
 * Walks through the wrappers (default, optional, array) that sit between a mapping and its keys.
 */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.ZodType | undefined = unwrap(schema);
  for (const segment of path) {
    if (current instanceof z.ZodObject) {
      const shape = current.shape as Record<string, z.ZodType>;
      current = typeof segment === 'string' ? shape[segment] : undefined;
    } else if (current instanceof z.ZodArray && typeof segment === 'number') {
      current = current.element as z.ZodType;
    } else {
      return [];
    }
    current = current === undefined ? undefined : unwrap(current);
  }
  return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  // Bounded loop: wrappers nest only a few levels deep.
  for (let depth = 0; depth < 10; depth += 1) {
    if (current instanceof z.ZodDefault || current instanceof z.ZodOptional || current instanceof z.ZodNullable) {
      current = current.unwrap() as z.ZodType;
    } else {
      break;
    }
  }
  return current;
}

/** The known key closest to a misspelt one, when it is close enough to be a likely typo. */
export function closestKey(unknown: string, known: readonly string[]): string | undefined {
  const lower = unknown.toLowerCase();
  let best: { key: string; distance: number } | undefined;
  for (const key of known) {
    const distance = editDistance(lower, key.toLowerCase());
    if (best === undefined || distance < best.distance) best = { key, distance };
  }
  if (best === undefined) return undefined;
  // Short keys tolerate one edit, longer ones more: "projekt" → "project", but not "foo" → "bot".
  const length = best.key.length;
  const allowed = length <= 3 ? 1 : length <= 6 ? 2 : Math.floor(length / 3);
  return best.distance <= allowed ? best.key : undefined;
}

/** Sections (top-level keys) that have `key` as one of their own keys: "project" → handbook, okr, … */
export function sectionsWithKey(schema: z.ZodType, key: string): string[] {
  return knownKeysAt(schema, []).filter((section) => knownKeysAt(schema, [section]).includes(key));
}

/** Edit distance where swapping two neighbouring letters ("bracnh") counts as one typo. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i += 1) {
    const row: number[] = [];
    for (let j = 0; j <= b.length; j += 1) {
      if (i === 0 || j === 0) {
        row.push(i + j);
        continue;
      }
      const above = rows[i - 1] ?? [];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((above[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (above[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}
