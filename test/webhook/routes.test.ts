import { describe, expect, it } from 'vitest';
import { jobId } from '../../src/queue/jobs.js';
import { changedPages, createRouter, projectMatcher, type RouteResult } from '../../src/webhook/routes.js';
import {
  HANDBOOK,
  PAGE_A,
  PAGE_B,
  RECRUITING,
  ZERO_SHA,
  handbookPush,
  inProject,
  loadFixture,
  type CommitFixture,
} from '../support/fixtures.js';
import { testSettings } from '../support/settings.js';

const settings = testSettings({ config: { handbook: { project: HANDBOOK.path }, recruiting: { project: RECRUITING.path } } });
const route = createRouter(settings.config, { bot: { username: 'handbook-bot' } });

function jobs(result: RouteResult) {
  if (result.kind !== 'jobs') throw new Error(`expected jobs, got ${JSON.stringify(result)}`);
  return result.jobs;
}

const commit = (
  id: string,
  change: Partial<Pick<CommitFixture, 'added' | 'modified' | 'removed'>>,
  timestamp = '2026-11-02T10:00:00+01:00',
): CommitFixture => ({
  id,
  timestamp,
  added: [],
  modified: [],
  removed: [],
  ...change,
});

describe('push routing', () => {
  it('keeps the last change of each page across commits', () => {
    const changes = changedPages(
      [
        commit('1', { added: [PAGE_A, 'README.md'] }),
        commit('2', { modified: [PAGE_B] }),
        commit('3', { removed: [PAGE_A] }),
        commit('4', { removed: [PAGE_B] }),
        commit('5', { added: [PAGE_B] }),
      ],
      (path) => path.startsWith('content/job-families/'),
    );
    expect([...changes]).toEqual([
      [PAGE_A, 'removed'],
      [PAGE_B, 'added'],
    ]);
  });

  it('a push that adds or removes a page is resolved through compare (the payload lists a rename under added only)', () => {
    const push = handbookPush();
    push.commits = [commit('c1', { added: [PAGE_A] }), commit(push.after, { removed: [PAGE_A] }, '2026-11-02T11:00:00+01:00')];
    push.total_commits_count = 2;
    expect(jobs(route('Push Hook', push, 'uuid-7'))).toEqual([
      {
        name: 'push-resolve',
        id: jobId('push-resolve', HANDBOOK.id, 'uuid-7'),
        data: { projectId: HANDBOOK.id, ref: push.ref, before: push.before, after: push.after, delivery: 'uuid-7', trigger: 'webhook' },
      },
    ]);
  });

  it('a push that only modifies pages queues a page-sync per page, identified by the delivery, read at the branch head', () => {
    const push = handbookPush();
    push.commits = [commit(push.after, { modified: [PAGE_A] })];
    push.total_commits_count = 1;
    expect(jobs(route('Push Hook', push, 'uuid-8'))).toEqual([
      {
        name: 'page-sync',
        id: jobId('page-sync', HANDBOOK.id, PAGE_A, 'uuid-8'),
        data: {
          projectId: HANDBOOK.id,
          path: PAGE_A,
          change: 'modified',
          commit: push.after,
          ref: push.ref,
          delivery: 'uuid-8',
          trigger: 'webhook',
        },
      },
    ]);
    // Without a delivery id, the push's before..after tells it apart (a force-push back differs).
    expect(jobs(route('Push Hook', push)).map((job) => job.id)).toEqual([
      jobId('page-sync', HANDBOOK.id, PAGE_A, `${push.before}..${push.after}`),
    ]);
  });

  it('treats a branch creation on the default branch as a push of its commits, without previous commit', () => {
    const push = handbookPush();
    push.before = ZERO_SHA;
    const [first] = jobs(route('Push Hook', push));
    expect(first?.data).not.toHaveProperty('previousCommit');
    expect(first?.data).toMatchObject({ path: PAGE_A, commit: push.after });
  });

  it('matches the default globs: old and new handbook layouts, .md.erb', () => {
    const push = handbookPush();
    const old = 'sites/handbook/source/job-families/sales/account-executive.html.md.erb';
    push.commits = [commit(push.after, { modified: [old, 'content/job-families/x.md', 'content/handbook/values.md', 'job-families.md'] })];
    push.total_commits_count = 1;
    expect(jobs(route('Push Hook', push)).map((job) => (job.data as { path: string }).path)).toEqual([old, 'content/job-families/x.md']);
  });

  it('uses the configured pages and branch', () => {
    const custom = createRouter(
      testSettings({ config: { handbook: { project: HANDBOOK.id, branch: 'main', pages: ['roles/*.md'] } } }).config,
      { bot: { username: 'handbook-bot' } },
    );
    const push = handbookPush();
    push.commits = [commit(push.after, { modified: ['roles/a.md', PAGE_A] })];
    push.total_commits_count = 1;
    expect(custom('Push Hook', push)).toEqual({
      kind: 'ignored',
      reason: 'push to master, not the default branch main',
      project: HANDBOOK.path,
    });
    push.ref = 'refs/heads/main';
    expect(jobs(custom('Push Hook', push)).map((job) => job.id)).toEqual([
      jobId('page-sync', HANDBOOK.id, 'roles/a.md', `${push.before}..${push.after}`),
    ]);
  });

  it('resolves a force push that lists no commits with the compare API', () => {
    const push = handbookPush();
    Object.assign(push, { commits: [], total_commits_count: 0 });
    expect(jobs(route('Push Hook', push)).map((job) => job.name)).toEqual(['push-resolve']);
  });

  it('ignores a push without pages, a tag, and a push by the bot', () => {
    const push = handbookPush();
    push.commits = [commit(push.after, { modified: ['README.md'] })];
    push.total_commits_count = 1;
    expect(route('Push Hook', push)).toMatchObject({ kind: 'ignored', reason: 'no job-family page changed' });
    expect(route('Push Hook', { ...handbookPush(), ref: 'refs/tags/v1' })).toMatchObject({ reason: 'refs/tags/v1 is not a branch' });
    expect(route('Push Hook', { ...handbookPush(), user_username: 'Handbook-Bot' })).toMatchObject({
      reason: 'event caused by the bot itself',
    });
  });

  it('accepts any project when no handbook project is configured', () => {
    const open = createRouter(testSettings({ config: { handbook: {} } }).config, { bot: { username: 'handbook-bot' } });
    const push = loadFixture('push');
    push.commits = [commit(push.after, { modified: [PAGE_A] })];
    push.total_commits_count = 1;
    expect(jobs(open('Push Hook', push))).toHaveLength(1);
  });

  it('gives explicit re-runs (replay) a unique id', () => {
    const replay = createRouter(settings.config, { bot: { username: 'handbook-bot' }, trigger: 'replay' });
    const push = handbookPush();
    push.commits = [commit(push.after, { modified: [PAGE_A] })];
    push.total_commits_count = 1;
    const [a] = jobs(replay('Push Hook', push));
    const [b] = jobs(replay('Push Hook', push));
    expect(a?.id).toMatch(
      new RegExp(`^${jobId('page-sync', HANDBOOK.id, PAGE_A, `${push.before}..${push.after}`).replace(/\./g, '\\.')}\\.rerun-[0-9a-z]+$`),
    );
    expect(a?.id).not.toBe(b?.id);
    expect(a?.data).toMatchObject({ trigger: 'replay' });
  });
});

