import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitLabSim } from '../support/gitlab-sim/server.js';
import { failure, gitlab, HUMAN_TOKEN, PAGE_A, PAGE_B, startSeededSim } from './fixture.js';

/**
 * The simulator checked through `@gitbeaker/rest`'s own resource methods, so it cannot drift from
 * what the bot's client sends and expects (paths, encodings, pagination, error shapes).
 */

let sim: GitLabSim;
let api: ReturnType<typeof gitlab>;

beforeEach(async () => {
  sim = await startSeededSim();
  api = gitlab(sim);
});

afterEach(async () => {
  await sim.close();
});

describe('users and projects', () => {
  it('answers the current user and finds users by username', async () => {
    const me = await api.Users.showCurrentUser();
    expect(me.username).toBe('handbook-bot');
    const found = await api.Users.all({ username: 'alice' });
    expect(found.map((u) => u.username)).toEqual(['alice']);
    expect(await api.Users.all({ username: 'nobody' })).toEqual([]);
  });

  it('finds a project by numeric id and by URL-encoded path, 404 otherwise', async () => {
    expect((await api.Projects.show(15)).default_branch).toBe('main');
    expect((await api.Projects.show('acme/handbook')).id).toBe(15);
    expect(await failure(api.Projects.show('acme/nope'))).toEqual({ status: 404, message: '404 Project Not Found' });
  });
});

describe('repository', () => {
  it('serves raw files at a branch or a commit, 404 when missing', async () => {
    const project = sim.state.requireProject(15);
    const featureSha = project.repo.branches.get('feature') ?? '';
    expect(await api.RepositoryFiles.showRaw('acme/handbook', PAGE_A, 'main')).toContain('## Director, Security\n');
    expect(await api.RepositoryFiles.showRaw(15, PAGE_A, featureSha)).toContain('grade 11');
    expect(await failure(api.RepositoryFiles.showRaw(15, PAGE_B, featureSha))).toEqual({ status: 404, message: '404 File Not Found' });
    expect((await failure(api.RepositoryFiles.showRaw(15, PAGE_A, 'no-such-branch'))).status).toBe(404);
  });

  it('shows a commit by sha or short sha', async () => {
    const sha = sim.state.requireProject(15).repo.branches.get('feature') ?? '';
    const commit = await api.Commits.show(15, sha);
    expect(commit.id).toBe(sha);
    expect(commit.committed_date).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect((await api.Commits.show(15, sha.slice(0, 8))).id).toBe(sha);
    expect(await failure(api.Commits.show(15, 'f'.repeat(40)))).toEqual({ status: 404, message: '404 Commit Not Found' });
  });

  it('compares two commits: added, modified and deleted paths and the commits between', async () => {
    const { branches } = sim.state.requireProject(15).repo;
    const result = await api.Repositories.compare(15, branches.get('main') ?? '', branches.get('feature') ?? '');
    const diffs = result.diffs ?? [];
    const byPath = Object.fromEntries(
      diffs.map((d) => [d.new_path, { new_file: d.new_file, deleted_file: d.deleted_file, renamed_file: d.renamed_file }]),
    );
    expect(byPath).toEqual({
      'content/job-families/new.md': { new_file: true, deleted_file: false, renamed_file: false },
      [PAGE_A]: { new_file: false, deleted_file: false, renamed_file: false },
      [PAGE_B]: { new_file: false, deleted_file: true, renamed_file: false },
    });
    expect(result.commits?.map((c) => c.title)).toEqual(['Raise grade']);
  });

  it('detects a rename and lists the commits between in order', async () => {
    const base = sim.state.requireProject(15).repo.branches.get('main') ?? '';
    sim.state.commit(15, { branch: 'rename', parent: 'main', message: 'one', files: { 'x.md': 'x' } });
    const head = sim.state.commit(15, {
      branch: 'rename',
      message: 'two',
      files: { 'content/moved.md': '# Handbook\n' },
      remove: ['README.md'],
    });
    const result = await api.Repositories.compare(15, base, head);
    expect(result.commits?.map((c) => c.title)).toEqual(['one', 'two']);
    expect(result.diffs?.find((d) => d.renamed_file)).toMatchObject({ old_path: 'README.md', new_path: 'content/moved.md' });
  });

  it('lists the tree recursively, following offset and keyset pagination', async () => {
    const expected = ['README.md', 'content', 'content/job-families', 'content/job-families/security', PAGE_A, PAGE_B];
    const offset = await api.Repositories.allRepositoryTrees(15, { recursive: true, ref: 'main', perPage: 2 });
    expect(offset.map((e) => e.path)).toEqual(expected);
    expect(offset.filter((e) => e.type === 'blob')).toHaveLength(3);
    const keyset = await api.Repositories.allRepositoryTrees(15, { recursive: true, ref: 'main', perPage: 2, pagination: 'keyset' });
    expect(keyset.map((e) => e.path)).toEqual(expected);
    const top = await api.Repositories.allRepositoryTrees(15, { ref: 'main' });
    expect(top.map((e) => e.path)).toEqual(['README.md', 'content']);
    expect(sim.dump().requests.byRoute['GET /projects/:id/repository/tree']).toBe(3 + 3 + 1);
  });
});

