import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCommand, normalizeStageName } from '../../../src/actions/commands/parse.js';
import { helpText } from '../../../src/actions/commands/reply.js';
import { runCommand } from '../../../src/actions/commands/run.js';
import {
  COMMANDS_PER_WINDOW,
  COMMAND_WINDOW_SECONDS,
  REFUSAL_QUIET_SECONDS,
  MEMBER_TTL_SECONDS,
} from '../../../src/actions/commands/gate.js';
import { hiringFamilyFromPage, stageOrder } from '../../../src/actions/hiring/family.js';
import { desiredStageLabels } from '../../../src/actions/hiring/stages-plan.js';
import { writeFamily } from '../../../src/actions/shared/page-index.js';
import type { CommandData } from '../../../src/queue/jobs.js';
import { recordedRequests, recordedWrites, strictNock } from '../../support/strict-nock.js';
import {
  BOT,
  GITLAB_URL,
  LABEL_QUERY,
  NOTES_QUERY,
  R,
  RID,
  RN,
  TM_PATH,
  issueJson,
  labelJson,
  makeContext,
  noteJson,
  testConfig,
  threatManagement,
  type TestContext,
} from '../support/hiring.js';

const HID = 4242;
const HN = `/api/v4/projects/${HID}`;
const NOTE_ID = 1234;
const ALICE = { id: 55, username: 'alice' };
const TM_LABEL = 'job-family::threat-management';
const existingLabels = desiredStageLabels(threatManagement(), testConfig()).labels.map((spec, index) =>
  labelJson(11 + index, spec.name, spec.color, spec.description),
);

let t: TestContext;
beforeEach(async () => {
  t = makeContext({ name: 'commands' });
  await writeFamily(
    t.redis,
    t.ctx.lockPrefix,
    hiringFamilyFromPage(threatManagement(), { path: TM_PATH, commit: 'c1', order: stageOrder(t.ctx.config) }),
  );
});
afterEach(async () => {
  await t.close();
});

const onIssue = (commandText: string, over: Partial<CommandData> = {}): CommandData => ({
  projectId: RID,
  noteableKind: 'Issue',
  noteableIid: 9,
  noteId: NOTE_ID,
  authorId: ALICE.id,
  authorUsername: ALICE.username,
  commandText,
  ...over,
});

const onMergeRequest = (commandText: string, over: Partial<CommandData> = {}): CommandData => ({
  projectId: HID,
  noteableKind: 'MergeRequest',
  noteableIid: 5,
  noteId: NOTE_ID,
  authorId: ALICE.id,
  authorUsername: ALICE.username,
  commandText,
  mergeRequest: { headSha: 'abc123def4567890', targetBranch: 'main' },
  ...over,
});

const REPLY_MARKER = `<!-- handbook-bot:command-reply ${NOTE_ID} -->`;
const member = (accessLevel: number) => ({ id: ALICE.id, username: ALICE.username, access_level: accessLevel, state: 'active' });

/** GitLab before a command: who the bot is, and the noteable's notes (the command itself, no reply). */
function expectLookup(notesPath: string, notes: Array<Record<string, unknown>> = [noteJson(NOTE_ID, '@handbook-bot …', ALICE)]) {
  const gitlab = strictNock(GITLAB_URL);
  gitlab.get('/api/v4/user').reply(200, BOT);
  gitlab.get(notesPath).query(NOTES_QUERY).reply(200, notes);
  return gitlab;
}

function replyBody(): string {
  const writes = recordedWrites();
  const reply = writes.at(-1);
  expect(reply?.method).toBe('POST');
  return (reply?.body as { body: string }).body;
}

