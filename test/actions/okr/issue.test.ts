import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { reconcileOkrIssue, type OkrIssueInput } from '../../../src/actions/okr/issue.js';
import { planOkrIssue } from '../../../src/actions/okr/issue-plan.js';
import { PermanentGitLabError, RetryableGitLabError } from '../../../src/gitlab/errors.js';
import { parsePage } from '../../../src/jobfamily/parse.js';
import { GITLAB_URL, P, makeClient } from '../../gitlab/fixture.js';
import { seed } from '../../support/pages.js';
import { useTestRedis } from '../../support/redis.js';
import { recordedRequests, recordedWrites, strictNock } from '../../support/strict-nock.js';
import { ALICE, BOT, actionContext, issueJson, labelJson, noteJson } from '../support/okr-context.js';

/**
 * reconcileOkrIssue against a nock GitLab (strict: every mock used, nothing unmocked), with real Redis
 * for the page lock. Each "run" is what a BullMQ attempt would do; GitLab's state between runs is what
 * the previous run wrote (taken from the recorded request bodies).
 */

const PATH = 'content/job-families/security/security-leadership.md';
const SOURCE = seed('security-leadership.md').source;
const C1 = '3f9a1c0e5b7d2468ace13579bdf02468ace13579';
const T1 = '2026-11-02T16:20:00Z';
const C2 = '8b2e4d6f8a0c2e4f6a8c0e2f4a6c8e0a2c4e6f8a';
const T2 = '2026-11-18T09:45:00Z';
const TITLE = 'OKRs: Security Leadership — FY27-Q4';
const LABELS = ['OKR', 'job-family::security-leadership'];
const LIST = { labels: 'OKR,job-family::security-leadership', per_page: '100' };
const SEARCH = { search: 'handbook-bot:okr security-leadership', per_page: '100' };
const LABEL_LIST = { per_page: '100', include_ancestor_groups: 'true' };
const NOTES = { per_page: '100', sort: 'asc', order_by: 'created_at' };
const json = { 'content-type': 'application/json' };
const FAMILY_LABEL = {
  name: 'job-family::security-leadership',
  color: '#a8d695',
  description: 'Issues about the job-family page "security-leadership": its OKR tracking issue and recruiting issues (handbook-bot)',
};

const withoutCostOfAbuse = SOURCE.replace(/^- \[Cost of Abuse\].*\n/mu, '');

const { redis, prefix } = useTestRedis('okr');

function setup() {
  const test = makeClient();
  return { ...test, ...actionContext({ client: test.client, redis, prefix }) };
}

/** `_committedAt` is kept for readability of the runs below; the reconcile never looks at times. */
function input(source: string | null, commit: string, _committedAt: string, over: Partial<OkrIssueInput> = {}): OkrIssueInput {
  return {
    page: source === null ? null : parsePage(source, PATH),
    path: PATH,
    commit,
    handbookProject: 4242,
    trigger: 'webhook',
    ...over,
  };
}

/** The block planned for a version (as the test expects it, from the same pure planner). */
function blockOf(source: string, commit: string, _committedAt: string): string {
  return planOkrIssue(parsePage(source, PATH), {
    now: new Date('2026-11-20T12:00:00Z'),
    fiscalYearStartMonth: 2,
    labels: ['OKR'],
    pageUrl: `${GITLAB_URL}/acme/handbook/-/blob/${commit}/${PATH}`,
    commit,
  }).block;
}

function bodyOf(request: { body: unknown } | undefined): Record<string, unknown> {
  expect(request?.body).toBeTypeOf('object');
  return request?.body as Record<string, unknown>;
}

/** A POST /issues answer built from what was sent, as GitLab would. */
function createdIssue(iid: number) {
  return (_uri: string, body: unknown) => {
    const sent = (typeof body === 'string' ? JSON.parse(body) : body) as { title: string; description: string; labels: string };
    return issueJson(iid, { title: sent.title, description: sent.description, labels: sent.labels.split(',') });
  };
}

