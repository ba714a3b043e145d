import type { RedisClient as Redis } from '../../queue/connection.js';
import type { HiringFamily } from '../hiring/family.js';

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

// --- renames seen in a compare, until a page-sync applied them --------------------------------------

/** A page renamed to another path (compare's `renamed_file`), recorded by push-resolve. */
export interface PageMove {
  fromPath: string;
  toPath: string;
}

function movesKey(lockPrefix: string, direction: 'to' | 'from'): string {
  return `${lockPrefix}moves-${direction}`;
}

function parseMove(raw: string | null | undefined): PageMove | null {
  if (raw === null || raw === undefined) return null;
  try {
    const value = JSON.parse(raw) as Partial<PageMove>;
    return typeof value.fromPath === 'string' && typeof value.toPath === 'string'
      ? { fromPath: value.fromPath, toPath: value.toPath }
      : null;
  } catch {
    return null;
  }
}

/**
 * Remembers a rename by both slugs, so whichever job of either path runs first (deliveries arrive in
 * any order) applies it: the new path's job moves the OKR issue and relabels recruiting issues
 * instead of opening a second issue, and the old path's job does not close what moved.
 */
export async function recordMove(redis: Redis, lockPrefix: string, move: PageMove, slugs: { from: string; to: string }): Promise<void> {
  const value = JSON.stringify(move);
  await redis.multi().hset(movesKey(lockPrefix, 'to'), slugs.to, value).hset(movesKey(lockPrefix, 'from'), slugs.from, value).exec();
}

export async function pendingMoveInto(redis: Redis, lockPrefix: string, slug: string): Promise<PageMove | null> {
  return parseMove(await redis.hget(movesKey(lockPrefix, 'to'), slug));
}

export async function pendingMoveFrom(redis: Redis, lockPrefix: string, slug: string): Promise<PageMove | null> {
  return parseMove(await redis.hget(movesKey(lockPrefix, 'from'), slug));
}

export async function clearMove(redis: Redis, lockPrefix: string, slugs: { from: string; to: string }): Promise<void> {
  await redis.multi().hdel(movesKey(lockPrefix, 'to'), slugs.to).hdel(movesKey(lockPrefix, 'from'), slugs.from).exec();
}