describe('parseCommand', () => {
  it('reads the first line only', () => {
    expect(parseCommand('help')).toEqual({ kind: 'help' });
    expect(parseCommand('')).toEqual({ kind: 'help' });
    expect(parseCommand('RECHECK please\nthanks')).toEqual({ kind: 'recheck' });
    expect(parseCommand('stage Team interviews\n/close')).toEqual({ kind: 'stage', stage: 'team-interviews', written: 'Team interviews' });
    expect(parseCommand('dance')).toEqual({ kind: 'unknown', word: 'dance' });
  });

  it('stage names as people write them', () => {
    expect(normalizeStageName('~"hiring-stage::offer"')).toBe('offer');
    expect(normalizeStageName('`Hiring_Manager`')).toBe('hiring-manager');
    expect(normalizeStageName('')).toBe('');
  });
});

describe('runCommand: help and unknown commands', () => {
  it("help: a reply that carries the command note's marker", async () => {
    const gitlab = expectLookup(`${HN}/merge_requests/5/notes`);
    gitlab.post(`${HN}/merge_requests/5/notes`).reply(201, noteJson(2000, 'x'));

    const result = await runCommand(t.ctx, onMergeRequest('help'));

    expect(recordedWrites()).toEqual([
      { method: 'POST', path: `${HN}/merge_requests/5/notes`, body: { body: `${REPLY_MARKER}\n${helpText(t.ctx.config)}` } },
    ]);
    const help = helpText(t.ctx.config);
    expect(help).toContain('`@handbook-bot recheck`');
    expect(help).toContain('`@handbook-bot stage <name>`');
    expect(help).toContain('*Hiring pipeline* board');
    expect(result).toEqual({ command: 'help', outcome: 'answered', queued: [] });
  });

  it('an unknown command is answered with the help, the word sanitized', async () => {
    const gitlab = expectLookup(`${RN}/issues/9/notes`);
    gitlab.post(`${RN}/issues/9/notes`).reply(201, noteJson(2000, 'x'));

    const result = await runCommand(t.ctx, onIssue('<b>@all</b> now'));

    const body = replyBody();
    expect(body.split('\n')[0]).toBe(REPLY_MARKER);
    expect(body).toContain('I do not know the command "&lt;b&gt;@\u200Dall&lt;/b&gt;".');
    expect(body).toContain(helpText(t.ctx.config));
    expect(result.outcome).toBe('refused');
  });

  it('a second run of the same command finds its reply and does nothing', async () => {
    const gitlab = expectLookup(`${RN}/issues/9/notes`, [
      noteJson(NOTE_ID, '@handbook-bot stage offer', ALICE),
      noteJson(2000, `${REPLY_MARKER}\nMoved this issue…`),
    ]);
    gitlab.get(`${RN}/members/all/${ALICE.id}`).reply(200, member(20));

    const result = await runCommand(t.ctx, onIssue('stage offer'));

    expect(recordedWrites()).toEqual([]);
    expect(result).toEqual({ command: 'stage', outcome: 'already-answered', queued: [] });
  });

  it('a reply marker written by someone else does not count', async () => {
    const gitlab = expectLookup(`${RN}/issues/9/notes`, [noteJson(2000, `${REPLY_MARKER}\nfake`, ALICE)]);
    gitlab.post(`${RN}/issues/9/notes`).reply(201, noteJson(2001, 'x'));

    await runCommand(t.ctx, onIssue('help'));

    expect(recordedWrites()).toHaveLength(1);
  });
});