describe('issues', () => {
  it('creates issues and follows pagination to the end (more than 20)', async () => {
    await api.ProjectLabels.create(15, 'OKR', '#0000ff');
    for (let i = 1; i <= 25; i += 1) {
      await api.Issues.create(15, `OKRs: page ${i}`, { labels: i % 2 === 0 ? 'OKR,even' : 'OKR', description: `body ${i}` });
    }
    const before = sim.dump().requests.byRoute['GET /projects/:id/issues'] ?? 0;
    const all = await api.Issues.all({ projectId: 15, labels: 'OKR' });
    expect(all).toHaveLength(25);
    expect(new Set(all.map((i) => i.iid)).size).toBe(25);
    expect(all[0]?.iid).toBe(25); // created_at desc, like GitLab
    expect((sim.dump().requests.byRoute['GET /projects/:id/issues'] ?? 0) - before).toBe(2);

    expect(await api.Issues.all({ projectId: 15, labels: 'OKR,even' })).toHaveLength(12);
    expect((await api.Issues.all({ projectId: 15, search: 'page 7' })).map((i) => i.title)).toEqual(['OKRs: page 7']);
    expect((await api.Issues.all({ projectId: 15, search: 'BODY 13' })).map((i) => i.iid)).toEqual([13]);

    const page = await api.Issues.all({ projectId: 15, perPage: 10, page: 3, showExpanded: true });
    expect(page.data).toHaveLength(5);
    expect(page.paginationInfo).toMatchObject({ total: 25, current: 3, totalPages: 3, next: null, previous: 2, perPage: 10 });
  });

  it('shows, edits, closes and reopens an issue', async () => {
    const alice = sim.state.userByName('alice');
    const created = await api.Issues.create('acme/handbook', 'OKRs: Security Leadership — FY27-Q4', {
      description: 'intro',
      labels: 'OKR',
    });
    expect(created).toMatchObject({ iid: 1, state: 'opened', labels: ['OKR'], author: { username: 'handbook-bot' } });
    const edited = await api.Issues.edit(15, created.iid, {
      addLabels: 'job-family::x',
      removeLabels: 'OKR',
      dueDate: '2027-01-31',
      assigneeIds: [alice?.id ?? 0],
      stateEvent: 'close',
    });
    expect(edited).toMatchObject({ state: 'closed', labels: ['job-family::x'], due_date: '2027-01-31' });
    expect(edited.assignees?.map((a) => a.username)).toEqual(['alice']);
    const shown = await api.Issues.show(created.iid, { projectId: 15 });
    expect(shown.state).toBe('closed');
    expect((await api.Issues.all({ projectId: 15, state: 'opened' })).length).toBe(0);
    const reopened = await api.Issues.edit(15, created.iid, { stateEvent: 'reopen', labels: 'a,b', title: 'renamed' });
    expect(reopened).toMatchObject({ state: 'opened', labels: ['a', 'b'], title: 'renamed' });
    expect(await failure(api.Issues.show(99, { projectId: 15 }))).toEqual({ status: 404, message: '404 Issue Not Found' });
  });

  it('hides confidential issues from non-members but not from the bot', async () => {
    expect(await api.Issues.all({ projectId: 'acme/recruiting' })).toHaveLength(1);
    expect(await gitlab(sim, HUMAN_TOKEN).Issues.all({ projectId: 'acme/recruiting' })).toHaveLength(0);
  });
});

