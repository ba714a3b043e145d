import { describe, expect, it } from 'vitest';
import { DRY_RUN_USER } from '../../src/gitlab/client.js';
import { recordedRequests, recordedWrites, strictNock } from '../support/strict-nock.js';
import { GITLAB_URL, P, PROJECT, issueJson, makeClient } from './fixture.js';

describe('dry-run', () => {
  it('records every write, logs one line per write, sends nothing and answers plausible fakes', async () => {
    // A scope with no mocks: any request at all would be an unmatched request and fail the test.
    strictNock(GITLAB_URL);
    const { client, logs } = makeClient({ token: undefined, dryRun: true });

    const issue = await client.createIssue(PROJECT, { title: 'OKRs: Security — FY27-Q4', description: 'block', labels: ['OKR'] });
    expect(issue).toMatchObject({ iid: 0, title: 'OKRs: Security — FY27-Q4', description: 'block', labels: ['OKR'], state: 'opened' });
    const edited = await client.editIssue(PROJECT, 12, { state_event: 'close', add_labels: ['x'] });
    expect(edited).toMatchObject({ iid: 12, state: 'closed' });
    expect(await client.createNote(PROJECT, 'merge_requests', 9, 'checklist')).toEqual({
      id: 0,
      body: 'checklist',
      system: false,
      author: DRY_RUN_USER,
    });
    expect((await client.editNote(PROJECT, 'merge_requests', 9, 31, 'v2')).id).toBe(31);
    await client.deleteNote(PROJECT, 'issues', 12, 32);
    expect((await client.addMergeRequestLabels(PROJECT, 9, ['job-family::grade-change'])).labels).toEqual(['job-family::grade-change']);
    expect(await client.createLabel(PROJECT, { name: 'OKR', color: '#1f75cb', description: 'OKR tracking' })).toEqual({
      id: 0,
      name: 'OKR',
      color: '#1f75cb',
      description: 'OKR tracking',
    });
    await client.editLabel(PROJECT, 5, { color: '#000000', description: 'd' });
    expect(await client.createBoard(PROJECT, 'Hiring pipeline')).toEqual({ id: 0, name: 'Hiring pipeline', lists: [] });
    await client.createBoardList(PROJECT, 0, 5);
    await client.moveBoardList(PROJECT, 3, 30, 1);

    expect(client.recorder.writes).toEqual([
      {
        method: 'POST',
        path: '/projects/acme%2Fhandbook/issues',
        body: { title: 'OKRs: Security — FY27-Q4', description: 'block', labels: 'OKR' },
      },
      { method: 'PUT', path: '/projects/acme%2Fhandbook/issues/12', body: { add_labels: 'x', state_event: 'close' } },
      { method: 'POST', path: '/projects/acme%2Fhandbook/merge_requests/9/notes', body: { body: 'checklist' } },
      { method: 'PUT', path: '/projects/acme%2Fhandbook/merge_requests/9/notes/31', body: { body: 'v2' } },
      { method: 'DELETE', path: '/projects/acme%2Fhandbook/issues/12/notes/32', body: {} },
      { method: 'PUT', path: '/projects/acme%2Fhandbook/merge_requests/9', body: { add_labels: 'job-family::grade-change' } },
      { method: 'POST', path: '/projects/acme%2Fhandbook/labels', body: { name: 'OKR', color: '#1f75cb', description: 'OKR tracking' } },
      { method: 'PUT', path: '/projects/acme%2Fhandbook/labels/5', body: { color: '#000000', description: 'd' } },
      { method: 'POST', path: '/projects/acme%2Fhandbook/boards', body: { name: 'Hiring pipeline' } },
      { method: 'POST', path: '/projects/acme%2Fhandbook/boards/0/lists', body: { label_id: 5 } },
      { method: 'PUT', path: '/projects/acme%2Fhandbook/boards/3/lists/30', body: { position: 1 } },
    ]);
    const planLines = logs.filter((line) => String(line.msg).startsWith('dry-run: would '));
    expect(planLines).toHaveLength(11);
    expect(planLines[0]).toMatchObject({
      msg: 'dry-run: would POST /projects/acme%2Fhandbook/issues',
      plan: { method: 'POST', path: '/projects/acme%2Fhandbook/issues', body: { title: 'OKRs: Security — FY27-Q4' } },
    });
    expect(recordedRequests()).toEqual([]);
    expect(client.stats()).toEqual({ reads: 0, writes: 0, retries: 0, dryRunWrites: 11 });
  });

  it('reads still go to GitLab, anonymously when there is no token', async () => {
    strictNock(GITLAB_URL, { badheaders: ['private-token'] })
      .get(`${P}/issues/3`)
      .reply(200, issueJson(3));
    const { client } = makeClient({ token: undefined, dryRun: true });
    expect((await client.getIssue(PROJECT, 3)).iid).toBe(3);
    expect(client.stats().reads).toBe(1);
  });

  it('knows no user without a token, and reads of its own placeholder issue need no request', async () => {
    strictNock(GITLAB_URL);
    const { client } = makeClient({ token: undefined, dryRun: true });
    expect(await client.currentUser()).toEqual(DRY_RUN_USER);
    const issue = await client.createIssue(PROJECT, { title: 't', description: 'd' });
    expect(await client.listNotes(PROJECT, 'issues', issue.iid)).toEqual([]);
    expect((await client.getIssue(PROJECT, issue.iid)).iid).toBe(0);
    expect(recordedRequests()).toEqual([]);
  });

  it('records exactly the body a live run sends', async () => {
    const create = { title: 'T', description: 'D', labels: ['OKR', 'job-family::x'], assignee_ids: [3], due_date: '2027-01-31' };
    const edit = { description: 'D2', add_labels: ['a'], remove_labels: ['b'], state_event: 'reopen' as const };
    const gitlab = strictNock(GITLAB_URL);
    gitlab.post(`${P}/issues`).reply(201, issueJson(1));
    gitlab.put(`${P}/issues/1`).reply(200, issueJson(1));

    const live = makeClient();
    await live.client.createIssue(PROJECT, create);
    await live.client.editIssue(PROJECT, 1, edit);
    const dry = makeClient({ token: undefined, dryRun: true });
    await dry.client.createIssue(PROJECT, create);
    await dry.client.editIssue(PROJECT, 1, edit);

    expect(dry.client.recorder.writes.map((write) => write.body)).toEqual(recordedWrites().map((write) => write.body));
    expect(recordedWrites()).toHaveLength(2);
  });
});
