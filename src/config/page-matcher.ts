import picomatch from 'picomatch';
import type { Config } from './types.js';

/**
 * "Is this path a job-family page?" — one answer for the webhook, push resolution, merge request
 * review, `sync` and `check`. `dot: true` because a folder like `.drafts/` inside `job-families/` is
 * still part of the handbook. Compile once and keep the matcher: it runs on every webhook delivery.
 */
export function pageMatcher(config: Pick<Config, 'handbook'>): (path: string) => boolean {
  return picomatch([...config.handbook.pages], { dot: true });
}

/** A user-given glob (`sync --only`), matched the same way. */
export function globMatcher(glob: string): (path: string) => boolean {
  return picomatch(glob, { dot: true });
}
