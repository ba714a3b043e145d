import { describe, expect, it } from 'vitest';
import { mrLockKey } from '../../../src/actions/review/checklist.js';
import { refreshMergeGate } from '../../../src/actions/review/merge-gate.js';
import type { MrGateData } from '../../../src/queue/jobs.js';
import { GITLAB_URL, P, makeClient } from '../../gitlab/fixture.js';
import { useTestRedis } from '../../support/redis.js';
import { recordedRequests, recordedWrites, strictNock } from '../../support/strict-nock.js';
import { ALICE, BOT, actionContext, noteJson } from '../support/okr-context.js';

/** The mr-gate job against a strict nock GitLab: every call it makes, written out. */

const HEAD = '9c1d3e5f7a9b1c3d5e7f9a1b3c5d7e9f1a3b5c7d';
const MR = `${P}/merge_requests/12`;
const NOTES = { per_page: '100', sort: 'asc', order_by: 'created_at' };
const NOTE_URL = 'https://gitlab.example.com/acme/handbook/-/merge_requests/12#note_71';
const GATE = 'handbook-bot/review';
const checklist = (box: ' ' | 'x') =>
  [
    '<!-- handbook-bot:review-checklist -->',
    '### Job-family review checklist',
    `- [${box}] **Grade** of *Director, Security*: 10 → 11 — compensation review: @total-rewards-lead · *needed to merge* <!-- handbook-bot:item 0123456789ab -->`,
    `- [ ] **Responsibilities** of *Director, Security*: 1 added <!-- handbook-bot:item 0123456789cd -->`,
    `<!-- handbook-bot:review-state commit=${HEAD} blocking=0123456789ab errors=0 unreviewed=0 labels=job-family::grade-change -->`,
  ].join('\n');

const { redis, prefix } = useTestRedis('merge-gate');
const data: MrGateData = {
  projectId: 'acme/handbook',
  mrIid: 12,
  noteId: 71,
  noteUrl: NOTE_URL,
  sourceBranch: 'director-security-grade',
  trigger: 'webhook',
};

function setup() {
  const { client } = makeClient();
  return actionContext({ client, redis, prefix }).ctx;
}

describe('mr-gate: a tick in the checklist note', () => {
  it('a ticked blocking item turns the status to success: notes and status read, one status set, the note untouched', async () => {
    const ctx = setup();
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get('/api/v4/user').reply(200, BOT);
    gitlab
      .get(`${MR}/notes`)
      .query(NOTES)
      .reply(200, [noteJson(60, 'Thanks!', ALICE), noteJson(71, checklist('x'))]);
    gitlab
      .get(`${P}/repository/commits/${HEAD}/statuses`)
      .query({ name: GATE })
      .reply(200, [
        {
          id: 3,
          name: GATE,
          status: 'pending',
          description: 'Blocking checklist items are not ticked yet',
          target_url: NOTE_URL,
          sha: HEAD,
        },
      ]);
    gitlab
      .post(`${P}/statuses/${HEAD}`, {
        state: 'success',
        name: GATE,
        description: 'Every blocking checklist item is ticked',
        target_url: NOTE_URL,
        ref: 'director-security-grade',
      })
      .reply(201, {
        id: 3,
        name: GATE,
        status: 'success',
        description: 'Every blocking checklist item is ticked',
        target_url: NOTE_URL,
        sha: HEAD,
      });

    expect(await refreshMergeGate(ctx, data, mrLockKey(ctx, 'acme/handbook', 12))).toEqual({ outcome: 'set', state: 'success' });
    expect(recordedWrites().map((w) => `${w.method} ${w.path}`)).toEqual([`POST ${P}/statuses/${HEAD}`]);
  });

  it('an unticked non-blocking item changes nothing: the status stays pending and nothing is written', async () => {
    const ctx = setup();
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get('/api/v4/user').reply(200, BOT);
    gitlab
      .get(`${MR}/notes`)
      .query(NOTES)
      .reply(200, [noteJson(71, checklist(' '))]);
    gitlab
      .get(`${P}/repository/commits/${HEAD}/statuses`)
      .query({ name: GATE })
      .reply(200, [
        {
          id: 3,
          name: GATE,
          status: 'pending',
          description: 'Blocking checklist items are not ticked yet',
          target_url: NOTE_URL,
          sha: HEAD,
        },
      ]);
    expect(await refreshMergeGate(ctx, data, mrLockKey(ctx, 'acme/handbook', 12))).toEqual({ outcome: 'unchanged', state: 'pending' });
    expect(recordedWrites()).toEqual([]);
    expect(recordedRequests()).toHaveLength(3);
  });

  it('a checklist without a review state (written by an older bot) is left alone', async () => {
    const ctx = setup();
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get('/api/v4/user').reply(200, BOT);
    gitlab
      .get(`${MR}/notes`)
      .query(NOTES)
      .reply(200, [noteJson(71, '<!-- handbook-bot:review-checklist -->\n### Job-family review checklist')]);
    expect(await refreshMergeGate(ctx, data, mrLockKey(ctx, 'acme/handbook', 12))).toEqual({ outcome: 'no-checklist', state: null });
    expect(recordedWrites()).toEqual([]);
  });
});
