import { describe, expect, it } from 'vitest';
import type { ActionContext } from '../../../src/actions/shared/context.js';
import {
  checklistSteps,
  pageReview,
  planChecklistNote,
  reviewPage,
  reviewTargets,
  type ChecklistWriteResult,
} from '../../../src/actions/review/checklist.js';
import { CHECKLIST_MARKER, type ChecklistPage } from '../../../src/actions/review/checklist-render.js';
import { PermanentGitLabError, RetryableGitLabError } from '../../../src/gitlab/errors.js';
import { parsePage } from '../../../src/jobfamily/parse.js';
import type { MrChecklistData } from '../../../src/queue/jobs.js';
import type { ChildResults } from '../../../src/queue/mr-flow.js';
import { GITLAB_URL, P, makeClient } from '../../gitlab/fixture.js';
import { seed } from '../../support/pages.js';
import { useTestRedis } from '../../support/redis.js';
import { recordedRequests, recordedWrites, strictNock } from '../../support/strict-nock.js';
import { ALICE, BOT, actionContext, testConfig, diffJson, labelJson, mergeRequestJson, noteJson } from '../support/okr-context.js';

/**
 * The reviewer checklist against a nock GitLab: the parent's steps and the children, called as the
 * flow calls them (the BullMQ wiring itself is test/integration/mr-checklist.test.ts). Assertions are on
 * the bodies actually sent.
 */

const PATH = 'content/job-families/security/security-leadership.md';
const FILE = `${P}/repository/files/${encodeURIComponent(PATH)}/raw`;
const SOURCE = seed('security-leadership.md').source;
const DROPPED_STEP = 'Candidates may be requested to meet again with the CISO for a shortened conversation';
const HEAD = '9c1d3e5f7a9b1c3d5e7f9a1b3c5d7e9f1a3b5c7d';
const HEAD2 = 'aa1d3e5f7a9b1c3d5e7f9a1b3c5d7e9f1a3b5c7d';
/** The merge base (`diff_refs.base_sha`): old versions are read there, not at the head of main. */
const BASE = 'bb5e0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b';
const MR = `${P}/merge_requests/12`;
const STATUSES = (sha: string) => `${P}/repository/commits/${sha}/statuses`;
const GATE = 'handbook-bot/review';
const MR_URL = 'https://gitlab.example.com/acme/handbook/-/merge_requests/12';
const NOTES = { per_page: '100', sort: 'asc', order_by: 'created_at' };
const text = { 'content-type': 'text/plain' };
const json = { 'content-type': 'application/json' };
const GRADE_LABEL = {
  name: 'job-family::grade-change',
  color: '#fc9403',
  description: 'A merge request changes a job-family page (grade-changed): set by handbook-bot',
};

function replaceFirst(source: string, search: string, replacement: string): string {
  const at = source.indexOf(search);
  if (at < 0) throw new Error(`seed does not contain ${JSON.stringify(search)}`);
  return source.slice(0, at) + replacement + source.slice(at + search.length);
}

/** DESIGN §4's example: Director, Security from grade 10 to 11, and one hiring step dropped. */
const EDITED = replaceFirst(
  replaceFirst(SOURCE, 'The Director, Security Assurance is a [grade 10]', 'The Director, Security Assurance is a [grade 11]'),
  `- ${DROPPED_STEP}\n`,
  '',
);
/** A later push on the same MR: one more responsibility for the Director. */
const EDITED_AGAIN = replaceFirst(
  EDITED,
  '- Relevant, progressive experience managing information security and engineering teams\n',
  '- Relevant, progressive experience managing information security and engineering teams\n- Owns the security budget\n',
);

const { redis, prefix } = useTestRedis('checklist');

function setup() {
  const test = makeClient();
  return { ...test, ...actionContext({ client: test.client, redis, prefix }) };
}

/** The merge request as GitLab answers it, with the merge base and reviewers. */
function mrJson(sha: string, labels: string[], reviewers: Array<Record<string, unknown>> = []): Record<string, unknown> {
  return {
    ...mergeRequestJson(12, { sha, labels }),
    reviewers,
    diff_refs: { base_sha: BASE, head_sha: sha, start_sha: 'cc5e0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b' },
  };
}

