import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import type { ActionContext } from '../../../src/actions/shared/context.js';
import type { Config } from '../../../src/config/types.js';
import { GitLabClient } from '../../../src/gitlab/client.js';
import type { JobFamilyPage } from '../../../src/jobfamily/model.js';
import { parsePage } from '../../../src/jobfamily/parse.js';
import { createLogger } from '../../../src/log.js';
import type { JobSpec } from '../../../src/queue/jobs.js';
import { seedPath } from '../../support/fixture-paths.js';
import { simActionContext } from '../../support/sim-context.js';
import { removePrefix, REDIS_URL, uniquePrefix } from '../../support/redis.js';
import { testSettings } from '../../support/settings.js';

/**
 * Shared set-up of the hiring, recruiting and command action tests: an ActionContext whose GitLab is a
 * real GitLabClient against https://gitlab.example.com (mocked with strict nock), whose Redis is the
 * real one under a unique prefix, and whose `enqueue` records the jobs.
 */

export const GITLAB_URL = 'https://gitlab.example.com';
/** The recruiting project as configured (labels, boards, issue listing). */
export const R = '/api/v4/projects/acme%2Frecruiting';
/** The recruiting project by id, as webhooks name it (issue reads and writes). */
export const RID = 4343;
export const RN = `/api/v4/projects/${RID}`;
export const BOT = { id: 99, username: 'handbook-bot' };

export const TM_PATH = 'content/job-families/security/threat-management.md';
/**
 * The Threat Management seed as the hiring machinery tests use it: its manager reporting to the
 * Director of Threat Management, who interviews, so the family has the five stages screening,
 * hiring-manager, team-interviews, executive, offer. (As written, the seed's manager reports to a
 * Sr. Manager who does not interview, which leaves no hiring-manager stage: see
 * test/jobfamily/stages-corpus.test.ts.) Only that line differs; every line number stays.
 */
export const TM_SOURCE = readFileSync(seedPath('threat-management.md'), 'utf8').replace(
  'This position reports to Sr. Manager of Threat Management',
  'This position reports to the Director of Threat Management',
);
export const SL_PATH = 'content/job-families/security/security-leadership.md';
export const SL_SOURCE = readFileSync(seedPath('security-leadership.md'), 'utf8');

export const LABEL_QUERY = { per_page: '100', include_ancestor_groups: 'true' };
export const BOARD_QUERY = { per_page: '100' };
export const NOTES_QUERY = { per_page: '100', sort: 'asc', order_by: 'created_at' };

export function testConfig(config: Record<string, unknown> = {}): Config {
  return testSettings({
    config: { handbook: { project: 'acme/handbook', branch: 'main' }, recruiting: { project: 'acme/recruiting' }, ...config },
  }).config;
}

export interface TestContext {
  ctx: ActionContext;
  client: GitLabClient;
  enqueued: JobSpec[];
  redis: Redis;
  prefix: string;
  close(): Promise<void>;
}

export function makeContext(options: { config?: Config; name?: string } = {}): TestContext {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const prefix = uniquePrefix(options.name ?? 'hiring');
  const logger = createLogger('silent');
  const client = new GitLabClient({
    url: GITLAB_URL,
    token: 'glpat-test',
    dryRun: false,
    logger,
    sleep: () => Promise.resolve(),
    random: () => 0.5,
  });
  const enqueued: JobSpec[] = [];
  const ctx: ActionContext = {
    gitlab: client,
    config: options.config ?? testConfig(),
    logger,
    redis,
    lockPrefix: `{${prefix}}:lock:`,
    now: () => new Date('2026-11-20T10:00:00Z'),
    enqueue: (specs) => {
      enqueued.push(...specs);
      return Promise.resolve(specs.map((spec) => spec.id));
    },
  };
  return {
    ctx,
    client,
    enqueued,
    redis,
    prefix,
    async close() {
      await removePrefix(redis, prefix);
      redis.disconnect();
    },
  };
}

export function threatManagement(source = TM_SOURCE): JobFamilyPage {
  return parsePage(source, TM_PATH, {});
}

/** The seed without its executive step (the "VP of Security" interview). */
export const TM_WITHOUT_EXECUTIVE = TM_SOURCE.replace(
  /^Candidates will then be invited to an 30 minute interview with the VP of Security\n/mu,
  '',
);

export function labelJson(
  id: number,
  name: string,
  color: string,
  description: string | null,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { id, name, color, description, text_color: '#FFFFFF', is_project_label: true, ...extra };
}

export function listJson(id: number, position: number, label: { id: number; name: string }): Record<string, unknown> {
  return { id, position, label: { ...label, color: '#000000' }, list_type: 'label' };
}

export function boardJson(id: number, name: string, lists: Array<Record<string, unknown>> = []): Record<string, unknown> {
  return { id, name, lists, project: { id: RID } };
}

export function issueJson(iid: number, title: string, labels: string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 50_000 + iid,
    iid,
    project_id: RID,
    title,
    description: 'Candidate pipeline',
    state: 'opened',
    labels,
    web_url: `https://gitlab.example.com/acme/recruiting/-/issues/${iid}`,
    author: { id: 7, username: 'recruiter' },
    updated_at: '2026-11-20T10:00:00Z',
    confidential: true,
    ...extra,
  };
}

export function noteJson(id: number, body: string, author = BOT): Record<string, unknown> {
  return { id, body, system: false, author, noteable_type: 'Issue' };
}

/** An action context on the GitLab simulator for the hiring tests: their config, Redis under `prefix`. */
export function simContext(sim: { url: string; token: string }, redis: Redis, prefix: string): ActionContext {
  return simActionContext(sim, {
    redis,
    lockPrefix: `{${prefix}}:lock:`,
    config: testConfig(),
    now: '2026-11-20T10:00:00Z',
    instantRetries: true,
  });
}
