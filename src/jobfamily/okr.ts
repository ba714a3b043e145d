import { normalizeText } from './diff.js';
import { fiscalQuarter, isoDate, type FiscalQuarter } from './fiscal.js';
import type { JobFamilyPage, Role } from './model.js';

/**
 * What the OKR tracking issue of a page should say (DESIGN §4), as data. Rendering to markdown happens
 * in `actions/okr-issue-plan.ts`, next to the sanitizer: this module decides *what* the issue holds
 * (quarter, labels, owners, key results), that one decides how page text is written into GitLab. Kept
 * apart so no caller can render page text without sanitizing it, and so `plan --json` can print the
 * structure as is.
 */

/** The options `planOkrIssue` needs; structurally a subset of `Config['okr']` plus the page's commit. */
export interface OkrOptions {
  now: Date;
  fiscalYearStartMonth: number;
  /** Configured labels (`okr.labels`); `job-family::<slug>` is added. */
  labels: readonly string[];
  /** Link to the page at `commit`. */
  pageUrl: string;
  commit: string;
  /** ISO time of `commit`. */
  committedAt?: string;
  /** Overrides the slug derived from the page path. */
  slug?: string;
}

export interface OkrOwnership {
  /**
   * `page`: an OKR responsibility is page-level, so every role owns OKRs; `roles`: only the roles whose
   * responsibilities include one; `none`: the page names no OKR responsibility.
   */
  scope: 'page' | 'roles' | 'none';
  roles: string[];
}

export interface KeyResult {
  /** The performance indicator's name and link, as on the page. */
  name: string;
  url: string | null;
  /** The role that owns the key result, or `null` (unassigned). */
  owner: string | null;
}

export interface OkrIssueModel {
  slug: string;
  quarter: FiscalQuarter;
  pagePath: string;
  /** The page title, or the slug when the page has none. */
  pageTitle: string;
  pageUrl: string;
  commit: string;
  committedAt: string | null;
  labels: string[];
  /** `YYYY-MM-DD`: the quarter's last day. */
  dueDate: string;
  owners: OkrOwnership;
  /** The page's OKR responsibilities. */
  okrs: string[];
  /** One per performance indicator, in page order. */
  keyResults: KeyResult[];
}

export function okrIssueModel(page: JobFamilyPage, options: OkrOptions): OkrIssueModel {
  const slug = options.slug ?? pageSlug(page.path);
  const quarter = fiscalQuarter(options.now, options.fiscalYearStartMonth);
  const owners = okrOwnership(page);
  const owner = keyResultOwner(page.roles, owners);
  return {
    slug,
    quarter,
    pagePath: page.path,
    pageTitle: page.title.trim() === '' ? slug : page.title.trim(),
    pageUrl: options.pageUrl,
    commit: options.commit,
    committedAt: options.committedAt ?? null,
    labels: unique([...options.labels, jobFamilyLabel(slug)]),
    dueDate: isoDate(quarter.end),
    owners,
    okrs: [...page.okrs],
    keyResults: page.performanceIndicators.map((indicator) => ({ name: indicator.name, url: indicator.url, owner })),
  };
}

export const JOB_FAMILY_LABEL_PREFIX = 'job-family::';

/** `job-family::<slug>`: the label that ties issues (OKR and recruiting) to a page. */
export function jobFamilyLabel(slug: string): string {
  return `${JOB_FAMILY_LABEL_PREFIX}${slug}`;
}

/**
 * The page's slug from its path: the path below the department folder of `job-families/`, joined with
 * `-` (`security/security-leadership.md` → `security-leadership`, `alliances/technology-partner-manager/
 * senior.md` → `technology-partner-manager-senior`), because file names alone collide (`senior.md`,
 * `manager.md` in several families). Index pages (`index.html.md`, Hugo's `_index.md`) are named by their
 * folder. Outside `job-families/`, the file name. Lower-case letters, digits and `-`.
 */
export function pageSlug(path: string): string {
  const parts = path.split(/[\\/]+/u).filter((part) => part !== '');
  const file = (parts.pop() ?? '')
    .replace(/\.erb$/iu, '')
    .replace(/\.(md|markdown)$/iu, '')
    .replace(/\.html?$/iu, '');
  if (file !== '' && !/^_?index$/iu.test(file)) parts.push(file);
  const root = parts.lastIndexOf('job-families');
  // Below the department (the first folder under job-families/), when there is anything below it.
  const below = root === -1 ? parts.slice(-1) : parts.slice(root + 2);
  const named = below.length > 0 ? below : parts.slice(-1);
  const slug = named
    .join('-')
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/gu, '-')
    .replace(/^-+|-+$/gu, '');
  return slug === '' ? 'page' : slug;
}

/** Which roles own OKRs: all of them when an OKR responsibility is page-level, else those listing one. */
export function okrOwnership(page: JobFamilyPage): OkrOwnership {
  if (page.okrs.length === 0) return { scope: 'none', roles: [] };
  const okrKeys = new Set(page.okrs.map(normalizeText));
  const roleItems = (role: Role) => [...role.responsibilities, ...role.specialties.flatMap((s) => s.responsibilities)];
  const owning = page.roles.filter((role) => roleItems(role).some((item) => okrKeys.has(normalizeText(item))));
  const attributed = new Set(page.roles.flatMap((role) => roleItems(role).map(normalizeText)).filter((key) => okrKeys.has(key)));
  // An OKR item found in no role (page-level, or anywhere else on the page) binds every role.
  const pageLevel = [...okrKeys].some((key) => !attributed.has(key));
  if (pageLevel) return { scope: 'page', roles: page.roles.map((role) => role.name) };
  return { scope: 'roles', roles: owning.map((role) => role.name) };
}

/**
 * The page's key results belong to its most senior OKR-owning role (highest grade; pages list levels
 * from junior to senior, so among equal or missing grades the later role wins). People reassign in
 * the issue; the bot only proposes.
 */
function keyResultOwner(roles: readonly Role[], owners: OkrOwnership): string | null {
  const owning = new Set(owners.roles);
  let best: Role | null = null;
  for (const role of roles) {
    if (!owning.has(role.name)) continue;
    if (best === null || (role.grade ?? Number.NEGATIVE_INFINITY) >= (best.grade ?? Number.NEGATIVE_INFINITY)) best = role;
  }
  return best?.name ?? null;
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}
