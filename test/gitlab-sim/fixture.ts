import { GitbeakerRequestError, Gitlab } from '@gitbeaker/rest';
import { startGitLabSim } from '../support/gitlab-sim/server.js';
import type { GitLabSim, GitLabSimOptions } from '../support/gitlab-sim/server.js';

/** A small world shared by the simulator's tests: a handbook with two pages and a recruiting project. */

export const PAGE_A = 'content/job-families/security/security-leadership.md';
export const PAGE_B = 'content/job-families/security/threat-management.md';
export const HUMAN_TOKEN = 'alice-token';
export const READ_ONLY_TOKEN = 'readonly-token';

export const seed = {
  users: [{ username: 'alice', name: 'Alice' }, { username: 'bob' }, { username: 'carol' }],
  tokens: [
    { token: HUMAN_TOKEN, username: 'alice' },
    { token: READ_ONLY_TOKEN, username: 'handbook-bot', readOnly: true },
  ],
  groupLabels: [{ group: 'acme', name: 'Group Label', color: '#123456' }],
  projects: [
    {
      id: 15,
      path: 'acme/handbook',
      files: {
        main: {
          [PAGE_A]: '---\ntitle: Security Leadership\n---\n\n## Director, Security\n',
          [PAGE_B]: '---\ntitle: Threat Management\n---\n',
          'README.md': '# Handbook\n',
        },
      },
      commits: [
        {
          branch: 'feature',
          parent: 'main',
          message: 'Raise grade',
          files: {
            [PAGE_A]: '---\ntitle: Security Leadership\n---\n\n## Director, Security\ngrade 11\n',
            'content/job-families/new.md': '# New\n',
          },
          remove: [PAGE_B],
        },
      ],
      members: { 'handbook-bot': 40, alice: 30 },
      inheritedMembers: { carol: 20 },
      mergeRequests: [{ sourceBranch: 'feature', title: 'Raise grade', author: 'alice' }],
    },
    {
      id: 16,
      path: 'acme/recruiting',
      members: { 'handbook-bot': 40 },
      issues: [
        {
          title: 'Hiring: Director, Security',
          description: 'candidate notes',
          confidential: true,
          author: 'carol',
          labels: ['job-family::security-leadership'],
        },
      ],
    },
  ],
};

export async function startSeededSim(options: GitLabSimOptions = {}): Promise<GitLabSim> {
  return startGitLabSim({ initialState: seed, ...options });
}

/** `camelize: false` pinned in the type, so responses are typed with GitLab's own snake_case keys. */
export function gitlab(sim: GitLabSim, token: string = sim.token): Gitlab<false> {
  return new Gitlab<false>({ host: sim.url, token });
}

/** The HTTP status and message of a gitbeaker call expected to fail. */
export async function failure(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof GitbeakerRequestError) {
      const cause = err.cause as { response?: Response } | undefined;
      return { status: cause?.response?.status ?? 0, message: err.message };
    }
    throw err;
  }
  throw new Error('expected the request to fail');
}