const TOTAL_REWARDS = { id: 21, username: 'total-rewards-lead', name: 'Total Rewards', state: 'active' };
const RECRUITING = { id: 22, username: 'recruiting-lead', name: 'Recruiting', state: 'active' };

/** The first checklist write of a client looks each configured reviewer up once. */
function mockUserLookups(gitlab: ReturnType<typeof strictNock>): void {
  gitlab.get('/api/v4/users').query({ username: 'total-rewards-lead' }).reply(200, [TOTAL_REWARDS]);
  gitlab.get('/api/v4/users').query({ username: 'recruiting-lead' }).reply(200, [RECRUITING]);
}

/** The merge gate: read the status, set it when its state changes. */
function mockGate(
  gitlab: ReturnType<typeof strictNock>,
  sha: string,
  current: string | null,
  next: { state: string; description: string } | null,
  noteId = 71,
): void {
  gitlab
    .get(STATUSES(sha))
    .query({ name: GATE })
    .reply(200, current === null ? [] : [{ id: 1, name: GATE, status: current, description: 'x', target_url: null, sha }]);
  if (next !== null) {
    gitlab
      .post(`${P}/statuses/${sha}`, {
        state: next.state,
        name: GATE,
        description: next.description,
        target_url: `${MR_URL}#note_${noteId}`,
        ref: 'director-security-grade',
      })
      .reply(201, { id: 2, name: GATE, status: next.state, description: next.description, target_url: `${MR_URL}#note_${noteId}`, sha });
  }
}

const NO_BLOCKING = { state: 'success', description: 'No blocking checklist item' };

const data = (headSha = HEAD): MrChecklistData => ({
  projectId: 'acme/handbook',
  mrIid: 12,
  headSha,
  targetBranch: 'main',
  trigger: 'webhook',
  step: 'write-note',
});
const withoutIds = (body: string) =>
  body.replace(/ <!-- handbook-bot:item [0-9a-f-]+ -->/gu, '').replace(/\n<!-- handbook-bot:review-state [^\n]* -->$/u, '');

/** What the flow does: list, one child per page, then the parent's note. */
async function runFlow(ctx: ActionContext, mr: MrChecklistData): Promise<ChecklistWriteResult> {
  const steps = checklistSteps(ctx);
  const targets = await steps.listPages(mr);
  const values: ChildResults['values'] = {};
  for (const [index, target] of targets.entries()) {
    // Through JSON, as BullMQ stores a child's return value.
    values[`page-review.${index}`] = JSON.parse(
      JSON.stringify(
        await reviewPage(ctx, { projectId: mr.projectId, mrIid: mr.mrIid, targetBranch: mr.targetBranch, headSha: mr.headSha, ...target }),
      ),
    );
  }
  return steps.writeNote(mr, { values, failures: {} });
}

function mockPages(gitlab: ReturnType<typeof strictNock>, head: string, headSource: string): void {
  gitlab.get(MR).reply(200, mrJson(head, []));
  gitlab
    .get(`${MR}/diffs`)
    .query({ per_page: '100' })
    .reply(200, [
      diffJson(PATH, PATH),
      diffJson('README.md', 'README.md'),
      diffJson('content/handbook/values.md', 'content/handbook/values.md'),
    ]);
  gitlab.get(FILE).query({ ref: BASE }).reply(200, SOURCE, text);
  gitlab.get(FILE).query({ ref: head }).reply(200, headSource, text);
}

function postedNote(): string {
  const post = recordedWrites().find((w) => w.method === 'POST' && w.path === `${MR}/notes`);
  return (post?.body as { body: string }).body;
}

