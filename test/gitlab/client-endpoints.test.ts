import { describe, expect, it } from 'vitest';
import { recordedRequests, strictNock } from '../support/strict-nock.js';
import { GITLAB_URL, P, PROJECT, TOKEN, issueJson, makeClient, noteJson } from './fixture.js';

const json = { 'content-type': 'application/json' };

describe('GitLabClient endpoints', () => {
  it('currentUser: GET /user with the token, once per client', async () => {
    strictNock(GITLAB_URL, { reqheaders: { 'private-token': TOKEN, 'user-agent': 'handbook-bot' } })
      .get('/api/v4/user')
      .reply(200, { id: 5, username: 'handbook-bot', name: 'Handbook Bot' });
    const { client } = makeClient();
    expect(await client.currentUser()).toEqual({ id: 5, username: 'handbook-bot' });
    expect(await client.currentUser()).toEqual({ id: 5, username: 'handbook-bot' });
    expect(recordedRequests()).toHaveLength(1);
  });

  it('findUsers: one lookup per distinct username, unknown ones left out', async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab
      .get('/api/v4/users')
      .query({ username: 'alice' })
      .reply(200, [{ id: 11, username: 'alice', name: 'A' }]);
    gitlab.get('/api/v4/users').query({ username: 'ghost' }).reply(200, []);
    const { client } = makeClient();
    expect(await client.findUsers(['alice', 'ghost', 'alice'])).toEqual([{ id: 11, username: 'alice' }]);
  });

  it('getFile: raw text at a ref from /repository/files/:path/raw, path encoded as one segment', async () => {
    strictNock(GITLAB_URL)
      .get(`${P}/repository/files/content%2Fjob-families%2Fsecurity%2Fleadership.md/raw`)
      .query({ ref: 'abc123' })
      .reply(200, '---\ntitle: Security Leadership\n---\n# Hi\n', { 'content-type': 'text/plain; charset=utf-8' });
    const { client } = makeClient();
    expect(await client.getFile(PROJECT, 'content/job-families/security/leadership.md', 'abc123')).toBe(
      '---\ntitle: Security Leadership\n---\n# Hi\n',
    );
  });

  it('getFile: null on 404 (no such file at that ref), without retrying', async () => {
    strictNock(GITLAB_URL)
      .get(`${P}/repository/files/gone.md/raw`)
      .query({ ref: 'main' })
      .reply(404, { message: '404 File Not Found' }, json);
    const { client, sleeps } = makeClient();
    expect(await client.getFile(PROJECT, 'gone.md', 'main')).toBeNull();
    expect(sleeps).toEqual([]);
  });

  it('getFile: a JSON file comes back as its raw text, not parsed', async () => {
    strictNock(GITLAB_URL).get(`${P}/repository/files/data.json/raw`).query({ ref: 'main' }).reply(200, '{"a": 1}\n', json);
    const { client } = makeClient();
    expect(await client.getFile(PROJECT, 'data.json', 'main')).toBe('{"a": 1}\n');
  });

  it('getCommit and defaultBranch', async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${P}/repository/commits/abc123`).reply(200, { id: 'abc123', committed_date: '2026-11-20T10:00:00.000Z', message: 'x' });
    gitlab.get(P).reply(200, { id: 7, default_branch: 'main', path_with_namespace: 'acme/handbook' });
    const { client } = makeClient();
    expect(await client.getCommit(PROJECT, 'abc123')).toEqual({ id: 'abc123', committed_date: '2026-11-20T10:00:00.000Z' });
    expect(await client.defaultBranch(PROJECT)).toBe('main');
  });

  it('compare: the changed paths between two commits, straight (not from the merge base)', async () => {
    strictNock(GITLAB_URL)
      .get(`${P}/repository/compare`)
      .query({ from: 'aaa', to: 'bbb', straight: 'true' })
      .reply(200, {
        commit: { id: 'bbb' },
        commits: [],
        diffs: [
          { old_path: 'a.md', new_path: 'a.md', new_file: false, renamed_file: false, deleted_file: false, diff: '@@' },
          { old_path: 'old.md', new_path: 'new.md', new_file: false, renamed_file: true, deleted_file: false, diff: '' },
        ],
      });
    const { client } = makeClient();
    expect(await client.compare(PROJECT, 'aaa', 'bbb')).toEqual([
      { old_path: 'a.md', new_path: 'a.md', new_file: false, renamed_file: false, deleted_file: false },
      { old_path: 'old.md', new_path: 'new.md', new_file: false, renamed_file: true, deleted_file: false },
    ]);
  });

  it('listTree: recursive, keyset pagination followed through the Link header', async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab
      .get(`${P}/repository/tree`)
      .query({ ref: 'main', recursive: 'true', pagination: 'keyset', per_page: '100' })
      .reply(200, [{ id: '1', name: 'a.md', type: 'blob', path: 'content/a.md', mode: '100644' }], {
        link: `<${GITLAB_URL}${P}/repository/tree?page_token=tok2&pagination=keyset&per_page=100&recursive=true&ref=main>; rel="next"`,
      });
    gitlab
      .get(`${P}/repository/tree`)
      .query({ ref: 'main', recursive: 'true', pagination: 'keyset', per_page: '100', page_token: 'tok2' })
      .reply(200, [{ id: '2', name: 'content', type: 'tree', path: 'content', mode: '040000' }]);
    const { client } = makeClient();
    expect(await client.listTree(PROJECT, 'main')).toEqual([
      { path: 'content/a.md', type: 'blob' },
      { path: 'content', type: 'tree' },
    ]);
  });

  it('listIssues: labels comma-joined, state and search passed, every page returned', async () => {
    const gitlab = strictNock(GITLAB_URL);
    const query = { labels: 'OKR,job-family::security', state: 'opened', search: 'OKRs', per_page: '100' };
    gitlab
      .get(`${P}/issues`)
      .query(query)
      .reply(200, [issueJson(1)], {
        link: `<${GITLAB_URL}${P}/issues?labels=OKR%2Cjob-family%3A%3Asecurity&page=2&per_page=100&search=OKRs&state=opened>; rel="next"`,
      });
    gitlab
      .get(`${P}/issues`)
      .query({ ...query, page: '2' })
      .reply(200, [issueJson(2, { description: null, labels: [] })]);
    const { client } = makeClient();
    const issues = await client.listIssues(PROJECT, { labels: ['OKR', 'job-family::security'], state: 'opened', search: 'OKRs' });
    expect(issues.map((issue) => issue.iid)).toEqual([1, 2]);
    expect(issues[0]).toEqual({
      id: 1001,
      iid: 1,
      project_id: 7,
      title: 'Issue 1',
      description: 'Body 1',
      state: 'opened',
      labels: ['OKR'],
      web_url: 'https://gitlab.example.com/acme/handbook/-/issues/1',
      author: { id: 5, username: 'handbook-bot' },
      updated_at: '2026-11-20T10:00:00Z',
    });
    expect(issues[1]?.description).toBeNull();
  });

  it('listIssues with state "all" sends no state (GitLab then returns every state)', async () => {
    strictNock(GITLAB_URL).get(`${P}/issues`).query({ per_page: '100' }).reply(200, []);
    const { client } = makeClient();
    expect(await client.listIssues(PROJECT, { state: 'all' })).toEqual([]);
  });

  it('getIssue, createIssue, editIssue', async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${P}/issues/5`).reply(200, issueJson(5));
    gitlab
      .post(`${P}/issues`, {
        title: 'OKRs: Security Leadership — FY27-Q4',
        description: 'text',
        labels: 'OKR,job-family::security-leadership',
        assignee_ids: [11],
        due_date: '2027-01-31',
      })
      .reply(201, issueJson(6, { title: 'OKRs: Security Leadership — FY27-Q4' }));
    gitlab
      .put(`${P}/issues/6`, { add_labels: 'hiring-stage::offer', remove_labels: 'hiring-stage::screening', state_event: 'close' })
      .reply(200, issueJson(6, { state: 'closed', labels: ['hiring-stage::offer'] }));
    const { client } = makeClient();
    expect((await client.getIssue(PROJECT, 5)).iid).toBe(5);
    const created = await client.createIssue(PROJECT, {
      title: 'OKRs: Security Leadership — FY27-Q4',
      description: 'text',
      labels: ['OKR', 'job-family::security-leadership'],
      assignee_ids: [11],
      due_date: '2027-01-31',
    });
    expect(created.iid).toBe(6);
    const edited = await client.editIssue(PROJECT, 6, {
      add_labels: ['hiring-stage::offer'],
      remove_labels: ['hiring-stage::screening'],
      state_event: 'close',
    });
    expect(edited).toMatchObject({ state: 'closed', labels: ['hiring-stage::offer'] });
  });

  it('listNotes: oldest first, follows X-Next-Page across 3 pages', async () => {
    const gitlab = strictNock(GITLAB_URL);
    const query = { per_page: '100', sort: 'asc', order_by: 'created_at' };
    gitlab
      .get(`${P}/issues/3/notes`)
      .query(query)
      .reply(200, [noteJson(1), noteJson(2)], { 'x-next-page': '2', 'x-page': '1' });
    gitlab
      .get(`${P}/issues/3/notes`)
      .query({ ...query, page: '2' })
      .reply(200, [noteJson(3)], { 'x-next-page': '3', 'x-page': '2' });
    gitlab
      .get(`${P}/issues/3/notes`)
      .query({ ...query, page: '3' })
      .reply(200, [noteJson(4)], { 'x-next-page': '', 'x-page': '3' });
    const { client } = makeClient();
    const notes = await client.listNotes(PROJECT, 'issues', 3);
    expect(notes.map((note) => note.id)).toEqual([1, 2, 3, 4]);
    expect(notes[0]).toEqual({ id: 1, body: 'note 1', system: false, author: { id: 5, username: 'handbook-bot' } });
    expect(client.stats()).toMatchObject({ reads: 3, writes: 0 });
  });

  it('listNotes on a merge request follows Link pagination across 3 pages', async () => {
    const gitlab = strictNock(GITLAB_URL);
    const base = `${P}/merge_requests/9/notes`;
    const link = (page: number): string => `<${GITLAB_URL}${base}?order_by=created_at&page=${page}&per_page=100&sort=asc>; rel="next"`;
    const query = { per_page: '100', sort: 'asc', order_by: 'created_at' };
    gitlab
      .get(base)
      .query(query)
      .reply(200, [noteJson(10)], { link: link(2) });
    gitlab
      .get(base)
      .query({ ...query, page: '2' })
      .reply(200, [noteJson(11)], { link: link(3) });
    gitlab
      .get(base)
      .query({ ...query, page: '3' })
      .reply(200, [noteJson(12)]);
    const { client } = makeClient();
    expect((await client.listNotes(PROJECT, 'merge_requests', 9)).map((note) => note.id)).toEqual([10, 11, 12]);
  });

  it('createNote, editNote, deleteNote (404 on delete means already gone)', async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab.post(`${P}/merge_requests/9/notes`, { body: 'checklist' }).reply(201, noteJson(20, 'checklist'));
    gitlab.put(`${P}/merge_requests/9/notes/20`, { body: 'checklist v2' }).reply(200, noteJson(20, 'checklist v2'));
    gitlab.delete(`${P}/issues/3/notes/21`).reply(204);
    gitlab.delete(`${P}/issues/3/notes/22`).reply(404, { message: '404 Not found' }, json);
    const { client } = makeClient();
    expect(await client.createNote(PROJECT, 'merge_requests', 9, 'checklist')).toMatchObject({ id: 20, body: 'checklist' });
    expect(await client.editNote(PROJECT, 'merge_requests', 9, 20, 'checklist v2')).toMatchObject({ body: 'checklist v2' });
    await expect(client.deleteNote(PROJECT, 'issues', 3, 21)).resolves.toBeUndefined();
    await expect(client.deleteNote(PROJECT, 'issues', 3, 22)).resolves.toBeUndefined();
  });

  it('getMergeRequest, listMergeRequestChanges (paginated diffs), addMergeRequestLabels', async () => {
    const gitlab = strictNock(GITLAB_URL);
    const mr = {
      iid: 9,
      project_id: 7,
      sha: 'head1',
      target_branch: 'main',
      source_branch: 'grade-change',
      state: 'opened',
      labels: [],
      web_url: 'https://gitlab.example.com/acme/handbook/-/merge_requests/9',
      title: 'x',
    };
    gitlab.get(`${P}/merge_requests/9`).reply(200, mr);
    gitlab
      .get(`${P}/merge_requests/9/diffs`)
      .query({ per_page: '100' })
      .reply(200, [{ old_path: 'a.md', new_path: 'a.md', new_file: false, renamed_file: false, deleted_file: false, diff: '' }], {
        'x-next-page': '2',
      });
    gitlab
      .get(`${P}/merge_requests/9/diffs`)
      .query({ per_page: '100', page: '2' })
      .reply(200, [{ old_path: 'b.md', new_path: 'b.md', new_file: false, renamed_file: false, deleted_file: true, diff: '' }]);
    gitlab
      .put(`${P}/merge_requests/9`, { add_labels: 'job-family::grade-change' })
      .reply(200, { ...mr, labels: ['job-family::grade-change'] });
    const { client } = makeClient();
    expect(await client.getMergeRequest(PROJECT, 9)).toEqual({ ...mr, title: undefined, reviewers: [], diff_refs: null });
    expect((await client.listMergeRequestChanges(PROJECT, 9)).map((change) => [change.new_path, change.deleted_file])).toEqual([
      ['a.md', false],
      ['b.md', true],
    ]);
    expect((await client.addMergeRequestLabels(PROJECT, 9, ['job-family::grade-change'])).labels).toEqual(['job-family::grade-change']);
  });

  it('labels: list (with group labels), create, 409 on create resolves to null, edit', async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab
      .get(`${P}/labels`)
      .query({ per_page: '100', include_ancestor_groups: 'true' })
      .reply(200, [{ id: 1, name: 'OKR', color: '#1f75cb', description: null, is_project_label: false, open_issues_count: 3 }]);
    gitlab
      .post(`${P}/labels`, { name: 'hiring-stage::offer', color: '#009966', description: 'Offer: steps …' })
      .reply(201, { id: 12, name: 'hiring-stage::offer', color: '#009966', description: 'Offer: steps …' });
    gitlab.post(`${P}/labels`, { name: 'OKR', color: '#1f75cb', description: 'x' }).reply(409, { message: 'Label already exists' }, json);
    gitlab
      .put(`${P}/labels/12`, { color: '#00aa00', description: 'Offer' })
      .reply(200, { id: 12, name: 'hiring-stage::offer', color: '#00aa00', description: 'Offer' });
    const { client, sleeps } = makeClient();
    expect(await client.listLabels(PROJECT)).toEqual([
      { id: 1, name: 'OKR', color: '#1f75cb', description: null, is_project_label: false },
    ]);
    expect(await client.createLabel(PROJECT, { name: 'hiring-stage::offer', color: '#009966', description: 'Offer: steps …' })).toEqual({
      id: 12,
      name: 'hiring-stage::offer',
      color: '#009966',
      description: 'Offer: steps …',
    });
    expect(await client.createLabel(PROJECT, { name: 'OKR', color: '#1f75cb', description: 'x' })).toBeNull();
    expect(await client.editLabel(PROJECT, 12, { color: '#00aa00', description: 'Offer' })).toMatchObject({ color: '#00aa00' });
    expect(sleeps).toEqual([]);
  });

  it('boards: list with lists, create, add a list, move a list', async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab
      .get(`${P}/boards`)
      .query({ per_page: '100' })
      .reply(200, [
        { id: 3, name: 'Hiring pipeline', lists: [{ id: 30, position: 0, label: { id: 12, name: 'hiring-stage::offer', color: '#fff' } }] },
      ]);
    gitlab.post(`${P}/boards`, { name: 'Hiring pipeline' }).reply(201, { id: 4, name: 'Hiring pipeline', lists: [] });
    gitlab
      .post(`${P}/boards/4/lists`, { label_id: 12 })
      .reply(201, { id: 40, position: 0, label: { id: 12, name: 'hiring-stage::offer' } });
    gitlab
      .put(`${P}/boards/4/lists/40`, { position: 2 })
      .reply(200, { id: 40, position: 2, label: { id: 12, name: 'hiring-stage::offer' } });
    const { client } = makeClient();
    expect(await client.listBoards(PROJECT)).toEqual([
      { id: 3, name: 'Hiring pipeline', lists: [{ id: 30, position: 0, label: { id: 12, name: 'hiring-stage::offer' } }] },
    ]);
    expect(await client.createBoard(PROJECT, 'Hiring pipeline')).toEqual({ id: 4, name: 'Hiring pipeline', lists: [] });
    expect(await client.createBoardList(PROJECT, 4, 12)).toEqual({ id: 40, position: 0, label: { id: 12, name: 'hiring-stage::offer' } });
    expect((await client.moveBoardList(PROJECT, 4, 40, 2)).position).toBe(2);
  });

  it('getMember: effective access through members/all; null when not a member', async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${P}/members/all/11`).reply(200, { id: 11, username: 'alice', access_level: 30, name: 'Alice' });
    gitlab.get(`${P}/members/all/12`).reply(404, { message: '404 Not found' }, json);
    const { client } = makeClient();
    expect(await client.getMember(PROJECT, 11)).toEqual({ id: 11, username: 'alice', access_level: 30 });
    expect(await client.getMember(PROJECT, 12)).toBeNull();
  });

  it('numeric project ids go in the path as they are', async () => {
    strictNock(GITLAB_URL).get('/api/v4/projects/42/issues/1').reply(200, issueJson(1));
    const { client } = makeClient();
    expect((await client.getIssue(42, 1)).iid).toBe(1);
  });

  it('an unexpected answer fails clearly instead of leaking undefined fields', async () => {
    strictNock(GITLAB_URL).get(`${P}/issues/5`).reply(200, '<html>proxy login</html>', { 'content-type': 'text/html' });
    const { client } = makeClient();
    await expect(client.getIssue(PROJECT, 5)).rejects.toThrow(
      /GitLab answered GET \/projects\/acme%2Fhandbook\/issues\/5 with an unexpected response: issue: expected an object/,
    );
  });

  it('a trailing /api/v4 in the URL is tolerated', async () => {
    strictNock(GITLAB_URL).get('/api/v4/user').reply(200, { id: 5, username: 'handbook-bot' });
    const { client } = makeClient({ url: `${GITLAB_URL}/api/v4/` });
    expect((await client.currentUser()).id).toBe(5);
  });
});
