import { describe, expect, it } from 'vitest';
import { recordedWrites, strictNock } from '../support/strict-nock.js';
import { GITLAB_URL, P, PROJECT, makeClient } from './fixture.js';

/** The client calls the merge-request review added: reviewers and labels in one PUT, commit statuses. */

const SHA = '9c1d3e5f7a9b1c3d5e7f9a1b3c5d7e9f1a3b5c7d';
const MR = {
  iid: 9,
  project_id: 7,
  sha: SHA,
  target_branch: 'main',
  source_branch: 'grade-change',
  state: 'opened',
  labels: ['job-family::grade-change'],
  web_url: 'https://gitlab.example.com/acme/handbook/-/merge_requests/9',
  reviewers: [
    { id: 11, username: 'alice', name: 'Alice' },
    { id: 21, username: 'total-rewards-lead', name: 'TR' },
  ],
  diff_refs: { base_sha: 'b'.repeat(40), head_sha: SHA, start_sha: 'c'.repeat(40) },
};

describe('GitLab client: merge-request review endpoints (strict nock)', () => {
  it('editMergeRequest sends labels and reviewer_ids in one PUT; the answer keeps reviewers and diff_refs', async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab
      .put(`${P}/merge_requests/9`, {
        add_labels: 'job-family::grade-change',
        remove_labels: 'job-family::hiring-process',
        reviewer_ids: [11, 21],
      })
      .reply(200, MR);
    const { client } = makeClient();
    const mr = await client.editMergeRequest(PROJECT, 9, {
      add_labels: ['job-family::grade-change'],
      remove_labels: ['job-family::hiring-process'],
      reviewer_ids: [11, 21],
    });
    expect(mr.reviewers).toEqual([
      { id: 11, username: 'alice' },
      { id: 21, username: 'total-rewards-lead' },
    ]);
    expect(mr.diff_refs).toEqual({ base_sha: 'b'.repeat(40), head_sha: SHA, start_sha: 'c'.repeat(40) });
  });

  it('listCommitStatuses filters by name; setCommitStatus posts state, name, description, target_url and ref', async () => {
    const gitlab = strictNock(GITLAB_URL);
    gitlab
      .get(`${P}/repository/commits/${SHA}/statuses`)
      .query({ name: 'handbook-bot/review' })
      .reply(200, [
        {
          id: 3,
          name: 'handbook-bot/review',
          status: 'pending',
          description: 'Blocking checklist items are not ticked yet',
          target_url: null,
          sha: SHA,
          ref: 'grade-change',
        },
      ]);
    gitlab.post(`${P}/statuses/${SHA}`).reply(201, {
      id: 4,
      name: 'handbook-bot/review',
      status: 'success',
      description: 'Every blocking checklist item is ticked',
      target_url: `${MR.web_url}#note_71`,
      sha: SHA,
    });
    const { client } = makeClient();
    expect(await client.listCommitStatuses(PROJECT, SHA, 'handbook-bot/review')).toEqual([
      {
        id: 3,
        name: 'handbook-bot/review',
        status: 'pending',
        description: 'Blocking checklist items are not ticked yet',
        target_url: null,
      },
    ]);
    await client.setCommitStatus(PROJECT, SHA, {
      name: 'handbook-bot/review',
      state: 'success',
      description: 'Every blocking checklist item is ticked',
      target_url: `${MR.web_url}#note_71`,
      ref: 'grade-change',
    });
    expect(recordedWrites()).toEqual([
      {
        method: 'POST',
        path: `${P}/statuses/${SHA}`,
        body: {
          state: 'success',
          name: 'handbook-bot/review',
          description: 'Every blocking checklist item is ticked',
          target_url: `${MR.web_url}#note_71`,
          ref: 'grade-change',
        },
      },
    ]);
  });
});
