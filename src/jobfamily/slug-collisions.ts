import { pageSlug } from './okr.js';

/**
 * Pages that give the same slug (the OKR issue's key and the `job-family::` label): two pages would
 * share one issue and one label, so the bot refuses to sync them silently. Pure.
 */
export function slugCollisions(paths: readonly string[]): Map<string, string[]> {
  const bySlug = new Map<string, string[]>();
  for (const path of paths) bySlug.set(pageSlug(path), [...(bySlug.get(pageSlug(path)) ?? []), path]);
  return new Map([...bySlug].filter(([, group]) => group.length > 1).map(([slug, group]) => [slug, [...group].sort()]));
}

/** One line per colliding page, `path: error: …`, naming the others and how to fix it. */
export function slugCollisionLines(paths: readonly string[]): string[] {
  const lines: string[] = [];
  for (const [slug, group] of slugCollisions(paths)) {
    for (const path of group) {
      const others = group.filter((other) => other !== path).join(', ');
      lines.push(
        `${path}: error: the job-family slug "${slug}" is also given by ${others}; both pages would share one OKR issue and the label job-family::${slug}. Rename one of the files (the slug is the file name below the department folder).`,
      );
    }
  }
  return lines;
}
