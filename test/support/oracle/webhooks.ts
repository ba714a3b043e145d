import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Push and merge-request hook bodies for replays: GitLab's published example payloads from
 * test/fixtures/gitlab-webhooks with only the fields a replay controls replaced.
 */

const WEBHOOKS = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/gitlab-webhooks');

type Json = Record<string, unknown>;

function template(name: 'push' | 'merge_request'): Json {
  return JSON.parse(readFileSync(resolve(WEBHOOKS, `${name}.json`), 'utf8')) as Json;
}

export interface HookProject {
  id: number;
  path: string;
}

export interface HookPerson {
  id: number;
  username: string;
}

export interface HookCommit {
  id: string;
  message: string;
  timestamp: string;
  added: string[];
  modified: string[];
  removed: string[];
}

function withProject(body: Json, project: HookProject, defaultBranch: string): Json {
  const projectJson = { ...(body.project as Json), id: project.id, path_with_namespace: project.path, default_branch: defaultBranch };
  return { ...body, project: projectJson };
}

/** A Push Hook: GitLab lists at most 20 commits (the newest) and counts them all. */
export function pushHook(input: {
  project: HookProject;
  branch: string;
  before: string;
  after: string;
  author: HookPerson;
  commits: readonly HookCommit[];
}): Json {
  const body = withProject(template('push'), input.project, input.branch);
  const commitTemplate = (body.commits as Json[])[0] ?? {};
  return {
    ...body,
    before: input.before,
    after: input.after,
    checkout_sha: input.after,
    ref: `refs/heads/${input.branch}`,
    user_id: input.author.id,
    user_username: input.author.username,
    project_id: input.project.id,
    commits: input.commits
      .slice(-20)
      .map((commit) => ({ ...commitTemplate, ...commit, title: commit.message.split('\n')[0] ?? commit.message })),
    total_commits_count: input.commits.length,
  };
}

export function mergeRequestHook(input: {
  project: HookProject;
  iid: number;
  action: 'open' | 'update';
  sourceBranch: string;
  targetBranch: string;
  headSha: string;
  oldrev?: string;
  title: string;
  author: HookPerson;
}): Json {
  const body = withProject(template('merge_request'), input.project, input.targetBranch);
  const attributes = body.object_attributes as Json;
  const next: Json = {
    ...attributes,
    iid: input.iid,
    action: input.action,
    title: input.title,
    source_branch: input.sourceBranch,
    target_branch: input.targetBranch,
    source_project_id: input.project.id,
    target_project_id: input.project.id,
    last_commit: { ...(attributes.last_commit as Json), id: input.headSha },
  };
  if (input.oldrev === undefined) delete next.oldrev;
  else next.oldrev = input.oldrev;
  return { ...body, user: { ...(body.user as Json), id: input.author.id, username: input.author.username }, object_attributes: next };
}
