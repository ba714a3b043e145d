import type { Redis } from 'ioredis';
import type { ActionContext } from '../../../src/actions/shared/context.js';
import type { Config } from '../../../src/config/types.js';
import type { GitLabClient } from '../../../src/gitlab/client.js';
import { createLogger } from '../../../src/log.js';
import type { JobSpec } from '../../../src/queue/jobs.js';
import { queuePrefix } from '../../../src/queue/queues.js';
import { testSettings } from '../../support/settings.js';
import { GITLAB_URL } from '../../gitlab/fixture.js';

/**
 * Shared by the OKR, page-sync, push-resolve and review-checklist action tests: an ActionContext over a
 * real GitLabClient (nock answers it), real Redis for the locks, a fixed clock, and a recording
 * `enqueue`. Plus GitLab REST JSON as GitLab sends it (more fields than the bot reads, on purpose).
 */

export const BOT = {
  id: 5,
  username: 'handbook-bot',
  name: 'Handbook Bot',
  state: 'active',
  avatar_url: null,
  web_url: `${GITLAB_URL}/handbook-bot`,
};
export const ALICE = { id: 11, username: 'alice', name: 'Alice', state: 'active', avatar_url: null, web_url: `${GITLAB_URL}/alice` };

export const TEST_CONFIG = {
  gitlab: { url: GITLAB_URL },
  handbook: { project: 'acme/handbook', branch: 'main', pages: ['content/job-families/**/*.md'] },
  okr: { labels: ['OKR'], assignees: ['alice'] },
  review: {
    rules: [
      { when: 'grade-changed', reviewers: ['total-rewards-lead'], labels: ['job-family::grade-change'] },
      { when: 'hiring-process-changed', reviewers: ['recruiting-lead'] },
    ],
  },
};

export function testConfig(overrides: Record<string, unknown> = {}): Config {
  return testSettings({ config: { ...TEST_CONFIG, ...overrides } }).config;
}

export interface TestContext {
  ctx: ActionContext;
  enqueued: JobSpec[];
}

export function actionContext(options: { client: GitLabClient; redis: Redis; prefix: string; config?: Config; now?: Date }): TestContext {
  const enqueued: JobSpec[] = [];
  const ctx: ActionContext = {
    gitlab: options.client,
    config: options.config ?? testConfig(),
    logger: createLogger('silent'),
    redis: options.redis,
    lockPrefix: `${queuePrefix(options.prefix)}:lock:`,
    now: () => options.now ?? new Date('2026-11-20T12:00:00Z'),
    enqueue: async (specs) => {
      enqueued.push(...specs);
      return specs.map((spec) => spec.id);
    },
  };
  return { ctx, enqueued };
}

// --- GitLab REST JSON ---------------------------------------------------------------------------------

export function issueJson(
  iid: number,
  fields: { title: string; description: string | null; labels: string[]; state?: 'opened' | 'closed'; due_date?: string | null },
): Record<string, unknown> {
  return {
    id: 9000 + iid,
    iid,
    project_id: 4242,
    title: fields.title,
    description: fields.description,
    state: fields.state ?? 'opened',
    created_at: '2026-11-02T16:21:03.120Z',
    updated_at: '2026-11-02T16:21:03.120Z',
    closed_at: fields.state === 'closed' ? '2026-11-20T10:00:00.000Z' : null,
    closed_by: null,
    labels: fields.labels,
    milestone: null,
    assignees: [ALICE],
    author: BOT,
    type: 'ISSUE',
    assignee: ALICE,
    user_notes_count: 0,
    merge_requests_count: 0,
    upvotes: 0,
    downvotes: 0,
    due_date: fields.due_date ?? '2027-01-31',
    confidential: false,
    discussion_locked: null,
    issue_type: 'issue',
    web_url: `${GITLAB_URL}/acme/handbook/-/issues/${iid}`,
    time_stats: { time_estimate: 0, total_time_spent: 0, human_time_estimate: null, human_total_time_spent: null },
    task_completion_status: { count: 0, completed_count: 0 },
    references: { short: `#${iid}`, relative: `#${iid}`, full: `acme/handbook#${iid}` },
    severity: 'UNKNOWN',
  };
}

export function noteJson(
  id: number,
  body: string,
  author: Record<string, unknown> = BOT,
  noteableType = 'MergeRequest',
): Record<string, unknown> {
  return {
    id,
    type: null,
    body,
    attachment: null,
    author,
    created_at: '2026-11-20T12:00:00.000Z',
    updated_at: '2026-11-20T12:00:00.000Z',
    system: false,
    noteable_id: 31337,
    noteable_type: noteableType,
    project_id: 4242,
    resolvable: false,
    confidential: false,
    internal: false,
    noteable_iid: 12,
  };
}

export function labelJson(id: number, name: string, color = '#428bca', description: string | null = null): Record<string, unknown> {
  return {
    id,
    name,
    color,
    text_color: '#FFFFFF',
    description,
    description_html: description ?? '',
    open_issues_count: 0,
    closed_issues_count: 0,
    open_merge_requests_count: 0,
    subscribed: false,
    priority: null,
    is_project_label: true,
  };
}

export function mergeRequestJson(iid: number, fields: { sha: string; labels: string[]; target_branch?: string }): Record<string, unknown> {
  return {
    id: 31337,
    iid,
    project_id: 4242,
    title: 'Raise Director, Security to grade 11',
    description: 'As agreed with Total Rewards.',
    state: 'opened',
    created_at: '2026-11-19T09:00:00.000Z',
    updated_at: '2026-11-20T11:00:00.000Z',
    target_branch: fields.target_branch ?? 'main',
    source_branch: 'director-security-grade',
    author: ALICE,
    labels: fields.labels,
    draft: false,
    work_in_progress: false,
    merge_when_pipeline_succeeds: false,
    merge_status: 'can_be_merged',
    detailed_merge_status: 'mergeable',
    sha: fields.sha,
    merge_commit_sha: null,
    squash_commit_sha: null,
    web_url: `${GITLAB_URL}/acme/handbook/-/merge_requests/${iid}`,
    references: { short: `!${iid}`, relative: `!${iid}`, full: `acme/handbook!${iid}` },
  };
}

/** One entry of `GET /merge_requests/:iid/diffs` or of the compare API's `diffs`. */
export function diffJson(
  oldPath: string,
  newPath: string,
  kind: 'modified' | 'added' | 'deleted' | 'renamed' = 'modified',
): Record<string, unknown> {
  return {
    old_path: oldPath,
    new_path: newPath,
    a_mode: kind === 'added' ? '0' : '100644',
    b_mode: kind === 'deleted' ? '0' : '100644',
    diff: '@@ -1 +1 @@\n-old\n+new\n',
    new_file: kind === 'added',
    renamed_file: kind === 'renamed',
    deleted_file: kind === 'deleted',
    generated_file: false,
  };
}