describe('notes', () => {
  it('creates, lists (newest first, paginated), edits and deletes issue notes', async () => {
    const issue = await api.Issues.create(15, 'with notes');
    const first = await api.IssueNotes.create(15, issue.iid, 'first');
    for (let i = 2; i <= 22; i += 1) await api.IssueNotes.create(15, issue.iid, `note ${i}`);
    const all = await api.IssueNotes.all(15, issue.iid);
    expect(all).toHaveLength(22);
    expect(all[0]?.body).toBe('note 22');
    expect(all[21]?.body).toBe('first');
    const asc = await api.IssueNotes.all(15, issue.iid, { sort: 'asc', orderBy: 'created_at' });
    expect(asc[0]?.body).toBe('first');

    const edited = await api.IssueNotes.edit(15, issue.iid, first.id, { body: 'first, edited' });
    expect(edited.body).toBe('first, edited');
    expect(await failure(gitlab(sim, HUMAN_TOKEN).IssueNotes.edit(15, issue.iid, first.id, { body: 'hijack' }))).toEqual({
      status: 403,
      message: '403 Forbidden',
    });
    await api.IssueNotes.remove(15, issue.iid, first.id);
    expect(await api.IssueNotes.all(15, issue.iid)).toHaveLength(21);
    expect((await failure(api.IssueNotes.remove(15, issue.iid, first.id))).status).toBe(404);
  });

  it('creates, edits and removes merge request notes', async () => {
    const note = await api.MergeRequestNotes.create(15, 1, '<!-- handbook-bot:review-checklist -->\nchecklist');
    expect(note).toMatchObject({ noteable_type: 'MergeRequest', noteable_iid: 1, system: false, author: { username: 'handbook-bot' } });
    const edited = await api.MergeRequestNotes.edit(15, 1, note.id, { body: '<!-- handbook-bot:review-checklist -->\nv2' });
    expect(edited.body).toContain('v2');
    expect((await api.MergeRequestNotes.all(15, 1)).map((n) => n.id)).toEqual([note.id]);
    await api.MergeRequestNotes.remove(15, 1, note.id);
    expect(await api.MergeRequestNotes.all(15, 1)).toEqual([]);
    expect(sim.dump().projects[0]?.merge_requests[0]?.notes).toEqual([]);
  });

  it('adds system notes for label and state changes, authored by the acting user', async () => {
    const issue = await api.Issues.create(15, 'labelled', { labels: 'a' });
    await api.Issues.edit(15, issue.iid, { addLabels: 'b', stateEvent: 'close' });
    const notes = await api.IssueNotes.all(15, issue.iid, { sort: 'asc' });
    expect(notes.map((n) => [n.system, n.author.username])).toEqual([
      [true, 'handbook-bot'],
      [true, 'handbook-bot'],
    ]);
    expect(notes[0]?.body).toMatch(/^added ~\d+ label$/);
    expect(notes[1]?.body).toBe('closed');
  });
});

describe('merge requests', () => {
  it('shows the MR at its source head and lists its diffs and changes', async () => {
    const head = sim.state.requireProject(15).repo.branches.get('feature');
    const mr = await api.MergeRequests.show(15, 1);
    expect(mr).toMatchObject({ iid: 1, sha: head, source_branch: 'feature', target_branch: 'main', state: 'opened' });
    const diffs = await api.MergeRequests.allDiffs(15, 1, { perPage: 1 });
    expect(diffs.map((d) => d.new_path)).toEqual(['content/job-families/new.md', PAGE_A, PAGE_B]);
    const changes = await api.MergeRequests.showChanges(15, 1);
    expect(changes.changes?.map((c) => [c.new_path, c.deleted_file])).toEqual([
      ['content/job-families/new.md', false],
      [PAGE_A, false],
      [PAGE_B, true],
    ]);
  });

  it('follows a push to the source branch', async () => {
    const sha = sim.state.commit(15, { branch: 'feature', files: { 'content/job-families/other.md': 'x' } });
    expect((await api.MergeRequests.show(15, 1)).sha).toBe(sha);
    expect(await api.MergeRequests.allDiffs(15, 1)).toHaveLength(4);
  });

  it('edits labels on the MR', async () => {
    await api.ProjectLabels.create(15, 'job-family::grade-change', '#ff0000');
    const edited = await api.MergeRequests.edit(15, 1, { addLabels: 'job-family::grade-change' });
    expect(edited.labels).toEqual(['job-family::grade-change']);
    const removed = await api.MergeRequests.edit(15, 1, { removeLabels: 'job-family::grade-change' });
    expect(removed.labels).toEqual([]);
    expect(sim.dump().violations).toEqual([]);
  });
});

