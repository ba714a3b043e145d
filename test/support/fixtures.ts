import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SHARED_DIR } from './pages.js';

/**
 * GitLab's published example payloads (test/fixtures/gitlab-webhooks), adapted only in the fields a
 * test controls. Each call returns a fresh copy.
 */

export const WEBHOOK_FIXTURES = resolve(SHARED_DIR, 'gitlab-webhooks');

export type FixtureName = 'push' | 'merge_request' | 'note_merge_request' | 'issue';

export function fixtureText(name: FixtureName): string {
  return readFileSync(resolve(WEBHOOK_FIXTURES, `${name}.json`), 'utf8');
}

/** The fields tests touch; the rest of GitLab's payload rides along untouched. */
export interface ProjectFixture {
  id: number;
  path_with_namespace: string;
  default_branch: string;
  [key: string]: unknown;
}

export interface CommitFixture {
  id: string;
  timestamp: string;
  added: string[];
  modified: string[];
  removed: string[];
  [key: string]: unknown;
}

export interface PushFixture {
  before: string;
  after: string;
  ref: string;
  checkout_sha: string | null;
  user_id: number;
  user_username: string;
  project_id: number;
  project: ProjectFixture;
  commits: CommitFixture[];
  total_commits_count: number;
  [key: string]: unknown;
}

export interface UserFixture {
  id: number;
  username: string;
  [key: string]: unknown;
}

export interface MergeRequestFixture {
  user: UserFixture;
  project: ProjectFixture;
  object_attributes: {
    iid: number;
    action: string;
    oldrev?: string;
    target_branch: string;
    last_commit: { id: string; [key: string]: unknown };
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface NoteFixture {
  user: UserFixture;
  project_id: number;
  project: ProjectFixture;
  object_attributes: { id: number; note: string; noteable_type: string; author_id: number; [key: string]: unknown };
  merge_request: { iid: number; target_branch: string; last_commit: { id: string; [key: string]: unknown }; [key: string]: unknown };
  [key: string]: unknown;
}

export interface LabelFixture {
  title: string;
  [key: string]: unknown;
}

export interface IssueFixture {
  user: UserFixture;
  project: ProjectFixture;
  object_attributes: { iid: number; action: string; updated_at: string; confidential: boolean; [key: string]: unknown };
  changes: { labels: { previous: LabelFixture[]; current: LabelFixture[] }; [key: string]: unknown };
  [key: string]: unknown;
}

interface FixtureTypes {
  push: PushFixture;
  merge_request: MergeRequestFixture;
  note_merge_request: NoteFixture;
  issue: IssueFixture;
}

export function loadFixture<N extends FixtureName>(name: N): FixtureTypes[N] {
  return JSON.parse(fixtureText(name)) as FixtureTypes[N];
}

export interface TestProject {
  id: number;
  path: string;
}

export const HANDBOOK: TestProject = { id: 4242, path: 'acme/handbook' };
export const RECRUITING: TestProject = { id: 4343, path: 'acme/recruiting' };

/** Moves a payload to another project (the `project` object and `project_id` where present). */
export function inProject<T extends { project: ProjectFixture; project_id?: number }>(payload: T, project: TestProject): T {
  payload.project.id = project.id;
  payload.project.path_with_namespace = project.path;
  if (payload.project_id !== undefined) payload.project_id = project.id;
  return payload;
}

export const PAGE_A = 'content/job-families/engineering/backend-engineer.md';
export const PAGE_B = 'content/job-families/security/security-leadership.md';
export const ZERO_SHA = '0000000000000000000000000000000000000000';

/**
 * push.json in the handbook project: its first commit adds PAGE_A and the second modifies PAGE_B and
 * README.md (GitLab's sample paths replaced), and `total_commits_count` matches the listed commits.
 */
export function handbookPush(): PushFixture {
  const push = inProject(loadFixture('push'), HANDBOOK);
  const [first, second] = push.commits;
  if (!first || !second) throw new Error('push.json should list two commits');
  Object.assign(first, { added: [PAGE_A], modified: [], removed: [] });
  Object.assign(second, { added: [], modified: [PAGE_B, 'README.md'], removed: [] });
  push.total_commits_count = push.commits.length;
  return push;
}