describe('project matching', () => {
  it('by path (case-insensitive) or numeric id, as number or string', () => {
    const project = { id: 7, path_with_namespace: 'Acme/Handbook' };
    expect(projectMatcher('acme/handbook')(project)).toBe(true);
    expect(projectMatcher(7)(project)).toBe(true);
    expect(projectMatcher('7')(project)).toBe(true);
    expect(projectMatcher('acme/other')(project)).toBe(false);
    expect(projectMatcher(undefined)(project)).toBe(true);
  });
});

describe('merge request routing', () => {
  const mr = () => inProject(loadFixture('merge_request'), HANDBOOK);

  it('reviews open, reopen and updates with new commits; nothing else', () => {
    for (const action of ['open', 'reopen']) {
      const payload = mr();
      payload.object_attributes.action = action;
      expect(jobs(route('Merge Request Hook', payload)).map((job) => job.name)).toEqual(['mr-checklist']);
    }
    const update = mr();
    Object.assign(update.object_attributes, { action: 'update', oldrev: 'abc' });
    expect(jobs(route('Merge Request Hook', update))).toHaveLength(1);
    for (const action of ['close', 'merge', 'approved']) {
      const payload = mr();
      payload.object_attributes.action = action;
      expect(route('Merge Request Hook', payload)).toMatchObject({
        kind: 'ignored',
        reason: `merge request action "${action}" needs no review`,
      });
    }
  });

  it('ignores merge requests of other projects', () => {
    expect(route('Merge Request Hook', loadFixture('merge_request'))).toMatchObject({ kind: 'ignored' });
  });

  it('ignores a merge request without commits (no last_commit) instead of rejecting it', () => {
    for (const lastCommit of [null, undefined]) {
      const payload = mr() as unknown as { object_attributes: Record<string, unknown> };
      payload.object_attributes.last_commit = lastCommit;
      expect(route('Merge Request Hook', payload)).toEqual({
        kind: 'ignored',
        reason: 'merge request has no commits yet',
        project: HANDBOOK.path,
      });
    }
  });
});

