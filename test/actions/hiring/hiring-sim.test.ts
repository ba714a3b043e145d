import { Gitlab } from '@gitbeaker/rest';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionContext } from '../../../src/actions/shared/context.js';
import { runCommand } from '../../../src/actions/commands/run.js';
import { syncHiringForPage } from '../../../src/actions/hiring/sync.js';
import { reconcileRecruitingIssue } from '../../../src/actions/recruiting/issue.js';
import { startGitLabSim, type GitLabSim } from '../../support/gitlab-sim/server.js';
import { removePrefix, REDIS_URL, uniquePrefix } from '../../support/redis.js';
import { TM_PATH, TM_SOURCE, TM_WITHOUT_EXECUTIVE, simContext, threatManagement } from '../support/hiring.js';

/**
 * The hiring actions against the GitLab simulator (GitLab's real semantics for label conflicts with
 * group labels, board list moves, add/remove_labels, members): what the nock tests assert call by call,
 * checked here as the state GitLab ends up in, with the simulator's violation log (auto-created labels,
 * quick actions, mass mentions) empty.
 */

const STAGES = ['screening', 'hiring-manager', 'team-interviews', 'executive', 'offer'].map((stage) => `hiring-stage::${stage}`);
const ALICE_TOKEN = 'alice-token';