describe('runCommand: recheck', () => {
  it('queues the checklist flow again with a re-run id, even at the same commit', async () => {
    const gitlab = expectLookup(`${HN}/merge_requests/5/notes`);
    gitlab.get(`${HN}/members/all/${ALICE.id}`).reply(200, member(20));
    gitlab.post(`${HN}/merge_requests/5/notes`).reply(201, noteJson(2000, 'x'));

    const result = await runCommand(t.ctx, onMergeRequest('recheck'));

    expect(t.enqueued).toHaveLength(1);
    const [spec] = t.enqueued;
    expect(spec?.name).toBe('mr-checklist');
    expect(spec?.data).toEqual({
      projectId: HID,
      mrIid: 5,
      headSha: 'abc123def4567890',
      targetBranch: 'main',
      trigger: 'recheck',
      step: 'list-pages',
    });
    expect(spec?.id).toMatch(/^mr-checklist\.4242\.5\.abc123def4567890\.rerun-[0-9a-z]+$/u);
    expect(result).toEqual({ command: 'recheck', outcome: 'answered', queued: [spec?.id] });
    expect(replyBody()).toBe(
      `${REPLY_MARKER}\nQueued a new review of this merge request at commit abc123de. The checklist note will be updated in place.`,
    );
  });

  it('two rechecks (two notes) queue two runs with different ids; the membership is read once', async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get('/api/v4/user').reply(200, BOT);
    gitlab.get(`${HN}/members/all/${ALICE.id}`).reply(200, member(30));
    gitlab.get(`${HN}/merge_requests/5/notes`).query(NOTES_QUERY).times(2).reply(200, []);
    gitlab.post(`${HN}/merge_requests/5/notes`).times(2).reply(201, noteJson(2000, 'x'));

    await runCommand(t.ctx, onMergeRequest('recheck'));
    await runCommand(t.ctx, onMergeRequest('recheck', { noteId: NOTE_ID + 1 }));

    expect(new Set(t.enqueued.map((spec) => spec.id)).size).toBe(2);
    expect(await t.redis.get(`${t.ctx.lockPrefix}member:${HID}:${ALICE.id}`)).toBe('30');
    const ttl = await t.redis.ttl(`${t.ctx.lockPrefix}member:${HID}:${ALICE.id}`);
    expect(ttl).toBeGreaterThan(590);
    expect(ttl).toBeLessThanOrEqual(600);
  });

  it('reads the merge request when the event did not carry its head', async () => {
    const gitlab = expectLookup(`${HN}/merge_requests/5/notes`);
    gitlab.get(`${HN}/members/all/${ALICE.id}`).reply(200, member(20));
    gitlab.get(`${HN}/merge_requests/5`).reply(200, {
      iid: 5,
      project_id: HID,
      sha: 'fedcba9876543210',
      target_branch: 'main',
      source_branch: 'x',
      state: 'opened',
      labels: [],
      web_url: '',
    });
    gitlab.post(`${HN}/merge_requests/5/notes`).reply(201, noteJson(2000, 'x'));

    await runCommand(t.ctx, onMergeRequest('recheck', { mergeRequest: undefined }));

    expect(t.enqueued[0]?.data).toMatchObject({ headSha: 'fedcba9876543210', targetBranch: 'main' });
  });

  it('on an issue: refused, with a reply', async () => {
    const gitlab = expectLookup(`${RN}/issues/9/notes`);
    gitlab.get(`${RN}/members/all/${ALICE.id}`).reply(200, member(20));
    gitlab.post(`${RN}/issues/9/notes`).reply(201, noteJson(2000, 'x'));

    const result = await runCommand(t.ctx, onIssue('recheck'));

    expect(t.enqueued).toEqual([]);
    expect(replyBody()).toBe(
      `${REPLY_MARKER}\nThe recheck command reviews the job-family pages of a merge request again; it does nothing on an issue.`,
    );
    expect(result.outcome).toBe('refused');
  });
});

