import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRouter, type RouteResult } from '../../src/webhook/routes.js';
import { testSettings } from '../support/settings.js';

/**
 * A person ticks or unticks a box of the bot's checklist note: GitLab sends a Note Hook with
 * `action: update`, and the merge gate is evaluated again (one `mr-gate` job), without the note being
 * rewritten. Built on GitLab's own example payload (test/fixtures/gitlab-webhooks).
 */

const FIXTURE = new URL('../fixtures/gitlab-webhooks/note_merge_request.json', import.meta.url);
const CHECKLIST = [
  '<!-- handbook-bot:review-checklist -->',
  '### Job-family review checklist',
  '- [x] **Grade** of *Director, Security*: 10 → 11 — compensation review: @total-rewards-lead · *needed to merge* <!-- handbook-bot:item 0123456789ab -->',
  '<!-- handbook-bot:review-state commit=562e173be03b8ff2efb05345d12df18815438a4b blocking=0123456789ab errors=0 unreviewed=0 labels= -->',
].join('\n');

interface NotePayload {
  user: { id: number; username: string };
  object_attributes: { note: string; action?: string; updated_at: string; system: boolean };
}

function edit(text = CHECKLIST, by = { id: 11, username: 'alice' }): NotePayload {
  const payload = JSON.parse(readFileSync(FIXTURE, 'utf8')) as NotePayload;
  payload.object_attributes.note = text;
  payload.object_attributes.action = 'update';
  payload.object_attributes.updated_at = '2026-11-20 12:00:05 UTC';
  payload.user = { ...payload.user, ...by };
  return payload;
}

const route = createRouter(testSettings({ config: { handbook: { project: 'gitlab-org/gitlab-test' } } }).config, {
  bot: { username: 'handbook-bot', userId: 5 },
});

function jobs(result: RouteResult) {
  if (result.kind !== 'jobs') throw new Error(`expected jobs, got ${JSON.stringify(result)}`);
  return result.jobs;
}

describe('Note Hook update of the checklist note', () => {
  it('a tick by a person queues one mr-gate job for that merge request', () => {
    const [job, ...rest] = jobs(route('Note Hook', edit()));
    expect(rest).toEqual([]);
    expect(job?.name).toBe('mr-gate');
    expect(job?.data).toEqual({
      projectId: 5,
      mrIid: 1,
      noteId: 1244,
      noteUrl: 'http://example.com/gitlab-org/gitlab-test/merge_requests/1#note_1244',
      sourceBranch: 'master',
      trigger: 'webhook',
    });
    expect(job?.id).toMatch(/^mr-gate\.5\.1\.1244\.[0-9a-f]{16}$/u);
  });

  it('the same edit delivered twice has one id; another edit (an untick) has another', () => {
    const first = jobs(route('Note Hook', edit()))[0]?.id;
    expect(jobs(route('Confidential Note Hook', edit()))[0]?.id).toBe(first);
    const unticked = jobs(route('Note Hook', edit(CHECKLIST.replace('- [x]', '- [ ]'))))[0]?.id;
    expect(unticked).not.toBe(first);
  });

  it("the bot's own edit (a push rewrote the note), a system note and a note without the marker queue nothing", () => {
    expect(route('Note Hook', edit(CHECKLIST, { id: 5, username: 'handbook-bot' }))).toEqual({
      kind: 'ignored',
      reason: 'event caused by the bot itself',
      project: 'gitlab-org/gitlab-test',
    });
    const system = edit();
    system.object_attributes.system = true;
    expect(route('Note Hook', system)).toMatchObject({ kind: 'ignored', reason: 'system note' });
    expect(route('Note Hook', edit('Looks good to me'))).toMatchObject({
      kind: 'ignored',
      reason: 'note does not start with @handbook-bot',
    });
  });
});
