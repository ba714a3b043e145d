import picomatch from 'picomatch';
import { z } from 'zod';
import { REVIEW_TRIGGER_NAMES } from '../jobfamily/diff/changes.js';

/**
 * The configuration file's schema (DESIGN §5). Unknown keys are errors (`strictObject`) so a typo never
 * silently falls back to a default. Every key has a default except the projects, which the loader
 * requires when a file is given.
 */

/** The `review.rules[].when` names: the triggers the page diff raises. */
export const REVIEW_TRIGGERS = REVIEW_TRIGGER_NAMES;
export type ReviewTrigger = (typeof REVIEW_TRIGGERS)[number];

/** A project path (`group/project`) or numeric id, as GitLab's API accepts either. */
const PROJECT_REF_MESSAGE = 'must be a project path like "group/project" or a numeric id';
const projectRef = z.union([z.number().int().positive(), z.string().trim().min(1, PROJECT_REF_MESSAGE)], {
  error: PROJECT_REF_MESSAGE,
});

/** GitLab usernames, written without `@`; the only people the bot ever mentions. */
const username = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'must be a GitLab username without "@" (letters, digits, "_", ".", "-")');

const OPENERS: Record<string, string> = { ']': '[', '}': '{', ')': '(' };

/** Strict brackets turn a typo such as `content/[job-families/**` into an error instead of a literal "[". */
const glob = z
  .string()
  .min(1)
  .superRefine((pattern, context) => {
    try {
      picomatch.makeRe(pattern, { strictBrackets: true });
    } catch (error) {
      const closer = /Missing closing: "(.)"/.exec(error instanceof Error ? error.message : '')?.[1];
      const opener = closer === undefined ? undefined : OPENERS[closer];
      context.addIssue({
        code: 'custom',
        message:
          closer !== undefined && opener !== undefined
            ? `is not a valid glob pattern: "${opener}" is never closed; add "${closer}", or write "\\${opener}" for a literal "${opener}"`
            : 'is not a valid glob pattern: check for unbalanced brackets or braces',
      });
    }
  });

const regexSource = z
  .string()
  .min(1)
  .refine(
    (source) => {
      try {
        new RegExp(source, 'iu');
        return true;
      } catch {
        return false;
      }
    },
    { message: 'is not a valid regular expression' },
  );

const labelName = z.string().trim().min(1).max(255);
const color = z.string().regex(/^#[0-9A-Fa-f]{6}$/, 'must be a colour like "#1f75cb"');
const stageName = z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be lower-case words joined by "-", like "team-interviews"');

export const DEFAULT_PAGE_GLOBS = ['**/job-families/**/*.md', '**/job-families/**/*.md.erb'];

/**
 * Label colours of the built-in hiring stages (`hiring-stage::<name>`), in board order. Meant as the
 * fallback for a configured stage without `color` too (unknown names: "other"'s grey). The example
 * config shows the same values; a test keeps the two in step.
 */
export const DEFAULT_STAGE_COLORS = {
  screening: '#6699cc',
  'hiring-manager': '#1f75cb',
  'team-interviews': '#9400d3',
  executive: '#330066',
  assessment: '#ed9121',
  references: '#c39953',
  offer: '#009966',
  other: '#808080',
} as const satisfies Record<string, string>;

const gitlabSection = z.strictObject({
  /** GITLAB_URL wins when set. */
  url: z.url({ protocol: /^https?$/ }).default('https://gitlab.com'),
  /** Shared budget across every worker process, under GitLab.com's 2,000 calls/min. */
  requestsPerMinute: z.number().int().positive().default(1500),
  /** Notes and issues created per minute (GitLab.com allows 60 notes/min per user). */
  createsPerMinute: z.number().int().positive().default(50),
});

const handbookSection = z.strictObject({
  project: projectRef.optional(),
  branch: z.string().min(1).optional(),
  pages: z.array(glob).min(1).default(DEFAULT_PAGE_GLOBS),
});

/**
 * The quarter rollover (a repeatable job): when the fiscal quarter changes it opens every page's new
 * OKR issue, closes the previous one with a link to it, and carries over unticked key results. On by
 * default; `every` (milliseconds) replaces `cron` when given.
 */
const rolloverSection = z.strictObject({
  enabled: z.boolean().default(true),
  cron: z.string().min(1).default('10 0 * * *'),
  every: z.number().int().min(60_000, 'must be at least 60000 (one minute), in milliseconds').optional(),
});

const okrSection = z.strictObject({
  /** Defaults to the handbook project. */
  project: projectRef.optional(),
  fiscalYearStartMonth: z.number().int().min(1).max(12).default(2),
  labels: z.array(labelName).default(['OKR']),
  assignees: z.array(username).default([]),
  rollover: rolloverSection.default(rolloverSection.parse({})),
});

const reviewRule = z.strictObject({
  when: z.enum(REVIEW_TRIGGERS),
  reviewers: z.array(username).default([]),
  labels: z.array(labelName).default([]),
  /**
   * The merge gate (commit status `handbook-bot/review`) stays `pending` while an item of this rule is
   * unticked in the checklist.
   */
  blocking: z.boolean().default(false),
});

const stageRule = z.strictObject({
  name: stageName,
  /** Case-insensitive regular expressions matched against a hiring step's text. */
  patterns: z.array(regexSource).default([]),
  color: color.optional(),
});

const recruitingSection = z.strictObject({
  /** Defaults to the handbook project. */
  project: projectRef.optional(),
  board: z.string().trim().min(1).default('Hiring pipeline'),
  /**
   * Canonical stages in board order. When given, replaces the built-in list; a stage's patterns are
   * tried in list order and the first stage that matches a step wins.
   */
  stages: z.array(stageRule).min(1).optional(),
});

const botSection = z.strictObject({
  commandWord: z
    .string()
    .regex(/^@[A-Za-z0-9_.-]+$/, 'must be "@" followed by a username')
    .default('@handbook-bot'),
});

const syncSection = z.strictObject({
  /** Cron expression for the periodic reconcile; absent = off. */
  cron: z.string().min(1).optional(),
});

const adminSection = z.strictObject({
  /** bull-board is read-only unless this is false. */
  readOnly: z.boolean().default(true),
});

export const configSchema = z.strictObject({
  gitlab: gitlabSection.default(gitlabSection.parse({})),
  handbook: handbookSection.default(handbookSection.parse({})),
  okr: okrSection.default(okrSection.parse({})),
  review: z.strictObject({ rules: z.array(reviewRule).default([]) }).default({ rules: [] }),
  recruiting: recruitingSection.default(recruitingSection.parse({})),
  bot: botSection.default(botSection.parse({})),
  sync: syncSection.default({}),
  admin: adminSection.default(adminSection.parse({})),
});

/** The configuration as written (and defaulted) by the file. */
export type FileConfig = z.output<typeof configSchema>;
export type ReviewRule = z.output<typeof reviewRule>;
export type StageRuleConfig = z.output<typeof stageRule>;
export type ProjectRef = z.output<typeof projectRef>;
