import { describe, expect, it } from 'vitest';
import { PermanentGitLabError, RetryableGitLabError } from '../../src/gitlab/errors.js';
import { recordedRequests, strictNock } from '../support/strict-nock.js';
import { GITLAB_URL, P, PROJECT, TOKEN, makeClient } from './fixture.js';

const json = { 'content-type': 'application/json' };

async function permanent(promise: Promise<unknown>): Promise<PermanentGitLabError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(PermanentGitLabError);
  return error as PermanentGitLabError;
}

describe('permanent errors name what is wrong and what is needed', () => {
  it('401 names the token and the scope, never the token itself, and is not retried', async () => {
    strictNock(GITLAB_URL).get(`${P}/issues`).query(true).reply(401, { message: '401 Unauthorized' }, json);
    const { client, sleeps, logs } = makeClient();
    const error = await permanent(client.listIssues(PROJECT, { state: 'opened' }));
    expect(error.message).toBe(
      'GitLab rejected the token (401) for GET /projects/acme%2Fhandbook/issues: set GITLAB_TOKEN to a valid token with the api scope (GitLab said: "401 Unauthorized")',
    );
    expect(error.status).toBe(401);
    expect(error.permanent).toBe(true);
    expect(error).toBeInstanceOf(PermanentGitLabError);
    expect(error).not.toBeInstanceOf(RetryableGitLabError);
    expect(error.message).not.toContain(TOKEN);
    expect(JSON.stringify(logs)).not.toContain(TOKEN);
    expect(sleeps).toEqual([]);
    expect(recordedRequests()).toHaveLength(1);
  });

  it('401 without any token says the project is not public', async () => {
    strictNock(GITLAB_URL).get(`${P}/repository/files/a.md/raw`).query({ ref: 'main' }).reply(401, { message: '401 Unauthorized' }, json);
    const { client } = makeClient({ token: undefined, dryRun: true });
    const error = await permanent(client.getFile(PROJECT, 'a.md', 'main'));
    expect(error.message).toMatch(
      /^GitLab requires a token \(401\) for GET \/projects\/acme%2Fhandbook\/repository\/files\/a\.md\/raw: the project is not public; set GITLAB_TOKEN/,
    );
  });

  it('403 names the project and the role needed, and scrubs the token even if GitLab echoed it', async () => {
    strictNock(GITLAB_URL)
      .put(`${P}/issues/4`)
      .reply(403, { message: `403 Forbidden - token ${TOKEN} lacks access` }, json);
    const { client } = makeClient();
    const error = await permanent(client.editIssue(PROJECT, 4, { add_labels: ['hiring-stage::offer'] }));
    expect(error.message).toContain(
      "GitLab refused PUT /projects/acme%2Fhandbook/issues/4 (403): the token's user lacks permission on acme/handbook",
    );
    expect(error.message).toContain('needs at least Reporter (Developer to edit merge requests) on acme/handbook');
    expect(error.message).not.toContain(TOKEN);
    expect(error.gitlabMessage).not.toContain(TOKEN);
  });

  it('403 on a merge request edit asks for Developer', async () => {
    strictNock(GITLAB_URL).put(`${P}/merge_requests/9`).reply(403, { message: '403 Forbidden' }, json);
    const { client } = makeClient();
    const error = await permanent(client.addMergeRequestLabels(PROJECT, 9, ['x']));
    expect(error.message).toContain('needs at least Developer (to edit merge requests) on acme/handbook');
  });

  it('404 names the project and the path', async () => {
    strictNock(GITLAB_URL).get(`${P}/issues/77`).reply(404, { message: '404 Project Not Found' }, json);
    const { client } = makeClient();
    const error = await permanent(client.getIssue(PROJECT, 77));
    expect(error.message).toBe(
      'GitLab answered 404 for GET /projects/acme%2Fhandbook/issues/77: project acme/handbook or path issues/77 not found, or the token cannot see it (GitLab said: "404 Project Not Found")',
    );
  });

  it('a missing project is an error, never "file not found" (which would look like every page removed)', async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${P}/repository/files/a.md/raw`).query({ ref: 'main' }).reply(404, { message: '404 Project Not Found' }, json);
    gitlab.get(`${P}/members/all/5`).reply(404, { message: '404 Project Not Found' }, json);
    gitlab.delete(`${P}/issues/1/notes/2`).reply(404, { message: '404 Project Not Found' }, json);
    const { client } = makeClient();
    expect((await permanent(client.getFile(PROJECT, 'a.md', 'main'))).message).toContain(
      'project acme/handbook or path repository/files/a.md/raw not found',
    );
    await permanent(client.getMember(PROJECT, 5));
    await permanent(client.deleteNote(PROJECT, 'issues', 1, 2));
  });

  it('other 4xx are permanent with GitLab’s message (validation errors included)', async () => {
    strictNock(GITLAB_URL)
      .post(`${P}/labels`)
      .reply(400, { message: { color: ['must be a valid color code'] } }, json);
    const { client, sleeps } = makeClient();
    const error = await permanent(client.createLabel(PROJECT, { name: 'x', color: 'red', description: '' }));
    expect(error.message).toBe('GitLab rejected POST /projects/acme%2Fhandbook/labels (400): {"color":["must be a valid color code"]}');
    expect(sleeps).toEqual([]);
  });

  it('409 outside label creation is a retryable conflict, not a permanent failure', async () => {
    strictNock(GITLAB_URL).put(`${P}/issues/4`).reply(409, { message: 'Resource lock' }, json);
    const { client, sleeps } = makeClient();
    const error = await client.editIssue(PROJECT, 4, { title: 't' }).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(RetryableGitLabError);
    expect((error as RetryableGitLabError).status).toBe(409);
    expect(sleeps).toEqual([]);
  });
});