describe('OKR tracking issue: create once, then leave alone', () => {
  it('first run creates the labels and the issue; a second run with the same input writes nothing', async () => {
    const { client, ctx } = setup();
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${P}/issues`).query(LIST).reply(200, []);
    gitlab.get(`${P}/issues`).query(SEARCH).reply(200, []);
    gitlab
      .get(`${P}/labels`)
      .query(LABEL_LIST)
      .reply(200, [labelJson(1, 'OKR', '#428bca', 'OKRs')]);
    gitlab.post(`${P}/labels`, FAMILY_LABEL).reply(201, labelJson(2, FAMILY_LABEL.name, FAMILY_LABEL.color, FAMILY_LABEL.description));
    gitlab.get('/api/v4/users').query({ username: 'alice' }).reply(200, [ALICE]);
    gitlab.post(`${P}/issues`).reply(201, createdIssue(7));

    const first = await reconcileOkrIssue(ctx, input(SOURCE, C1, T1));
    expect(first).toEqual({ outcome: 'created', project: 'acme/handbook', iid: null, operations: ['ensure-labels', 'create-issue'] });

    const writes = recordedWrites();
    expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual([`POST ${P}/labels`, `POST ${P}/issues`]);
    const created = bodyOf(writes[1]);
    expect(created).toEqual({
      title: TITLE,
      description: blockOf(SOURCE, C1, T1),
      labels: 'OKR,job-family::security-leadership',
      assignee_ids: [11],
      due_date: '2027-01-31',
    });
    const description = String(created.description);
    expect(description.split('\n').slice(0, 3)).toEqual([
      `<!-- handbook-bot:begin commit=${C1} title=${createHash('sha256').update(TITLE).digest('hex').slice(0, 12)} -->`,
      '<!-- handbook-bot:okr security-leadership FY27-Q4 -->',
      `**Job family:** [Security Leadership](${GITLAB_URL}/acme/handbook/-/blob/${C1}/${PATH}) at commit \`3f9a1c0e\` · ${PATH}`,
    ]);
    expect(description.split('\n').filter((line) => line.startsWith('- [ ] '))).toHaveLength(5);

    // Second run: GitLab now has the issue (found by the one labelled list call), nothing to write.
    const reads = client.stats().reads;
    strictNock(GITLAB_URL)
      .get(`${P}/issues`)
      .query(LIST)
      .reply(200, [issueJson(7, { title: TITLE, description, labels: LABELS })]);
    const second = await reconcileOkrIssue(ctx, input(SOURCE, C1, T1));
    expect(second).toEqual({ outcome: 'unchanged', project: 'acme/handbook', iid: 7, operations: [] });
    expect(recordedWrites()).toHaveLength(2);
    expect(client.stats().reads - reads).toBe(1);
  });

  it('two workers syncing the same page at once create one issue (the page lock serializes them)', async () => {
    const a = setup();
    const b = setup();
    const created: Record<string, unknown>[] = [];
    const gitlab = strictNock(GITLAB_URL);
    // A stateful list: what GitLab has at the moment each request arrives.
    gitlab
      .get(`${P}/issues`)
      .query(LIST)
      .times(2)
      .reply(200, () => created);
    gitlab.get(`${P}/issues`).query(SEARCH).reply(200, []);
    gitlab
      .get(`${P}/labels`)
      .query(LABEL_LIST)
      .reply(200, [labelJson(1, 'OKR'), labelJson(2, FAMILY_LABEL.name, FAMILY_LABEL.color)]);
    gitlab.get('/api/v4/users').query({ username: 'alice' }).reply(200, [ALICE]);
    gitlab.post(`${P}/issues`).reply(201, (uri, body) => {
      const issue = createdIssue(7)(uri, body);
      created.push(issue);
      return issue;
    });
    const outcomes = await Promise.all([reconcileOkrIssue(a.ctx, input(SOURCE, C1, T1)), reconcileOkrIssue(b.ctx, input(SOURCE, C1, T1))]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['created', 'unchanged']);
    expect(recordedWrites().filter((w) => w.path === `${P}/issues`)).toHaveLength(1);
  });

  it('a changed page updates the block in place: people text and ticked boxes of surviving items stay', async () => {
    const { ctx } = setup();
    const human =
      `Targets agreed in the November staff meeting.\n\n${blockOf(SOURCE, C1, T1)}\n\nFollow-up: dashboards are in the metrics repo.`
        .replace('- [ ] [Security Control Health]', '- [x] [Security Control Health]')
        .replace('- [ ] [Cost of Abuse]', '- [x] [Cost of Abuse]');
    strictNock(GITLAB_URL)
      .get(`${P}/issues`)
      .query(LIST)
      .reply(200, [issueJson(7, { title: TITLE, description: human, labels: LABELS })]);
    strictNock(GITLAB_URL)
      .put(`${P}/issues/7`)
      .reply(200, (_uri, body) =>
        issueJson(7, { title: TITLE, description: (body as { description: string }).description, labels: LABELS }),
      );

    const result = await reconcileOkrIssue(ctx, input(withoutCostOfAbuse, C2, T2));
    expect(result).toMatchObject({ outcome: 'updated', iid: 7, operations: ['edit-issue'] });

    const [put] = recordedWrites();
    expect(put?.method).toBe('PUT');
    const sent = bodyOf(put);
    expect(Object.keys(sent)).toEqual(['description']);
    const expected =
      `Targets agreed in the November staff meeting.\n\n${blockOf(withoutCostOfAbuse, C2, T2)}\n\nFollow-up: dashboards are in the metrics repo.`.replace(
        '- [ ] [Security Control Health]',
        '- [x] [Security Control Health]',
      );
    expect(sent.description).toBe(expected);
    expect(sent.description).not.toContain('Cost of Abuse');

    // Once more with what GitLab now holds: nothing.
    strictNock(GITLAB_URL)
      .get(`${P}/issues`)
      .query(LIST)
      .reply(200, [issueJson(7, { title: TITLE, description: expected, labels: LABELS })]);
    expect((await reconcileOkrIssue(ctx, input(withoutCostOfAbuse, C2, T2))).operations).toEqual([]);
    expect(recordedWrites()).toHaveLength(1);
  });

  it('an older version of the page is applied like any other (a revert: no commit time decides)', async () => {
    const { ctx } = setup();
    const newer = issueJson(7, { title: TITLE, description: blockOf(withoutCostOfAbuse, C2, T2), labels: LABELS });
    strictNock(GITLAB_URL).get(`${P}/issues`).query(LIST).reply(200, [newer]);
    strictNock(GITLAB_URL)
      .put(`${P}/issues/7`)
      .reply(200, (_uri, body) =>
        issueJson(7, { title: TITLE, description: (body as { description: string }).description, labels: LABELS }),
      );
    expect((await reconcileOkrIssue(ctx, input(SOURCE, C1, T1))).outcome).toBe('updated');
    expect(bodyOf(recordedWrites()[0]).description).toBe(blockOf(SOURCE, C1, T1));
  });
});