describe('issue routing', () => {
  it('lists the labels this event added', () => {
    const issue = inProject(loadFixture('issue'), RECRUITING);
    issue.changes.labels.previous = [{ title: 'job-family::backend-engineer' }];
    issue.changes.labels.current = [{ title: 'job-family::backend-engineer' }, { title: 'hiring-stage::offer' }];
    const [job] = jobs(route('Issue Hook', issue));
    expect(job?.data).toMatchObject({ addedLabels: ['hiring-stage::offer'], action: 'open', issueIid: 23 });
  });

  /** GitLab's example issue, made a recruiting one: it carries a job family. */
  const recruitingIssue = () => {
    const issue = inProject(loadFixture('issue'), RECRUITING);
    issue.labels = [{ title: 'job-family::backend-engineer' }];
    return issue;
  };

  it('tells two events of the same second apart by what they changed', () => {
    const a = recruitingIssue();
    const b = recruitingIssue();
    b.changes.labels.current = [{ title: 'hiring-stage::offer' }];
    expect(jobs(route('Issue Hook', a))[0]?.id).not.toBe(jobs(route('Issue Hook', b))[0]?.id);
    expect(jobs(route('Issue Hook', a))[0]?.id).toBe(jobs(route('Issue Hook', recruitingIssue()))[0]?.id);
  });

  describe('an issue event that cannot matter is answered ignored, without a job', () => {
    const NOT_RECRUITING =
      'not a recruiting issue: no job-family:: label before or after, no hiring-stage:: change, no job-family page linked';
    const labelled = (now: string[], previous: string[] | null, current: string[] | null) => {
      const issue = inProject(loadFixture('issue'), RECRUITING) as ReturnType<typeof loadFixture<'issue'>> & Record<string, unknown>;
      issue.labels = now.map((title) => ({ title }));
      issue.object_attributes.labels = now.map((title) => ({ title }));
      issue.object_attributes.description = 'Order a laptop';
      if (previous === null || current === null) delete (issue as Record<string, unknown>).changes;
      else issue.changes = { labels: { previous: previous.map((title) => ({ title })), current: current.map((title) => ({ title })) } };
      return issue;
    };

    it.each([
      ['labels edited, none a job family or stage', ['IT', 'Laptop'], ['IT'], ['IT', 'Laptop']],
      ['a title edit of an unlabelled issue (no label change at all)', [], null, null],
      [
        'a stage label present but unchanged, no family',
        ['hiring-stage::offer', 'IT'],
        ['hiring-stage::offer'],
        ['hiring-stage::offer', 'IT'],
      ],
    ])('%s', (_what, now, previous, current) => {
      expect(route('Issue Hook', labelled(now, previous, current))).toEqual({
        kind: 'ignored',
        reason: NOT_RECRUITING,
        project: RECRUITING.path,
      });
    });

    it.each([
      ['the family label now', ['job-family::backend-engineer'], null, null],
      ['the family label removed by this event', ['IT'], ['job-family::backend-engineer', 'IT'], ['IT']],
      [
        'a stage label added (a drag on the board), even without a family',
        ['hiring-stage::offer'],
        ['hiring-stage::screening'],
        ['hiring-stage::offer'],
      ],
      ['a stage label removed', [], ['hiring-stage::offer'], []],
    ])('queued: %s', (_what, now, previous, current) => {
      expect(jobs(route('Issue Hook', labelled(now, previous, current)))[0]?.name).toBe('recruiting-issue');
    });

    it('queued: no label, but the description links a job-family page', () => {
      const issue = labelled([], null, null);
      issue.object_attributes.description = 'Hiring for https://handbook.gitlab.com/job-families/security/threat-management/';
      expect(jobs(route('Issue Hook', issue))[0]?.name).toBe('recruiting-issue');
    });
  });

  it('ignores closed issues and the bot user by id', () => {
    const byId = createRouter(settings.config, { bot: { username: 'hb', userId: 1 } });
    expect(byId('Issue Hook', inProject(loadFixture('issue'), RECRUITING))).toMatchObject({ reason: 'event caused by the bot itself' });
    const closed = inProject(loadFixture('issue'), RECRUITING);
    closed.object_attributes.action = 'close';
    expect(route('Issue Hook', closed)).toMatchObject({ reason: 'issue closed' });
  });
});

