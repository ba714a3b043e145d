import type { RedisClient as Redis } from '../queue/connection.js';
import type { HiringFamily } from './hiring-family.js';

/**
 * The page index: one Redis hash, `<lockPrefix>pages`, slug → the family's hiring summary (JSON).
 * `page-sync` writes it; a recruiting issue reads its family's stages from it without a GitLab call,
 * and the stage labels' descriptions are built from all of it. It is a cache of the handbook: losing
 * it costs a tree listing on the next recruiting issue (see recruiting-family.ts) and a `sync`.
 */

export function pageIndexKey(lockPrefix: string): string {
  return `${lockPrefix}pages`;
}

/**
 * A digest of the stage labels and board last reconciled with GitLab, so a page-sync that changes
 * nothing about them reads nothing from GitLab. Explicit runs (`sync`, the periodic reconcile) check
 * GitLab whatever the digest says, which repairs what people changed by hand.
 */
export async function appliedHiringDigest(redis: Redis, lockPrefix: string): Promise<string | null> {
  return redis.get(`${lockPrefix}hiring-applied`);
}

export async function recordAppliedHiring(redis: Redis, lockPrefix: string, digest: string): Promise<void> {
  await redis.set(`${lockPrefix}hiring-applied`, digest);
}

function parseEntry(raw: string | null | undefined): HiringFamily | null {
  if (raw === null || raw === undefined) return null;
  try {
    const value = JSON.parse(raw) as unknown;
    return isHiringFamily(value) ? value : null;
  } catch {
    // An unreadable entry is as good as none: the next page-sync rewrites it.
    return null;
  }
}

function isHiringFamily(value: unknown): value is HiringFamily {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry.slug === 'string' &&
    typeof entry.path === 'string' &&
    typeof entry.title === 'string' &&
    typeof entry.commit === 'string' &&
    Array.isArray(entry.roles) &&
    entry.roles.every((role: unknown) => {
      if (typeof role !== 'object' || role === null) return false;
      const r = role as Record<string, unknown>;
      return typeof r.name === 'string' && Array.isArray(r.stages) && Array.isArray(r.steps);
    })
  );
}

export async function readFamily(redis: Redis, lockPrefix: string, slug: string): Promise<HiringFamily | null> {
  return parseEntry(await redis.hget(pageIndexKey(lockPrefix), slug));
}

/** Every indexed family, sorted by slug. */
export async function readAllFamilies(redis: Redis, lockPrefix: string): Promise<HiringFamily[]> {
  const all = await redis.hgetall(pageIndexKey(lockPrefix));
  return Object.keys(all)
    .sort()
    .flatMap((slug) => {
      const entry = parseEntry(all[slug]);
      return entry === null ? [] : [entry];
    });
}

export async function writeFamily(redis: Redis, lockPrefix: string, family: HiringFamily): Promise<void> {
  await redis.hset(pageIndexKey(lockPrefix), family.slug, JSON.stringify(family));
}

export async function removeFamily(redis: Redis, lockPrefix: string, slug: string): Promise<void> {
  await redis.hdel(pageIndexKey(lockPrefix), slug);
}

/**
 * True when `incoming` (the commit time of a page-sync) is older than what the index holds: jobs finish
 * out of order, and the index must never go back to an older version. Unknown times never block.
 */
export function isOlderThanIndexed(indexed: HiringFamily | null, incoming: string | undefined): boolean {
  if (indexed?.committedAt === undefined || incoming === undefined) return false;
  const a = Date.parse(incoming);
  const b = Date.parse(indexed.committedAt);
  return !Number.isNaN(a) && !Number.isNaN(b) && a < b;
}