describe('hiring stages and recruiting issues against the GitLab simulator', () => {
  let sim: GitLabSim;
  let redis: Redis;
  let ctx: ActionContext;
  const prefix = uniquePrefix('hiring-sim');

  const recruiting = () => {
    const project = sim.dump().projects.find((candidate) => candidate.path === 'acme/recruiting');
    if (project === undefined) throw new Error('no recruiting project');
    return project;
  };
  const issue = (iid: number) => recruiting().issues.find((candidate) => candidate.iid === iid);
  const writeCount = () => sim.dump().requests.writes.length;

  beforeAll(async () => {
    sim = await startGitLabSim({
      initialState: {
        users: [{ username: 'alice' }, { username: 'bob' }],
        tokens: [{ token: ALICE_TOKEN, username: 'alice' }],
        // The offer label exists at group level (a project create would answer 409).
        groupLabels: [{ group: 'acme', name: 'hiring-stage::offer', color: '#009966', description: 'Group-owned' }],
        projects: [
          { id: 15, path: 'acme/handbook', files: { main: { [TM_PATH]: TM_SOURCE } }, members: { 'handbook-bot': 40 } },
          {
            id: 16,
            path: 'acme/recruiting',
            members: { 'handbook-bot': 40, alice: 20 },
            issues: [
              {
                title: 'Manager, Vulnerability Management Team — Jane Doe',
                labels: ['job-family::threat-management'],
                author: 'alice',
                confidential: true,
              },
              { title: 'Unrelated', labels: ['IT'], author: 'alice' },
            ],
          },
        ],
      },
    });
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    ctx = simContext(sim, redis, prefix);
  });

  afterAll(async () => {
    await sim.close();
    await removePrefix(redis, prefix);
    redis.disconnect();
  });

  it('a page sync creates the labels (a group label of that name is used as it is), the board in order, and the first stage', async () => {
    const result = await syncHiringForPage(ctx, { page: threatManagement(), path: TM_PATH, commit: 'c1' });

    // Labels are listed with their ancestor groups': the group's offer label is neither created nor edited.
    expect(result.labels).toEqual({ created: STAGES.slice(0, 4), updated: [], existed: [] });
    const labels = recruiting().labels.filter((label) => label.name.startsWith('hiring-stage::'));
    expect(labels.map((label) => [label.name, label.color, label.group ?? null])).toEqual([
      ['hiring-stage::offer', '#009966', 'acme'],
      ['hiring-stage::screening', '#6699cc', null],
      ['hiring-stage::hiring-manager', '#1f75cb', null],
      ['hiring-stage::team-interviews', '#9400d3', null],
      ['hiring-stage::executive', '#330066', null],
    ]);
    expect(recruiting().boards).toEqual([{ id: expect.any(Number) as number, name: 'Hiring pipeline', lists: STAGES }]);
    expect(issue(1)?.labels).toEqual(['hiring-stage::screening', 'job-family::threat-management']);
    expect(issue(2)?.labels).toEqual(['IT']);
    expect(sim.dump().violations).toEqual([]);
  });

  it('a second sync writes nothing', async () => {
    const before = writeCount();
    await syncHiringForPage(ctx, { page: threatManagement(), path: TM_PATH, commit: 'c1' });
    expect(writeCount()).toBe(before);
  });

  it('a recruiter adds a second stage (GitLab Free keeps both): the bot keeps the one just added', async () => {
    const human = new Gitlab({ host: sim.url, token: ALICE_TOKEN });
    await human.Issues.edit(16, 1, { addLabels: 'hiring-stage::executive' });
    expect(issue(1)?.labels).toEqual(['hiring-stage::executive', 'hiring-stage::screening', 'job-family::threat-management']);

    await reconcileRecruitingIssue(ctx, {
      projectId: 16,
      issueIid: 1,
      action: 'update',
      addedLabels: ['hiring-stage::executive'],
      updatedAt: 'x',
      trigger: 'webhook',
    });

    expect(issue(1)?.labels).toEqual(['hiring-stage::executive', 'job-family::threat-management']);
    // One kit, created at the first stage and now edited to the executive one; one comment on the collapse.
    const notes = (issue(1)?.notes ?? []).filter((note) => !note.system);
    expect(notes.map((note) => [note.author, note.body.split('\n').slice(0, 2).join(' | ')])).toEqual([
      ['handbook-bot', '<!-- handbook-bot:interview-kit --> | ### Interview kit: executive'],
      [
        'handbook-bot',
        '<!-- handbook-bot:stage-collapsed executive.screening --> | This issue had more than one hiring stage. Kept **executive**, the one just added, and removed **screening**: a recruiting issue is on one stage at a time.',
      ],
    ]);
    expect(sim.dump().violations).toEqual([]);
  });

  it('the page drops the executive stage: the issue moves to offer with one comment, the board keeps the list at the end', async () => {
    const input = { page: threatManagement(TM_WITHOUT_EXECUTIVE), path: TM_PATH, commit: 'c2c2c2c2c2c2' };
    await syncHiringForPage(ctx, input);
    await syncHiringForPage(ctx, input);

    expect(issue(1)?.labels).toEqual(['hiring-stage::offer', 'job-family::threat-management']);
    const comments = issue(1)?.notes.filter((note) => !note.system) ?? [];
    expect(comments.map((note) => [note.author, note.body.split('\n')[0]])).toEqual([
      ['handbook-bot', '<!-- handbook-bot:interview-kit -->'],
      ['handbook-bot', '<!-- handbook-bot:stage-collapsed executive.screening -->'],
      ['handbook-bot', '<!-- handbook-bot:stage-moved executive.offer.c2c2c2c2c2c2 -->'],
    ]);
    expect(comments[0]?.body.split('\n')[1]).toBe('### Interview kit: offer');
    expect(comments[2]?.body).toContain('Moved this issue from the hiring stage **executive** to **offer**');
    expect(recruiting().boards[0]?.lists).toEqual([...STAGES.slice(0, 3), 'hiring-stage::offer', 'hiring-stage::executive']);
    expect(sim.dump().violations).toEqual([]);
  });

  it('stage command: a Reporter moves the issue, a non-member is refused; each gets one reply', async () => {
    const bob = sim.state.userByName('bob');
    const alice = sim.state.userByName('alice');
    if (bob === undefined || alice === undefined) throw new Error('seed users missing');
    const command = (noteId: number, author: { id: number; username: string }, commandText: string) =>
      runCommand(ctx, {
        projectId: 16,
        noteableKind: 'Issue',
        noteableIid: 1,
        noteId,
        authorId: author.id,
        authorUsername: author.username,
        commandText,
      });

    expect((await command(9001, alice, 'stage hiring-manager')).outcome).toBe('answered');
    expect((await command(9002, bob, 'stage screening')).outcome).toBe('refused');
    expect((await command(9001, alice, 'stage hiring-manager')).outcome).toBe('already-answered');

    expect(issue(1)?.labels).toEqual(['hiring-stage::hiring-manager', 'job-family::threat-management']);
    const replies = (issue(1)?.notes ?? []).filter((note) => note.body.includes('handbook-bot:command-reply'));
    expect(replies.map((note) => note.body.split('\n')[0])).toEqual([
      '<!-- handbook-bot:command-reply 9001 -->',
      '<!-- handbook-bot:command-reply 9002 -->',
    ]);
    expect(sim.dump().violations).toEqual([]);
  });
});
