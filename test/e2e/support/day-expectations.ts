/**
 * What the scripted day must leave behind, written out literally: the recruiting pages with their roles
 * and each role's hiring stages as a recruiter reads them off the page, and for each merge request the
 * review labels, the pages its checklist covers and the reviewers it asks. These are read from the
 * corpus pages in test/fixtures by a person (and pinned here), never computed by the bot's parser,
 * planners or renderers, so a bug there fails the e2e suite instead of moving the expectation along.
 */

export interface RecruitingRole {
  name: string;
  /** The role's hiring stages in process order (canonical names: screening, hiring-manager, …). */
  stages: readonly string[];
}

export interface RecruitingPage {
  path: string;
  slug: string;
  roles: readonly RecruitingRole[];
}

/** Pages with a hiring process, the one with an offer step first (the `stage offer` command needs it). */
export const RECRUITING_PAGES: readonly RecruitingPage[] = [
  {
    path: 'content/job-families/engineering/cloud-native-engineer/index.html.md',
    slug: 'cloud-native-engineer',
    roles: [{ name: 'Cloud Native Engineer', stages: ['screening', 'hiring-manager', 'executive', 'assessment', 'offer'] }],
  },
  {
    path: 'content/job-families/alliances/technology-partner-manager/_index.md',
    slug: 'technology-partner-manager',
    roles: [{ name: 'Technology Partner Manager', stages: ['screening', 'hiring-manager', 'team-interviews', 'executive'] }],
  },
  {
    path: 'content/job-families/engineering/development/management/director.md',
    slug: 'development-management-director',
    roles: [{ name: 'Director, Engineering', stages: ['screening', 'hiring-manager', 'team-interviews', 'executive', 'offer'] }],
  },
  {
    path: 'content/job-families/engineering/monitoring-engineer.md',
    slug: 'monitoring-engineer',
    roles: [{ name: 'Monitoring Engineer', stages: ['screening', 'hiring-manager', 'executive', 'offer'] }],
  },
  {
    path: 'content/job-families/finance/accountant.md',
    slug: 'accountant',
    roles: [
      { name: 'International Accountant', stages: ['screening', 'hiring-manager', 'executive', 'offer'] },
      { name: 'Accountant', stages: ['screening', 'hiring-manager', 'executive', 'offer'] },
      { name: 'Senior Accountant', stages: ['screening', 'hiring-manager', 'executive', 'offer'] },
      { name: 'Manager, Accounting', stages: ['screening', 'hiring-manager', 'executive', 'offer'] },
      { name: 'Senior Manager, Accounting', stages: ['screening', 'hiring-manager', 'executive', 'offer'] },
    ],
  },
];

export interface MergeRequestExpectation {
  /** Review labels the bot adds (config: grade-changed → job-family::grade-change, …), sorted. */
  labels: readonly string[];
  /** The checklist's page headings, `#### <page title> · <path>`, in order. */
  headings: readonly string[];
  /** Everyone the checklist mentions, sorted (the bot's own command word included). */
  mentions: readonly string[];
}

/**
 * The day's merge requests in order: each changes one history pair (test/fixtures/corpus/history) to
 * its later version; the second one also edits the page every push edits (technology-partner-manager
 * senior.md, whose role has no hiring process: a warning, hence `needs-fix`).
 */
export const MERGE_REQUESTS: readonly MergeRequestExpectation[] = [
  {
    // Data Science: four hiring steps reworded or moved, two performance indicators renamed; its
    // process has no offer step, a warning `check` reports (so the problems rule's label too).
    labels: ['job-family::hiring-process', 'job-family::needs-fix'],
    headings: ['#### Data Science · sites/uncategorized/source/job-families/finance/data-science/index.html.md'],
    mentions: ['@handbook-bot', '@okr-coach', '@recruiting-lead'],
  },
  {
    // Corporate Development gains a six-step hiring process.
    labels: ['job-family::hiring-process', 'job-family::needs-fix'],
    headings: [
      '#### Senior Technology Partner Manager · content/job-families/alliances/technology-partner-manager/senior.md',
      '#### Corporate Development · sites/uncategorized/source/job-families/legal-and-corporate-affairs/corporate-development/index.html.md',
    ],
    mentions: ['@handbook-bot', '@recruiting-lead'],
  },
  {
    labels: ['job-family::hiring-process'],
    headings: ['#### Legal Counsel · sites/uncategorized/source/job-families/legal-and-corporate-affairs/legal-counsel/index.html.md'],
    mentions: ['@handbook-bot', '@recruiting-lead'],
  },
  {
    labels: ['job-family::grade-change'],
    headings: [
      '#### Product Marketing Manager · sites/uncategorized/source/job-families/marketing/product-marketing-manager/index.html.md',
    ],
    mentions: ['@handbook-bot', '@people-business-partner', '@total-rewards-lead'],
  },
  {
    labels: ['job-family::grade-change'],
    headings: [
      '#### Product Management - Leadership · sites/uncategorized/source/job-families/product/product-management-leadership/index.html.md',
    ],
    mentions: ['@handbook-bot', '@total-rewards-lead'],
  },
];

/** The first line of the `help` reply, and the commands it lists. */
export const HELP_FIRST_LINE = 'I keep recruiting in step with the hiring process written in each job-family page of the handbook:';
export const HELP_COMMANDS = ['`@handbook-bot help`', '`@handbook-bot recheck`', '`@handbook-bot stage <name>`'];

/** The `recheck` reply for a merge request at `headSha`. */
export function recheckReply(headSha: string): string {
  return `Queued a new review of this merge request at commit ${headSha.slice(0, 8)}. The checklist note will be updated in place.`;
}