describe('note routing', () => {
  const note = (text: string) => {
    const payload = inProject(loadFixture('note_merge_request'), HANDBOOK);
    payload.object_attributes.note = text;
    return payload;
  };

  it('needs the command word as a word of its own, in any case', () => {
    expect(jobs(route('Note Hook', note('@HANDBOOK-BOT help')))).toHaveLength(1);
    expect(jobs(route('Confidential Note Hook', note('@handbook-bot')))).toHaveLength(1);
    expect(route('Note Hook', note('@handbook-bots help'))).toMatchObject({ kind: 'ignored' });
    expect(route('Note Hook', note('thanks @handbook-bot'))).toMatchObject({ kind: 'ignored' });
  });

  it('runs commands on issue notes in the recruiting project', () => {
    const payload = inProject(loadFixture('note_merge_request'), RECRUITING) as unknown as Record<string, unknown> & {
      object_attributes: Record<string, unknown>;
    };
    payload.object_attributes.note = '@handbook-bot stage offer';
    payload.object_attributes.noteable_type = 'Issue';
    delete payload.merge_request;
    payload.issue = { iid: 9 };
    const [job] = jobs(route('Note Hook', payload));
    expect(job?.data).toMatchObject({ noteableKind: 'Issue', noteableIid: 9, commandText: 'stage offer', projectId: RECRUITING.id });
    expect(job?.data).not.toHaveProperty('mergeRequest');
  });

  it('ignores edits, system notes, commit notes and notes in unrelated projects', () => {
    const edited = note('@handbook-bot recheck');
    edited.object_attributes.action = 'update';
    expect(route('Note Hook', edited)).toMatchObject({ reason: 'note update (only new notes run commands)' });
    const system = note('@handbook-bot recheck');
    system.object_attributes.system = true;
    expect(route('Note Hook', system)).toMatchObject({ reason: 'system note' });
    const onCommit = note('@handbook-bot recheck');
    onCommit.object_attributes.noteable_type = 'Commit';
    expect(route('Note Hook', onCommit)).toMatchObject({ reason: 'commands are not run on a Commit note' });
    const elsewhere = loadFixture('note_merge_request');
    elsewhere.object_attributes.note = '@handbook-bot recheck';
    expect(route('Note Hook', elsewhere)).toMatchObject({ reason: 'project gitlab-org/gitlab-test is not a project the bot manages' });
  });

  it('names the missing merge request of a merge request note', () => {
    const payload = note('@handbook-bot recheck') as unknown as Record<string, unknown>;
    delete payload.merge_request;
    expect(route('Note Hook', payload)).toEqual({ kind: 'invalid', message: 'merge_request: required (expected object)' });
  });
});

describe('validation', () => {
  it('names the offending field', () => {
    expect(route('Push Hook', { ...handbookPush(), project: { id: '4242' } })).toEqual({
      kind: 'invalid',
      message: 'project.id: expected number',
    });
    expect(route('Issue Hook', {})).toEqual({ kind: 'invalid', message: 'project: required (expected object)' });
    expect(route('Note Hook', null)).toEqual({ kind: 'invalid', message: 'body: expected object' });
  });

  it('ignores events it does not handle without looking at the body', () => {
    expect(route('Tag Push Hook', 'anything')).toEqual({ kind: 'ignored', reason: 'event "Tag Push Hook" is not handled' });
  });
});