describe('runCommand: stage', () => {
  it('a Reporter moves the issue: one update swaps the stage label, and a reply says so', async () => {
    const gitlab = expectLookup(`${RN}/issues/9/notes`);
    gitlab.get(`${RN}/members/all/${ALICE.id}`).reply(200, member(20));
    gitlab.get(`${RN}/issues/9`).reply(200, issueJson(9, 'Jane', [TM_LABEL, 'hiring-stage::screening']));
    gitlab.get(`${R}/labels`).query(LABEL_QUERY).reply(200, existingLabels);
    gitlab.put(`${RN}/issues/9`).reply(200, issueJson(9, 'Jane', [TM_LABEL, 'hiring-stage::offer']));
    // The bot's label edit raises a hook the router ignores: the interview kit follows here.
    gitlab
      .get(`${RN}/issues/9/notes`)
      .query(NOTES_QUERY)
      .reply(200, [noteJson(NOTE_ID, '@handbook-bot stage Offer', ALICE)]);
    gitlab.post(`${RN}/issues/9/notes`).times(2).reply(201, noteJson(2000, 'x'));

    const result = await runCommand(t.ctx, onIssue('stage Offer'));

    expect(recordedWrites()).toEqual([
      { method: 'PUT', path: `${RN}/issues/9`, body: { add_labels: 'hiring-stage::offer', remove_labels: 'hiring-stage::screening' } },
      {
        method: 'POST',
        path: `${RN}/issues/9/notes`,
        body: { body: expect.stringMatching(/^<!-- handbook-bot:interview-kit -->\n### Interview kit: offer\n/u) as string },
      },
      {
        method: 'POST',
        path: `${RN}/issues/9/notes`,
        body: { body: `${REPLY_MARKER}\nMoved this issue to the hiring stage **offer** (it was on **screening**).` },
      },
    ]);
    expect(result).toEqual({ command: 'stage', outcome: 'answered', queued: [] });
  });

  it('the stage it is on already: no update, a reply', async () => {
    const gitlab = expectLookup(`${RN}/issues/9/notes`);
    gitlab.get(`${RN}/members/all/${ALICE.id}`).reply(200, member(40));
    gitlab.get(`${RN}/issues/9`).reply(200, issueJson(9, 'Jane', [TM_LABEL, 'hiring-stage::offer']));
    // Its kit is there, written for an older version of the page: found by its marker and edited in place.
    const kit = '<!-- handbook-bot:interview-kit -->\n### Interview kit: offer';
    gitlab
      .get(`${RN}/issues/9/notes`)
      .query(NOTES_QUERY)
      .reply(200, [noteJson(1999, kit)]);
    gitlab.put(`${RN}/issues/9/notes/1999`).reply(200, noteJson(1999, 'x'));
    gitlab.post(`${RN}/issues/9/notes`).reply(201, noteJson(2000, 'x'));

    await runCommand(t.ctx, onIssue('stage offer'));

    expect(recordedWrites()).toEqual([
      { method: 'PUT', path: `${RN}/issues/9/notes/1999`, body: { body: expect.stringContaining('### Interview kit: offer') as string } },
      {
        method: 'POST',
        path: `${RN}/issues/9/notes`,
        body: { body: `${REPLY_MARKER}\nThis issue is already on the hiring stage **offer**.` },
      },
    ]);
  });

  it.each([
    ['a non-member', 404, { message: '404 Not found' }],
    ['a Guest', 200, member(10)],
  ])('%s is politely refused, and nothing moves', async (_who, status, answer) => {
    const gitlab = expectLookup(`${RN}/issues/9/notes`);
    gitlab.get(`${RN}/members/all/${ALICE.id}`).reply(status, answer);
    gitlab.post(`${RN}/issues/9/notes`).reply(201, noteJson(2000, 'x'));

    const result = await runCommand(t.ctx, onIssue('stage offer'));

    expect(recordedWrites()).toEqual([
      {
        method: 'POST',
        path: `${RN}/issues/9/notes`,
        body: {
          body: `${REPLY_MARKER}\nSorry, only members of this project with the Reporter role or higher can move recruiting issues between hiring stages. Please ask one of them, or the recruiting team.`,
        },
      },
    ]);
    expect(result.outcome).toBe('refused');
  });

  it('an unknown stage is refused with the list of valid ones', async () => {
    const gitlab = expectLookup(`${RN}/issues/9/notes`);
    gitlab.get(`${RN}/members/all/${ALICE.id}`).reply(200, member(30));
    gitlab
      .get(`${RN}/issues/9`)
      .reply(200, issueJson(9, 'Manager, Vulnerability Management Team: Jane', [TM_LABEL, 'hiring-stage::screening']));
    gitlab.post(`${RN}/issues/9/notes`).reply(201, noteJson(2000, 'x'));

    const result = await runCommand(t.ctx, onIssue('stage assessment'));

    expect(replyBody()).toBe(
      [
        REPLY_MARKER,
        'The hiring process of *Manager, Vulnerability Management Team* (Threat Management Roles) has no stage **assessment**.',
        'Valid stages: **screening**, **hiring-manager**, **team-interviews**, **executive**, **offer**.',
        '',
        'For example: `@handbook-bot stage screening`',
      ].join('\n'),
    );
    expect(recordedWrites()).toHaveLength(1);
    expect(result.outcome).toBe('refused');
  });

  it('on an issue of no job family: refused', async () => {
    const gitlab = expectLookup(`${RN}/issues/9/notes`);
    gitlab.get(`${RN}/members/all/${ALICE.id}`).reply(200, member(30));
    gitlab.get(`${RN}/issues/9`).reply(200, issueJson(9, 'Laptop', ['IT'], { description: null }));
    gitlab.post(`${RN}/issues/9/notes`).reply(201, noteJson(2000, 'x'));

    await runCommand(t.ctx, onIssue('stage offer'));

    expect(replyBody()).toContain('This issue belongs to no job family');
    expect(recordedWrites()).toHaveLength(1);
  });

  it('on a merge request: refused', async () => {
    const gitlab = expectLookup(`${HN}/merge_requests/5/notes`);
    gitlab.get(`${HN}/members/all/${ALICE.id}`).reply(200, member(20));
    gitlab.post(`${HN}/merge_requests/5/notes`).reply(201, noteJson(2000, 'x'));

    const result = await runCommand(t.ctx, onMergeRequest('stage offer'));

    expect(replyBody()).toBe(
      `${REPLY_MARKER}\nThe stage command moves recruiting issues between hiring stages; it does nothing on a merge request.`,
    );
    expect(result.outcome).toBe('refused');
  });
});

describe('runCommand: who may, and how often', () => {
  const RECHECK_REFUSAL = `Sorry, only members of this project with the Reporter role or higher can ask for a new review of a merge request. Please ask one of them, or push a new commit.`;

  it('the limits, as documented', () => {
    expect([MEMBER_TTL_SECONDS, COMMANDS_PER_WINDOW, COMMAND_WINDOW_SECONDS, REFUSAL_QUIET_SECONDS]).toEqual([600, 10, 300, 3600]);
  });

  it("a non-member's recheck is refused once; the next ones within the hour cost no GitLab call and get no answer", async () => {
    const gitlab = expectLookup(`${HN}/merge_requests/5/notes`);
    gitlab.get(`${HN}/members/all/${ALICE.id}`).reply(404, { message: '404 Not found' });
    gitlab.post(`${HN}/merge_requests/5/notes`).reply(201, noteJson(2000, 'x'));

    const first = await runCommand(t.ctx, onMergeRequest('recheck'));
    const calls = recordedRequests().length;
    const second = await runCommand(t.ctx, onMergeRequest('recheck', { noteId: NOTE_ID + 1 }));
    const third = await runCommand(t.ctx, onMergeRequest('recheck please', { noteId: NOTE_ID + 2 }));

    expect(recordedWrites()).toEqual([
      { method: 'POST', path: `${HN}/merge_requests/5/notes`, body: { body: `${REPLY_MARKER}\n${RECHECK_REFUSAL}` } },
    ]);
    expect(recordedRequests()).toHaveLength(calls);
    expect(calls).toBe(4); // membership, who the bot is, the notes, the reply
    expect([first.outcome, second.outcome, third.outcome]).toEqual(['refused', 'refused-quietly', 'refused-quietly']);
    expect(t.enqueued).toEqual([]);
    const ttl = await t.redis.ttl(`${t.ctx.lockPrefix}command-refused:not-allowed:${ALICE.id}`);
    expect(ttl).toBeGreaterThan(3590);
    expect(ttl).toBeLessThanOrEqual(3600);
  });

  it('a retry of the refused command itself (its reply not yet saved) still answers it', async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${HN}/members/all/${ALICE.id}`).reply(404, { message: '404 Not found' });
    gitlab.get('/api/v4/user').reply(200, BOT);
    gitlab.get(`${HN}/merge_requests/5/notes`).query(NOTES_QUERY).times(2).reply(200, []);
    gitlab.post(`${HN}/merge_requests/5/notes`).reply(500, { message: '500 Internal Server Error' });
    gitlab.post(`${HN}/merge_requests/5/notes`).reply(201, noteJson(2000, 'x'));
    // The client's own retries are for reads; a POST that failed is left to the job's retry.
    await expect(runCommand(t.ctx, onMergeRequest('recheck'))).rejects.toThrow();

    const retried = await runCommand(t.ctx, onMergeRequest('recheck'));

    expect(retried.outcome).toBe('refused');
    expect(recordedWrites().map((write) => `${write.method} ${write.path}`)).toEqual([
      `POST ${HN}/merge_requests/5/notes`,
      `POST ${HN}/merge_requests/5/notes`,
    ]);
  });

  it("a Reporter's stage command after being refused as a Guest an hour ago: the cached membership expired, the new role counts", async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${RN}/members/all/${ALICE.id}`).reply(200, member(20));
    gitlab.get('/api/v4/user').reply(200, BOT);
    gitlab.get(`${RN}/issues/9/notes`).query(NOTES_QUERY).reply(200, []);
    gitlab.get(`${RN}/issues/9`).reply(200, issueJson(9, 'Laptop', ['IT'], { description: null }));
    gitlab.post(`${RN}/issues/9/notes`).reply(201, noteJson(2000, 'x'));
    // What an hour-old refusal leaves behind: nothing (both keys had expired).
    expect(
      await t.redis.exists(`${t.ctx.lockPrefix}member:${RID}:${ALICE.id}`, `${t.ctx.lockPrefix}command-refused:not-allowed:${ALICE.id}`),
    ).toBe(0);

    const result = await runCommand(t.ctx, onIssue('stage offer'));

    expect(result.outcome).toBe('refused');
    expect(replyBody()).toContain('This issue belongs to no job family');
  });

  it('commands per user are rate-limited: 10 within 5 minutes run, the 11th is told to wait, the 12th gets no answer', async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get('/api/v4/user').reply(200, BOT);
    gitlab.get(`${RN}/issues/9/notes`).query(NOTES_QUERY).times(11).reply(200, []);
    gitlab.post(`${RN}/issues/9/notes`).times(11).reply(201, noteJson(2000, 'x'));

    const outcomes: string[] = [];
    for (let n = 0; n < 12; n += 1) outcomes.push((await runCommand(t.ctx, onIssue('help', { noteId: 5000 + n }))).outcome);

    expect(outcomes).toEqual([...Array<string>(10).fill('answered'), 'refused', 'refused-quietly']);
    const last = (recordedWrites().at(-1)?.body as { body: string }).body;
    expect(last).toBe(
      '<!-- handbook-bot:command-reply 5010 -->\nYou have sent more than 10 commands in 5 minutes, so I am not running more of them for now. Please try again in about 5 minutes.',
    );
    // Another user is not affected.
    gitlab.get(`${RN}/issues/9/notes`).query(NOTES_QUERY).reply(200, []);
    gitlab.post(`${RN}/issues/9/notes`).reply(201, noteJson(2001, 'x'));
    expect((await runCommand(t.ctx, onIssue('help', { noteId: 6000, authorId: 56, authorUsername: 'bob' }))).outcome).toBe('answered');
  });
});