describe('OKR tracking issue: GitLab failures', () => {
  it('429 with Retry-After is retried after that delay', async () => {
    const { ctx, sleeps } = setup();
    const gitlab = strictNock(GITLAB_URL);
    gitlab
      .get(`${P}/issues`)
      .query(LIST)
      .reply(429, { message: '429 Too Many Requests' }, { ...json, 'retry-after': '3' });
    gitlab
      .get(`${P}/issues`)
      .query(LIST)
      .reply(200, [issueJson(7, { title: TITLE, description: blockOf(SOURCE, C1, T1), labels: LABELS })]);
    expect((await reconcileOkrIssue(ctx, input(SOURCE, C1, T1))).outcome).toBe('unchanged');
    expect(sleeps).toEqual([3000]);
    expect(recordedWrites()).toEqual([]);
  });

  it('POST issue answered 500 after GitLab saved it: the retry finds it by marker and does not create again', async () => {
    const { ctx } = setup();
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${P}/issues`).query(LIST).reply(200, []);
    gitlab.get(`${P}/issues`).query(SEARCH).reply(200, []);
    gitlab
      .get(`${P}/labels`)
      .query(LABEL_LIST)
      .reply(200, [labelJson(1, 'OKR'), labelJson(2, FAMILY_LABEL.name, FAMILY_LABEL.color)]);
    gitlab.get('/api/v4/users').query({ username: 'alice' }).reply(200, [ALICE]);
    gitlab.post(`${P}/issues`).reply(500, { message: '500 Internal Server Error' }, json);

    const error = await reconcileOkrIssue(ctx, input(SOURCE, C1, T1)).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(RetryableGitLabError);
    expect(recordedWrites().filter((w) => w.method === 'POST')).toHaveLength(1); // never re-sent in-process

    // BullMQ's next attempt: GitLab had saved the issue.
    const saved = issueJson(7, { title: TITLE, description: blockOf(SOURCE, C1, T1), labels: LABELS });
    strictNock(GITLAB_URL).get(`${P}/issues`).query(LIST).reply(200, [saved]);
    expect((await reconcileOkrIssue(ctx, input(SOURCE, C1, T1))).outcome).toBe('unchanged');
    expect(recordedWrites().filter((w) => w.path === `${P}/issues`)).toHaveLength(1);
  });

  it('POST issue answered 500 without saving: the retry creates it, once', async () => {
    const { ctx } = setup();
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${P}/issues`).query(LIST).times(2).reply(200, []);
    gitlab.get(`${P}/issues`).query(SEARCH).times(2).reply(200, []);
    gitlab
      .get(`${P}/labels`)
      .query(LABEL_LIST)
      .times(2)
      .reply(200, [labelJson(1, 'OKR'), labelJson(2, FAMILY_LABEL.name, FAMILY_LABEL.color)]);
    gitlab.get('/api/v4/users').query({ username: 'alice' }).times(2).reply(200, [ALICE]);
    gitlab.post(`${P}/issues`).reply(502, 'Bad Gateway');
    gitlab.post(`${P}/issues`).reply(201, createdIssue(7));

    await expect(reconcileOkrIssue(ctx, input(SOURCE, C1, T1))).rejects.toBeInstanceOf(RetryableGitLabError);
    expect((await reconcileOkrIssue(ctx, input(SOURCE, C1, T1))).outcome).toBe('created');
    const posts = recordedWrites().filter((w) => w.path === `${P}/issues`);
    expect(posts).toHaveLength(2);
    expect(bodyOf(posts[0])).toEqual(bodyOf(posts[1]));
  });

  it('403 fails for good with a message naming the project and the role needed', async () => {
    const { ctx } = setup();
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${P}/issues`).query(LIST).reply(403, { message: '403 Forbidden' }, json);
    const error = await reconcileOkrIssue(ctx, input(SOURCE, C1, T1)).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(PermanentGitLabError);
    expect((error as PermanentGitLabError).message).toBe(
      'GitLab refused GET /projects/acme%2Fhandbook/issues (403): the token\'s user lacks permission on acme/handbook; it needs at least Reporter (to read confidential issues and members) on acme/handbook, and the token needs the api scope (GitLab said: "403 Forbidden")',
    );
    expect(recordedWrites()).toEqual([]);
  });
});

describe('OKR tracking issue: page removed', () => {
  const C3 = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';
  const T3 = '2026-11-19T08:00:00Z';

  it('comments and closes, once', async () => {
    const { ctx } = setup();
    const open = issueJson(7, { title: TITLE, description: `Notes\n\n${blockOf(SOURCE, C1, T1)}`, labels: LABELS });
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${P}/issues`).query(LIST).reply(200, [open]);
    gitlab.get('/api/v4/user').reply(200, BOT);
    gitlab
      .get(`${P}/issues/7/notes`)
      .query(NOTES)
      .reply(200, [noteJson(40, 'Looks good', ALICE, 'Issue')]);
    gitlab.post(`${P}/issues/7/notes`).reply(201, (_uri, body) => noteJson(41, (body as { body: string }).body, BOT, 'Issue'));
    gitlab
      .put(`${P}/issues/7`)
      .reply(200, (_uri, body) =>
        issueJson(7, { title: TITLE, description: (body as { description: string }).description, labels: LABELS, state: 'closed' }),
      );

    const result = await reconcileOkrIssue(ctx, input(null, C3, T3));
    expect(result).toEqual({ outcome: 'closed', project: 'acme/handbook', iid: 7, operations: ['comment-once', 'edit-issue'] });
    const [note, edit] = recordedWrites();
    expect(note).toEqual({
      method: 'POST',
      path: `${P}/issues/7/notes`,
      body: {
        body: `<!-- handbook-bot:okr-removed security-leadership ${C3} -->\nThe job-family page ${PATH} was removed from the handbook at commit \`c0ffee00\`, so this OKR tracking issue is closed. If the page comes back this quarter, handbook-bot reopens the issue and updates it.`,
      },
    });
    const sent = bodyOf(edit);
    expect(sent.state_event).toBe('close');
    expect(String(sent.description)).toContain(`<!-- handbook-bot:begin commit=${C3} removed=true -->`);
    expect(String(sent.description).startsWith('Notes\n\n')).toBe(true);

    // The same job again (a redelivery, a retry after success): nothing.
    strictNock(GITLAB_URL)
      .get(`${P}/issues`)
      .query(LIST)
      .reply(200, [issueJson(7, { title: TITLE, description: String(sent.description), labels: LABELS, state: 'closed' })]);
    expect((await reconcileOkrIssue(ctx, input(null, C3, T3))).operations).toEqual([]);
    expect(recordedWrites()).toHaveLength(2);
  });

  it('a retry after the comment was posted but the close failed closes without a second comment', async () => {
    const { ctx } = setup();
    const open = issueJson(7, { title: TITLE, description: blockOf(SOURCE, C1, T1), labels: LABELS });
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${P}/issues`).query(LIST).times(2).reply(200, [open]);
    gitlab.get('/api/v4/user').reply(200, BOT);
    gitlab.get(`${P}/issues/7/notes`).query(NOTES).reply(200, []);
    gitlab.post(`${P}/issues/7/notes`).reply(201, (_uri, body) => noteJson(41, (body as { body: string }).body, BOT, 'Issue'));
    gitlab.put(`${P}/issues/7`).times(3).reply(503, { message: '503 Service Unavailable' }, json);

    await expect(reconcileOkrIssue(ctx, input(null, C3, T3))).rejects.toBeInstanceOf(RetryableGitLabError);
    const posted = recordedWrites().find((w) => w.method === 'POST');
    gitlab
      .get(`${P}/issues/7/notes`)
      .query(NOTES)
      .reply(200, [noteJson(41, (posted?.body as { body: string }).body, BOT, 'Issue')]);
    gitlab.put(`${P}/issues/7`).reply(200, issueJson(7, { title: TITLE, description: 'x', labels: LABELS, state: 'closed' }));
    expect((await reconcileOkrIssue(ctx, input(null, C3, T3))).outcome).toBe('closed');
    expect(recordedWrites().filter((w) => w.method === 'POST')).toHaveLength(1);
    expect(recordedRequests().filter((r) => r.method === 'PUT')).toHaveLength(4);
  });
});

describe('OKR tracking issue: hostile page text', () => {
  const big = `Own the OKRs: ${'x'.repeat(2 * 1024 * 1024)}`;
  const hostile = [
    '---',
    'title: "Hostile @all <script>alert(1)</script>"',
    'description: "x"',
    '---',
    '',
    '## Responsibilities',
    '',
    '- Drive quarterly OKRs with the team',
    '/merge',
    '- @all drive the OKRs now',
    "- <script>alert('okr')</script> own the quarterly OKRs",
    `- ${big}`,
    '',
    '## Levels',
    '',
    '### /merge',
    '',
    'The /merge role is a grade 7.',
    '',
    '## Performance Indicators',
    '',
    '- [@all metric <script>](javascript:alert(1))',
    '- /merge',
    '',
  ].join('\n');
  const path = 'content/job-families/security/hostile.md';

  it('creates an issue whose description has no quick action, mass mention, HTML or 2 MB of text', async () => {
    const { ctx } = setup();
    const list = { labels: 'OKR,job-family::hostile', per_page: '100' };
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(`${P}/issues`).query(list).reply(200, []);
    gitlab.get(`${P}/issues`).query({ search: 'handbook-bot:okr hostile', per_page: '100' }).reply(200, []);
    gitlab
      .get(`${P}/labels`)
      .query(LABEL_LIST)
      .reply(200, [labelJson(1, 'OKR'), labelJson(3, 'job-family::hostile')]);
    gitlab.get('/api/v4/users').query({ username: 'alice' }).reply(200, [ALICE]);
    gitlab.post(`${P}/issues`).reply(201, createdIssue(8));

    await reconcileOkrIssue(ctx, { ...input(hostile, C1, T1), page: parsePage(hostile, path), path });
    const [post] = recordedWrites();
    const sent = bodyOf(post);
    const description = String(sent.description);
    expect(description.length).toBeLessThan(5_000);
    expect(description).toContain('(truncated, ');
    expect(description.split('\n').filter((line) => /^\s*\//u.test(line))).toEqual([]);
    expect(description).not.toMatch(/@all/u);
    expect(description).not.toMatch(/<script/iu);
    expect(description).not.toMatch(/\]\(javascript:/iu);
    expect(description).toContain('@\u200Dall drive the OKRs now');
    expect(description).toContain('&lt;script&gt;');
    // Titles are shown as text by GitLab (no HTML, no quick actions); only the mention needs defusing.
    expect(String(sent.title)).toBe('OKRs: Hostile @\u200Dall ‹script›alert(1)‹/script› — FY27-Q4');
  });
});