describe('review checklist: the Security Leadership change of DESIGN §4', () => {
  it('first run posts one note, creates and adds the grade label, makes the reviewers GitLab reviewers in the same update, and sets the gate', async () => {
    const { ctx } = setup();
    const gitlab = strictNock(GITLAB_URL);
    mockPages(gitlab, HEAD, EDITED);
    gitlab.get(MR).reply(200, mrJson(HEAD, ['security'], [ALICE]));
    gitlab.get('/api/v4/user').reply(200, BOT);
    gitlab
      .get(`${MR}/notes`)
      .query(NOTES)
      .reply(200, [noteJson(70, `Please review ${CHECKLIST_MARKER}`, ALICE)]);
    mockUserLookups(gitlab);
    gitlab.post(`${MR}/notes`).reply(201, (_uri, body) => noteJson(71, (body as { body: string }).body));
    gitlab
      .get(`${P}/labels`)
      .query({ per_page: '100', include_ancestor_groups: 'true' })
      .reply(200, [labelJson(1, 'security')]);
    gitlab.post(`${P}/labels`, GRADE_LABEL).reply(201, labelJson(2, GRADE_LABEL.name, GRADE_LABEL.color, GRADE_LABEL.description));
    gitlab
      .put(MR, { add_labels: 'job-family::grade-change', reviewer_ids: [11, 21, 22] })
      .reply(200, mrJson(HEAD, ['security', 'job-family::grade-change'], [ALICE, TOTAL_REWARDS, RECRUITING]));
    mockGate(gitlab, HEAD, null, NO_BLOCKING);

    const result = await runFlow(ctx, data());
    expect(result).toEqual({
      outcome: 'created',
      noteId: 71,
      pages: 1,
      failures: 0,
      operations: ['create-note', 'add-labels', 'add-reviewers', 'set-status'],
      gate: 'success',
    });
    // The note first; then labels and reviewers (one PUT) side by side with the status.
    const writes = recordedWrites().map((w) => `${w.method} ${w.path}`);
    expect(writes[0]).toBe(`POST ${MR}/notes`);
    expect(writes.slice(1).sort()).toEqual([`POST ${P}/labels`, `POST ${P}/statuses/${HEAD}`, `PUT ${MR}`]);
    expect(writes.indexOf(`POST ${P}/labels`)).toBeLessThan(writes.indexOf(`PUT ${MR}`));
    expect(withoutIds(postedNote())).toBe(
      [
        CHECKLIST_MARKER,
        '### Job-family review checklist',
        'This merge request changes 1 job-family page. Tick your items when reviewed.',
        'Compared with bb5e0c1, where this branch left `main` (the merge base, as in the Changes tab): later commits to `main` do not show here.',
        '',
        `#### Security Leadership · ${PATH}`,
        '- [ ] **Grade** of *Director, Security*: 10 → 11 — compensation review: @total-rewards-lead',
        `- [ ] **Hiring process** of *Director, Security*: step removed, "${DROPPED_STEP}" (hiring-manager) — recruiting review: @recruiting-lead`,
        '- No problems found by `handbook-bot check`.',
        '',
        '<sub>For commit 9c1d3e5 · `@handbook-bot recheck` to run again</sub>',
      ].join('\n'),
    );
    // The bot records, in the note itself, that it added the grade label.
    expect(postedNote().split('\n').at(-1)).toBe(
      `<!-- handbook-bot:review-state commit=${HEAD} blocking= errors=0 unreviewed=0 labels=job-family::grade-change -->`,
    );
  });

  it('a second run with the same input (a recheck) writes nothing, and looks no reviewer up again', async () => {
    const { ctx, client } = setup();
    const first = strictNock(GITLAB_URL);
    mockPages(first, HEAD, EDITED);
    first.get(MR).reply(200, mrJson(HEAD, []));
    first.get('/api/v4/user').reply(200, BOT);
    first.get(`${MR}/notes`).query(NOTES).reply(200, []);
    mockUserLookups(first);
    first.post(`${MR}/notes`).reply(201, (_uri, body) => noteJson(71, (body as { body: string }).body));
    first
      .get(`${P}/labels`)
      .query({ per_page: '100', include_ancestor_groups: 'true' })
      .reply(200, [labelJson(2, GRADE_LABEL.name)]);
    first
      .put(MR, { add_labels: 'job-family::grade-change', reviewer_ids: [21, 22] })
      .reply(200, mrJson(HEAD, ['job-family::grade-change'], [TOTAL_REWARDS, RECRUITING]));
    mockGate(first, HEAD, null, NO_BLOCKING);
    await runFlow(ctx, data());
    const body = postedNote();
    const writes = recordedWrites().length;
    const before = client.stats();

    const again = strictNock(GITLAB_URL);
    mockPages(again, HEAD, EDITED);
    again.get(MR).reply(200, mrJson(HEAD, ['job-family::grade-change'], [TOTAL_REWARDS, RECRUITING]));
    again
      .get(`${MR}/notes`)
      .query(NOTES)
      .reply(200, [noteJson(71, body)]);
    mockGate(again, HEAD, 'success', null);
    const result = await runFlow(ctx, { ...data(), trigger: 'recheck' });
    expect(result).toEqual({ outcome: 'unchanged', noteId: 71, pages: 1, failures: 0, operations: [], gate: 'success' });
    expect(recordedWrites()).toHaveLength(writes);
    expect(client.stats().writes - before.writes).toBe(0);
    // MR and diffs, two page reads, MR, notes, status: 7 reads for a no-op.
    expect(client.stats().reads - before.reads).toBe(7);
  });

  it('a new commit edits the note in place, a ticked box stays ticked, and labels already there are not re-sent', async () => {
    const { ctx } = setup();
    const gitlab = strictNock(GITLAB_URL);
    mockPages(gitlab, HEAD, EDITED);
    gitlab.get(MR).reply(200, mrJson(HEAD, ['job-family::grade-change'], [TOTAL_REWARDS, RECRUITING]));
    gitlab.get('/api/v4/user').reply(200, BOT);
    gitlab.get(`${MR}/notes`).query(NOTES).reply(200, []);
    mockUserLookups(gitlab);
    gitlab.post(`${MR}/notes`).reply(201, (_uri, body) => noteJson(71, (body as { body: string }).body));
    mockGate(gitlab, HEAD, null, NO_BLOCKING);
    await runFlow(ctx, data());
    const ticked = postedNote().replace(/^- \[ \] (\*\*Grade\*\*.*)$/mu, '- [x] $1');

    const next = strictNock(GITLAB_URL);
    mockPages(next, HEAD2, EDITED_AGAIN);
    next.get(MR).reply(200, mrJson(HEAD2, ['job-family::grade-change'], [TOTAL_REWARDS, RECRUITING]));
    next
      .get(`${MR}/notes`)
      .query(NOTES)
      .reply(200, [noteJson(71, ticked)]);
    next.put(`${MR}/notes/71`).reply(200, (_uri, body) => noteJson(71, (body as { body: string }).body));
    mockGate(next, HEAD2, null, NO_BLOCKING);
    const result = await runFlow(ctx, data(HEAD2));
    expect(result.operations).toEqual(['edit-note', 'set-status']);
    const put = recordedWrites().find((w) => w.path === `${MR}/notes/71`);
    const edited = withoutIds((put?.body as { body: string }).body);
    expect(edited).toContain('- [x] **Grade** of *Director, Security*: 10 → 11 — compensation review: @total-rewards-lead');
    expect(edited).toContain('- [ ] **Responsibilities** of *Director, Security*: 1 added');
    expect(edited).toContain('  - added: "Owns the security budget"');
    expect(edited).toContain('<sub>For commit aa1d3e5 ·');
  });

  it('finds its note across pages of notes by marker and author, and deletes duplicates', async () => {
    const { ctx } = setup();
    const gitlab = strictNock(GITLAB_URL);
    mockPages(gitlab, HEAD, EDITED);
    gitlab.get(MR).reply(200, mrJson(HEAD, ['job-family::grade-change'], [TOTAL_REWARDS, RECRUITING]));
    gitlab.get('/api/v4/user').reply(200, BOT);
    const page = (n: number) => `<${GITLAB_URL}${MR}/notes?order_by=created_at&page=${n}&per_page=100&sort=asc>; rel="next"`;
    gitlab
      .get(`${MR}/notes`)
      .query(NOTES)
      .reply(200, [noteJson(60, `Quoting the bot:\n${CHECKLIST_MARKER}\nold`, ALICE), noteJson(61, 'LGTM', ALICE)], { link: page(2) });
    gitlab
      .get(`${MR}/notes`)
      .query({ ...NOTES, page: '2' })
      .reply(200, [
        noteJson(62, `${CHECKLIST_MARKER}\nstale checklist`),
        noteJson(63, 'unrelated bot note'),
        noteJson(64, `${CHECKLIST_MARKER}\nduplicate`),
      ]);
    mockUserLookups(gitlab);
    gitlab.put(`${MR}/notes/62`).reply(200, (_uri, body) => noteJson(62, (body as { body: string }).body));
    gitlab.delete(`${MR}/notes/64`).reply(204);
    mockGate(gitlab, HEAD, 'success', null, 62);

    const result = await runFlow(ctx, data());
    expect(result).toMatchObject({ outcome: 'updated', noteId: 62, operations: ['edit-note', 'delete-note'] });
    expect(recordedWrites().map((w) => `${w.method} ${w.path}`)).toEqual([`PUT ${MR}/notes/62`, `DELETE ${MR}/notes/64`]);
  });

  it('two parents writing at once (a recheck racing the webhook run) post one note', async () => {
    const a = setup();
    const b = setup();
    const notes: Record<string, unknown>[] = [];
    const statuses: Record<string, unknown>[] = [];
    const gitlab = strictNock(GITLAB_URL);
    gitlab
      .get(MR)
      .times(2)
      .reply(200, mrJson(HEAD, ['job-family::grade-change'], [TOTAL_REWARDS, RECRUITING]));
    gitlab.get('/api/v4/user').times(2).reply(200, BOT);
    gitlab
      .get(`${MR}/notes`)
      .query(NOTES)
      .times(2)
      .reply(200, () => notes);
    gitlab.get('/api/v4/users').query({ username: 'total-rewards-lead' }).times(2).reply(200, [TOTAL_REWARDS]);
    gitlab.get('/api/v4/users').query({ username: 'recruiting-lead' }).times(2).reply(200, [RECRUITING]);
    gitlab.post(`${MR}/notes`).reply(201, (_uri, body) => {
      const note = noteJson(71, (body as { body: string }).body);
      notes.push(note);
      return note;
    });
    gitlab
      .get(STATUSES(HEAD))
      .query({ name: GATE })
      .times(2)
      .reply(200, () => statuses);
    gitlab.post(`${P}/statuses/${HEAD}`).reply(201, () => {
      const status = { id: 2, name: GATE, status: 'success', description: NO_BLOCKING.description, target_url: null, sha: HEAD };
      statuses.push(status);
      return status;
    });
    const page = pageReview(parsePage(SOURCE, PATH), parsePage(EDITED, PATH), PATH);
    const results: ChildResults = { values: { 'page-review.1': page }, failures: {} };
    const outcomes = await Promise.all([
      checklistSteps(a.ctx).writeNote(data(), results),
      checklistSteps(b.ctx).writeNote(data(), results),
    ]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['created', 'unchanged']);
    expect(recordedWrites().map((w) => `${w.method} ${w.path}`)).toEqual([`POST ${MR}/notes`, `POST ${P}/statuses/${HEAD}`]);
  });

  it('skips writing when the merge request has moved on to a newer commit (that job will write)', async () => {
    const { ctx } = setup();
    const gitlab = strictNock(GITLAB_URL);
    // Listing sees the newer head already: no page is read for an outdated commit.
    gitlab.get(MR).reply(200, mrJson(HEAD2, []));
    gitlab
      .get(`${MR}/diffs`)
      .query({ per_page: '100' })
      .reply(200, [diffJson(PATH, PATH)]);
    gitlab.get(MR).reply(200, mrJson(HEAD2, []));
    gitlab.get('/api/v4/user').reply(200, BOT);
    gitlab.get(`${MR}/notes`).query(NOTES).reply(200, []);
    const result = await runFlow(ctx, data());
    expect(result).toEqual({ outcome: 'stale', noteId: null, pages: 0, failures: 0, operations: [], gate: null });
    expect(recordedWrites()).toEqual([]);
    expect(recordedRequests().filter((r) => r.path.includes('/repository/'))).toEqual([]);
  });
});