describe('labels', () => {
  it('lists project and ancestor-group labels, creates, refuses duplicates with 409, edits', async () => {
    const created = await api.ProjectLabels.create(15, 'hiring-stage::screening', '#428BCA', { description: 'Screening call' });
    expect(created).toMatchObject({
      name: 'hiring-stage::screening',
      color: '#428BCA',
      description: 'Screening call',
      is_project_label: true,
    });
    expect(await failure(api.ProjectLabels.create(15, 'hiring-stage::screening', '#428BCA'))).toEqual({
      status: 409,
      message: 'Label already exists',
    });
    expect((await failure(api.ProjectLabels.create(15, 'HIRING-STAGE::SCREENING', '#428BCA'))).status).toBe(409);
    expect((await failure(api.ProjectLabels.create(15, 'group label', '#428BCA'))).status).toBe(409);
    expect((await failure(api.ProjectLabels.create(15, 'bad colour', 'not-a-colour'))).status).toBe(400);

    const all = await api.ProjectLabels.all(15, { includeAncestorGroups: true });
    expect(all.map((l) => [l.name, l.is_project_label])).toEqual([
      ['Group Label', false],
      ['hiring-stage::screening', true],
    ]);
    expect((await api.ProjectLabels.all(15, { includeAncestorGroups: false })).map((l) => l.name)).toEqual(['hiring-stage::screening']);

    const edited = await api.ProjectLabels.edit(15, created.id, { color: '#00ff00', description: 'Screening call with recruiting' });
    expect(edited).toMatchObject({ color: '#00ff00', description: 'Screening call with recruiting' });
    const renamed = await api.ProjectLabels.edit(15, created.id, { newName: 'hiring-stage::screen' });
    expect(renamed.name).toBe('hiring-stage::screen');
  });

  it('paginates label lists', async () => {
    for (let i = 0; i < 45; i += 1) sim.state.addLabel(15, { name: `label-${String(i).padStart(2, '0')}`, color: '#000000' });
    expect(await api.ProjectLabels.all(15)).toHaveLength(46);
  });
});

describe('boards', () => {
  it('creates a board and lists, refuses a second list for a label, reorders on move', async () => {
    const labels = [];
    for (const stage of ['screening', 'hiring-manager', 'team-interviews']) {
      labels.push(await api.ProjectLabels.create(16, `hiring-stage::${stage}`, '#428BCA'));
    }
    const board = await api.ProjectIssueBoards.create(16, 'Hiring pipeline');
    expect(board).toMatchObject({ name: 'Hiring pipeline', lists: [] });
    const lists = [];
    for (const label of labels) lists.push(await api.ProjectIssueBoards.createList(16, board.id, { labelId: label.id }));
    expect(lists.map((l) => l.position)).toEqual([0, 1, 2]);
    expect((await failure(api.ProjectIssueBoards.createList(16, board.id, { labelId: labels[0]?.id ?? 0 }))).status).toBe(400);
    expect((await failure(api.ProjectIssueBoards.createList(16, board.id, { labelId: 999 }))).status).toBe(400);

    const moved = await api.ProjectIssueBoards.editList(16, board.id, lists[2]?.id ?? 0, 0);
    expect(moved.position).toBe(0);
    const after = await api.ProjectIssueBoards.allLists(16, board.id);
    expect(after.map((l) => [l.label?.name, l.position])).toEqual([
      ['hiring-stage::team-interviews', 0],
      ['hiring-stage::screening', 1],
      ['hiring-stage::hiring-manager', 2],
    ]);
    expect((await failure(api.ProjectIssueBoards.editList(16, board.id, lists[0]?.id ?? 0, 7))).status).toBe(400);

    const boards = await api.ProjectIssueBoards.all(16);
    expect(boards.map((b) => (b.lists ?? []).map((l) => l.label?.name))).toEqual([
      ['hiring-stage::team-interviews', 'hiring-stage::screening', 'hiring-stage::hiring-manager'],
    ]);
    expect(sim.dump().projects[1]?.boards).toEqual([
      {
        id: board.id,
        name: 'Hiring pipeline',
        lists: ['hiring-stage::team-interviews', 'hiring-stage::screening', 'hiring-stage::hiring-manager'],
      },
    ]);
  });
});

describe('members', () => {
  it('shows effective membership (inherited included), 404 for non-members', async () => {
    const id = (name: string): number => sim.state.userByName(name)?.id ?? 0;
    expect(await api.ProjectMembers.show(15, id('alice'), { includeInherited: true })).toMatchObject({
      username: 'alice',
      access_level: 30,
    });
    expect(await api.ProjectMembers.show('acme/handbook', id('carol'), { includeInherited: true })).toMatchObject({
      username: 'carol',
      access_level: 20,
    });
    expect((await failure(api.ProjectMembers.show(15, id('carol')))).status).toBe(404);
    expect(await failure(api.ProjectMembers.show(15, id('bob'), { includeInherited: true }))).toEqual({
      status: 404,
      message: '404 Not found',
    });
  });
});
