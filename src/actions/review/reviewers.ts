import type { GitLabApi, GitLabUser } from '../../gitlab/api.js';

/**
 * The rules' reviewers as GitLab reviewers of the merge request (`reviewer_ids`). Usernames are looked
 * up with `GET /users?username=` once and cached in the worker process (LRU with a TTL), so a busy
 * day costs one lookup per reviewer per TTL rather than one per merge request; an unknown username is
 * cached too (and reported in the note), so a typo in the config does not cost a call per job.
 */

const TTL_MS = 10 * 60_000;
const MAX_ENTRIES = 500;

interface Entry {
  id: number | null;
  expires: number;
}

/** Usernames (lower-cased) → user id, or `null` for "no such user". */
export class UserIdCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs = TTL_MS,
    private readonly maxEntries = MAX_ENTRIES,
  ) {}

  get(username: string, now: number): number | null | undefined {
    const key = username.toLowerCase();
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expires <= now) {
      this.entries.delete(key);
      return undefined;
    }
    // Re-inserted: Map order is recency order, so the oldest entry is the first one.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.id;
  }

  set(username: string, id: number | null, now: number): void {
    const key = username.toLowerCase();
    this.entries.delete(key);
    this.entries.set(key, { id, expires: now + this.ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}

/** One cache per GitLab client, which lives as long as the worker process. */
const caches = new WeakMap<GitLabApi, UserIdCache>();

function cacheFor(gitlab: GitLabApi): UserIdCache {
  let cache = caches.get(gitlab);
  if (cache === undefined) caches.set(gitlab, (cache = new UserIdCache()));
  return cache;
}

/** Username → id (`null`: GitLab has no such user), looking up only what the cache lacks. */
export async function resolveUsernames(
  gitlab: GitLabApi,
  usernames: readonly string[],
  now = Date.now(),
): Promise<Map<string, number | null>> {
  const cache = cacheFor(gitlab);
  const result = new Map<string, number | null>();
  const missing: string[] = [];
  for (const name of new Set(usernames)) {
    const cached = cache.get(name, now);
    if (cached === undefined) missing.push(name);
    else result.set(name, cached);
  }
  if (missing.length > 0) {
    const found = await gitlab.findUsers(missing);
    for (const name of missing) {
      const user = found.find((candidate) => candidate.username.toLowerCase() === name.toLowerCase());
      const id = user?.id ?? null;
      cache.set(name, id, now);
      result.set(name, id);
    }
  }
  return result;
}

export interface ReviewerPlan {
  /** The whole new `reviewer_ids` (people already there stay), or `null` when nobody is missing. */
  reviewerIds: number[] | null;
  /** Wanted usernames GitLab does not know, sorted. */
  unknown: string[];
}

/** Pure: who to add as reviewers, from the wanted usernames, the lookups and the current reviewers. */
export function planReviewers(
  wanted: readonly string[],
  ids: ReadonlyMap<string, number | null>,
  current: readonly GitLabUser[],
): ReviewerPlan {
  const have = new Set(current.map((user) => user.id));
  const add: number[] = [];
  const unknown: string[] = [];
  for (const name of wanted) {
    const id = ids.get(name);
    if (id === null || id === undefined) unknown.push(name);
    else if (!have.has(id) && !add.includes(id)) add.push(id);
  }
  return { reviewerIds: add.length === 0 ? null : [...current.map((user) => user.id), ...add], unknown: [...new Set(unknown)].sort() };
}