describe('review checklist: GitLab failures', () => {
  it('429 with Retry-After on the note is retried after that delay, once posted', async () => {
    const { ctx, sleeps } = setup();
    const gitlab = strictNock(GITLAB_URL);
    mockPages(gitlab, HEAD, EDITED);
    gitlab.get(MR).reply(200, mrJson(HEAD, ['job-family::grade-change'], [TOTAL_REWARDS, RECRUITING]));
    gitlab.get('/api/v4/user').reply(200, BOT);
    gitlab.get(`${MR}/notes`).query(NOTES).reply(200, []);
    mockUserLookups(gitlab);
    gitlab.post(`${MR}/notes`).reply(429, { message: '429 Too Many Requests' }, { ...json, 'retry-after': '7' });
    gitlab.post(`${MR}/notes`).reply(201, (_uri, body) => noteJson(71, (body as { body: string }).body));
    mockGate(gitlab, HEAD, null, NO_BLOCKING);
    expect((await runFlow(ctx, data())).outcome).toBe('created');
    expect(sleeps).toEqual([7000]);
    const posts = recordedRequests().filter((r) => r.method === 'POST' && r.path === `${MR}/notes`);
    expect(posts).toHaveLength(2);
    expect(posts[0]?.body).toEqual(posts[1]?.body);
  });

  it('POST note answered 500 after GitLab saved it: the next attempt finds it by marker and posts nothing', async () => {
    const { ctx } = setup();
    const gitlab = strictNock(GITLAB_URL);
    mockPages(gitlab, HEAD, EDITED);
    gitlab.get(MR).reply(200, mrJson(HEAD, [], [TOTAL_REWARDS, RECRUITING]));
    gitlab.get('/api/v4/user').reply(200, BOT);
    gitlab.get(`${MR}/notes`).query(NOTES).reply(200, []);
    mockUserLookups(gitlab);
    gitlab.get(STATUSES(HEAD)).query({ name: GATE }).reply(200, []);
    gitlab.post(`${MR}/notes`).reply(500, { message: '500 Internal Server Error' }, json);
    await expect(runFlow(ctx, data())).rejects.toBeInstanceOf(RetryableGitLabError);
    const saved = postedNote();

    const retry = strictNock(GITLAB_URL);
    mockPages(retry, HEAD, EDITED);
    retry.get(MR).reply(200, mrJson(HEAD, [], [TOTAL_REWARDS, RECRUITING]));
    retry
      .get(`${MR}/notes`)
      .query(NOTES)
      .reply(200, [noteJson(71, saved)]);
    retry
      .get(`${P}/labels`)
      .query({ per_page: '100', include_ancestor_groups: 'true' })
      .reply(200, [labelJson(2, GRADE_LABEL.name)]);
    retry
      .put(MR, { add_labels: 'job-family::grade-change' })
      .reply(200, mrJson(HEAD, ['job-family::grade-change'], [TOTAL_REWARDS, RECRUITING]));
    mockGate(retry, HEAD, null, NO_BLOCKING);
    // The note saved by the failed attempt lists the label as the bot's: the retry adds it as the bot's.
    expect((await runFlow(ctx, data())).operations).toEqual(['add-labels', 'set-status']);
    expect(recordedWrites().filter((w) => w.method === 'POST' && w.path === `${MR}/notes`)).toHaveLength(1);
  });

  it('403 on the note fails for good with the project and the role needed', async () => {
    const { ctx } = setup();
    const gitlab = strictNock(GITLAB_URL);
    mockPages(gitlab, HEAD, EDITED);
    gitlab.get(MR).reply(200, mrJson(HEAD, []));
    gitlab.get('/api/v4/user').reply(200, BOT);
    gitlab.get(`${MR}/notes`).query(NOTES).reply(200, []);
    mockUserLookups(gitlab);
    gitlab.get(STATUSES(HEAD)).query({ name: GATE }).reply(200, []);
    gitlab.post(`${MR}/notes`).reply(403, { message: '403 Forbidden' }, json);
    const error = await runFlow(ctx, data()).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(PermanentGitLabError);
    expect((error as Error).message).toBe(
      'GitLab refused POST /projects/acme%2Fhandbook/merge_requests/12/notes (403): the token\'s user lacks permission on acme/handbook; it needs at least Reporter (Developer to edit merge requests) on acme/handbook, and the token needs the api scope (GitLab said: "403 Forbidden")',
    );
  });
});

