import { createLogger } from '../../src/log.js';
import { GitLabClient, type GitLabClientOptions } from '../../src/gitlab/client.js';

/** Shared set-up for the GitLab client tests: a fake GitLab at this URL, project acme/handbook. */
export const GITLAB_URL = 'https://gitlab.example.com';
export const PROJECT = 'acme/handbook';
/** `/api/v4/projects/acme%2Fhandbook`, as GitLab receives it. */
export const P = '/api/v4/projects/acme%2Fhandbook';
export const TOKEN = 'glpat-secret-token-123';

export interface TestClient {
  client: GitLabClient;
  /** Every delay the client slept, in order (no real waiting). */
  sleeps: number[];
  /** Every log line, parsed. */
  logs: Array<Record<string, unknown>>;
}

export function makeClient(overrides: Partial<GitLabClientOptions> = {}): TestClient {
  const sleeps: number[] = [];
  const logs: Array<Record<string, unknown>> = [];
  const logger = createLogger('debug', {
    write: (line: string) => {
      logs.push(JSON.parse(line) as Record<string, unknown>);
    },
  });
  const client = new GitLabClient({
    url: GITLAB_URL,
    token: TOKEN,
    dryRun: false,
    logger,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
    ...overrides,
  });
  return { client, sleeps, logs };
}

export const issueJson = (iid: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 1000 + iid,
  iid,
  project_id: 7,
  title: `Issue ${iid}`,
  description: `Body ${iid}`,
  state: 'opened',
  labels: ['OKR'],
  web_url: `https://gitlab.example.com/acme/handbook/-/issues/${iid}`,
  author: { id: 5, username: 'handbook-bot' },
  updated_at: '2026-11-20T10:00:00Z',
  confidential: false,
  ...extra,
});

export const noteJson = (id: number, body = `note ${id}`): Record<string, unknown> => ({
  id,
  body,
  system: false,
  author: { id: 5, username: 'handbook-bot' },
  noteable_type: 'Issue',
});
