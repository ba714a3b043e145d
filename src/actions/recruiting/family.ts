import { parseOptionsFromConfig } from '../../config/parse-options.js';
import type { Issue } from '../../gitlab/api.js';
import { hasMarker } from '../../gitlab/markers.js';
import { pageSlug } from '../../jobfamily/okr.js';
import { parsePage } from '../../jobfamily/parse.js';
import type { ActionContext } from '../shared/context.js';
import { hiringFamilyFromPage, stageOrder, type HiringFamily } from '../hiring/family.js';
import { readAllFamilies, readFamily, writeFamily } from '../shared/page-index.js';
import { familyLabelSlugs, jobFamilyLinks } from './issue-plan.js';
import { listHandbookPages } from '../shared/handbook-pages.js';

/**
 * Which job family a recruiting issue belongs to, and that family's hiring stages.
 *
 * The page index (page-index.ts) answers without GitLab. A family missing from it (Redis was flushed,
 * or no page-sync ran yet) is looked up in the handbook once: the tree of the default branch, the
 * page whose slug matches, parsed and added to the index. A slug the handbook does not have is
 * remembered for a while, so a stray `job-family::…` label does not list the tree on every event.
 */

const MISSING_TTL_SECONDS = 600;

function missingKey(lockPrefix: string, slug: string): string {
  return `${lockPrefix}pages-missing:${slug}`;
}

/**
 * OKR tracking issues carry `job-family::<slug>` too, and may live in the same project (the recruiting
 * project defaults to the handbook's): they are never recruiting issues.
 */
export function isOkrIssue(issue: Issue, okrLabels: readonly string[]): boolean {
  return hasMarker(issue.description, 'okr') || issue.labels.some((label) => okrLabels.includes(label));
}

export async function loadFamily(ctx: ActionContext, slug: string): Promise<HiringFamily | null> {
  const indexed = await readFamily(ctx.redis, ctx.lockPrefix, slug);
  if (indexed !== null) return indexed;
  if ((await ctx.redis.exists(missingKey(ctx.lockPrefix, slug))) === 1) return null;
  return findFamilyInHandbook(ctx, slug);
}

async function findFamilyInHandbook(ctx: ActionContext, slug: string): Promise<HiringFamily | null> {
  const pages = await listHandbookPages(ctx.gitlab, ctx.config);
  const path = pages.paths.find((candidate) => pageSlug(candidate) === slug);
  const source = path === undefined ? null : await ctx.gitlab.getFile(pages.project, path, pages.commit);
  if (path === undefined || source === null) {
    await ctx.redis.set(missingKey(ctx.lockPrefix, slug), '1', 'EX', MISSING_TTL_SECONDS);
    ctx.logger.info({ slug }, 'recruiting issue: no job-family page has this slug');
    return null;
  }
  const page = parsePage(source, path, parseOptionsFromConfig(ctx.config));
  const family = hiringFamilyFromPage(page, { path, commit: pages.commit, order: stageOrder(ctx.config) });
  // The index is what page-sync last applied: one written meanwhile wins, since page-sync migrates
  // issues against it (this lookup only fills a gap, it never replaces an entry).
  const current = await readFamily(ctx.redis, ctx.lockPrefix, slug);
  if (current !== null) return current;
  await writeFamily(ctx.redis, ctx.lockPrefix, family);
  ctx.logger.info({ slug, path, commit: pages.commit }, 'recruiting issue: job-family page read from the handbook and indexed');
  return family;
}

/**
 * The family of an issue: its `job-family::<slug>` label, else a link in its description to a page
 * (a `job-families/` URL or path, or the path of an indexed page). `null`: not a recruiting issue.
 */
export async function familyOfIssue(ctx: ActionContext, issue: Issue): Promise<HiringFamily | null> {
  if (isOkrIssue(issue, ctx.config.okr.labels)) return null;
  for (const slug of familyLabelSlugs(issue.labels)) {
    const family = await loadFamily(ctx, slug);
    if (family !== null) return family;
  }
  for (const link of jobFamilyLinks(issue.description)) {
    const family = await loadFamily(ctx, pageSlug(link));
    if (family !== null) return family;
  }
  const description = issue.description ?? '';
  if (description === '') return null;
  const indexed = await readAllFamilies(ctx.redis, ctx.lockPrefix);
  return indexed.find((family) => description.includes(family.path)) ?? null;
}