describe('review checklist: pages that are hard to review', () => {
  it('broken front matter is a blocking item in the note, not a failed job', async () => {
    const { ctx } = setup();
    const broken = SOURCE.replace(
      'description: "Leaders in the security department at GitLab see the team as their product."',
      'description: [unclosed',
    );
    const gitlab = strictNock(GITLAB_URL);
    mockPages(gitlab, HEAD, broken);
    gitlab.get(MR).reply(200, mrJson(HEAD, []));
    gitlab.get('/api/v4/user').reply(200, BOT);
    gitlab.get(`${MR}/notes`).query(NOTES).reply(200, []);
    mockUserLookups(gitlab);
    gitlab.post(`${MR}/notes`).reply(201, (_uri, body) => noteJson(71, (body as { body: string }).body));
    // `check` finds an error on a changed page: the merge gate fails.
    mockGate(gitlab, HEAD, null, { state: 'failed', description: 'handbook-bot check found an error on a changed page' });
    expect(await runFlow(ctx, data())).toMatchObject({ outcome: 'created', gate: 'failed' });
    expect(withoutIds(postedNote())).toContain(
      `- [ ] **Blocking**: front matter of ${PATH} does not parse (line 5: invalid YAML in front matter: Flow sequence in block collection must be sufficiently indented and end with a ]) — fix it before merging`,
    );
  });

  it('hostile page text yields a note with no quick action, mass mention or HTML, and a bounded child result', async () => {
    const { ctx } = setup();
    // The seed, edited by someone hostile: title, a role, the Director's responsibilities and hiring steps.
    const directorItems = '- Relevant, progressive experience managing information security and engineering teams\n';
    const directorHiring =
      '- Successful candidates will subsequently be made an offer via email\nAdditional details about our process can be found on our [hiring page](https://about.gitlab.com/handbook/hiring/).\n\n### Senior Director, Security';
    const hostile = replaceFirst(
      replaceFirst(
        replaceFirst(
          replaceFirst(SOURCE, 'title: "Security Leadership"', 'title: "Security Leadership @all <script>alert(1)</script>"'),
          directorItems,
          [
            directorItems.trimEnd(),
            '- Drive quarterly OKRs',
            '/merge',
            '- @all please approve',
            "- <script>alert('x')</script> and <img src=x onerror=alert(1)>",
            `- ${'A'.repeat(2 * 1024 * 1024)}`,
            '',
          ].join('\n'),
        ),
        directorHiring,
        directorHiring.replace(
          '- Successful candidates',
          '- /close the screening call\n- @all interview with @here\n- Successful candidates',
        ),
      ),
      '## Career Ladder',
      '### /merge\n\nThe /merge role is a [grade 7](https://example.com).\n\n## Career Ladder',
    );
    const gitlab = strictNock(GITLAB_URL);
    mockPages(gitlab, HEAD, hostile);
    gitlab.get(MR).reply(200, mrJson(HEAD, [], [TOTAL_REWARDS, RECRUITING]));
    gitlab.get('/api/v4/user').reply(200, BOT);
    gitlab.get(`${MR}/notes`).query(NOTES).reply(200, []);
    mockUserLookups(gitlab);
    gitlab.post(`${MR}/notes`).reply(201, (_uri, body) => noteJson(71, (body as { body: string }).body));
    mockGate(gitlab, HEAD, null, NO_BLOCKING);

    const child = await reviewPage(ctx, {
      projectId: 'acme/handbook',
      mrIid: 12,
      targetBranch: 'main',
      headSha: HEAD,
      baseSha: BASE,
      oldPath: PATH,
      path: PATH,
    });
    expect(JSON.stringify(child).length).toBeLessThan(200_000);
    nockAgainFor(gitlab);
    await runFlow(ctx, data());

    const body = postedNote();
    expect(body.length).toBeLessThan(60_000);
    expect(body.split('\n').filter((line) => /^\s*\//u.test(line))).toEqual([]);
    expect(body).not.toMatch(/@(all|here)\b/u);
    expect(body).not.toMatch(/<(script|img)/iu);
    expect(body).toContain('@\u200Dall please approve');
    expect(body).toContain(`AAAA … (truncated, ${2 * 1024 * 1024 - 150} characters omitted)`);
    // Only configured reviewers are mentioned (the command word sits in a code span).
    const mentions = [...body.matchAll(/(?<![A-Za-z0-9_`])@([A-Za-z0-9_][A-Za-z0-9_.-]*)/gu)].map((match) => match[1]);
    expect(mentions.length).toBeGreaterThan(0);
    expect(mentions.filter((name) => name !== 'total-rewards-lead' && name !== 'recruiting-lead')).toEqual([]);

    /** The child above read both versions once already; the flow reads them again. */
    function nockAgainFor(scope: ReturnType<typeof strictNock>): void {
      scope.get(FILE).query({ ref: BASE }).reply(200, SOURCE, text);
      scope.get(FILE).query({ ref: HEAD }).reply(200, hostile, text);
    }
  });

  it('a merge request that touches no page gets no note', async () => {
    const { ctx } = setup();
    const gitlab = strictNock(GITLAB_URL);
    gitlab.get(MR).reply(200, mrJson(HEAD, []));
    gitlab
      .get(`${MR}/diffs`)
      .query({ per_page: '100' })
      .reply(200, [diffJson('README.md', 'README.md')]);
    gitlab.get(MR).reply(200, mrJson(HEAD, []));
    gitlab.get('/api/v4/user').reply(200, BOT);
    gitlab
      .get(`${MR}/notes`)
      .query(NOTES)
      .reply(200, [noteJson(61, 'LGTM', ALICE)]);
    expect((await runFlow(ctx, data())).outcome).toBe('no-pages');
    expect(recordedWrites()).toEqual([]);
  });
});

describe('review checklist: pure parts', () => {
  const isPage = (path: string) => path.startsWith('content/job-families/') && path.endsWith('.md');

  it('reviewTargets: old path at the target branch, new path at the head; non-page sides left out', () => {
    const jf = 'content/job-families/security';
    expect(
      reviewTargets(
        [
          { old_path: `${jf}/a.md`, new_path: `${jf}/a.md`, new_file: false, renamed_file: false, deleted_file: false },
          { old_path: `${jf}/b.md`, new_path: `${jf}/b.md`, new_file: true, renamed_file: false, deleted_file: false },
          { old_path: `${jf}/c.md`, new_path: `${jf}/c.md`, new_file: false, renamed_file: false, deleted_file: true },
          { old_path: `${jf}/d.md`, new_path: `${jf}/e.md`, new_file: false, renamed_file: true, deleted_file: false },
          { old_path: 'drafts/f.md', new_path: `${jf}/f.md`, new_file: false, renamed_file: true, deleted_file: false },
          { old_path: 'README.md', new_path: 'README.md', new_file: false, renamed_file: false, deleted_file: false },
        ],
        isPage,
      ),
    ).toEqual([
      { oldPath: `${jf}/a.md`, path: `${jf}/a.md` },
      { path: `${jf}/b.md` },
      { oldPath: `${jf}/c.md` },
      { oldPath: `${jf}/d.md`, path: `${jf}/e.md` },
      { path: `${jf}/f.md` },
    ]);
  });

  it('planChecklistNote: failed children become blocking items; an unchanged body and present labels plan nothing', () => {
    const page: ChecklistPage = pageReview(parsePage(SOURCE, PATH), parsePage(EDITED, PATH), PATH);
    const rules = testConfig().review.rules;
    const base = { pages: [page], rules, headSha: HEAD, commandWord: '@handbook-bot', mrLabels: [] as string[] };
    const first = planChecklistNote({
      ...base,
      failures: ['GitLab answered 404 for GET /projects/acme%2Fhandbook/repository/files/x.md/raw @all'],
      existing: [],
    });
    expect(first.operations.map((op) => op.kind)).toEqual(['create-note', 'add-labels']);
    expect(first.body).toContain('#### Pages not reviewed\n- [ ] **Blocking**: a page could not be reviewed (GitLab answered 404 for GET');
    expect(first.body).not.toMatch(/@all/u);
    expect(first.body.split('\n').slice(-2)).toEqual([
      '<sub>For commit 9c1d3e5 · `@handbook-bot recheck` to run again</sub>',
      `<!-- handbook-bot:review-state commit=${HEAD} blocking= errors=0 unreviewed=1 labels=job-family::grade-change -->`,
    ]);

    const existing = [{ id: 71, body: first.body, system: false, author: { id: 5, username: 'handbook-bot' } }];
    const again = planChecklistNote({
      ...base,
      failures: ['GitLab answered 404 for GET /projects/acme%2Fhandbook/repository/files/x.md/raw @all'],
      existing,
      mrLabels: ['job-family::grade-change'],
    });
    expect(again).toMatchObject({ outcome: 'unchanged', operations: [] });
  });
});
