import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checklistSteps, mrLockKey, reviewPage, type ChecklistWriteResult } from '../../../src/actions/review/checklist.js';
import { refreshMergeGate } from '../../../src/actions/review/merge-gate.js';
import type { ActionContext } from '../../../src/actions/shared/context.js';
import { GitLabClient } from '../../../src/gitlab/client.js';
import { createLogger } from '../../../src/log.js';
import type { MrChecklistData, MrGateData } from '../../../src/queue/jobs.js';
import type { ChildResults } from '../../../src/queue/mr-flow.js';
import { createRouter } from '../../../src/webhook/routes.js';
import { startGitLabSim, type GitLabSim } from '../../support/gitlab-sim/server.js';
import type { DumpMergeRequest, DumpProject } from '../../support/gitlab-sim/types.js';
import { useTestRedis } from '../../support/redis.js';
import { testConfig } from '../support/okr-context.js';

/**
 * The merge-request behaviours of issues 10 and 12 against the loopback GitLab simulator (which
 * computes merge bases, diffs, labels, reviewers and commit statuses as GitLab does): reviewers for
 * real, labels that follow the change, the merge gate and its re-evaluation on a tick, and the diff
 * against the merge base. Expectations are written out; nothing is computed by the bot's renderers.
 */

const SOURCE = readFileSync(new URL('../../fixtures/seeds/security-leadership.md', import.meta.url), 'utf8');
const NOTE_HOOK = new URL('../../fixtures/gitlab-webhooks/note_merge_request.json', import.meta.url);
const PROJECT = 'acme/handbook';
const PATH = 'content/job-families/security/security-leadership.md';
const MOVED = 'content/job-families/security/leadership.md';
const GATE = 'handbook-bot/review';

function replaceFirst(source: string, search: string, replacement: string): string {
  const at = source.indexOf(search);
  if (at < 0) throw new Error(`seed does not contain ${JSON.stringify(search)}`);
  return source.slice(0, at) + replacement + source.slice(at + search.length);
}
const GRADE_11 = replaceFirst(
  SOURCE,
  'The Director, Security Assurance is a [grade 10]',
  'The Director, Security Assurance is a [grade 11]',
);
const BUDGET_LINE = '- Relevant, progressive experience managing information security and engineering teams\n';
const withBudget = (source: string) => replaceFirst(source, BUDGET_LINE, `${BUDGET_LINE}- Owns the security budget\n`);

const { redis, prefix } = useTestRedis('mr-sim');
const config = testConfig({
  review: {
    rules: [
      { when: 'grade-changed', reviewers: ['total-rewards-lead', 'ghost-reviewer'], labels: ['job-family::grade-change'], blocking: true },
      { when: 'hiring-process-changed', reviewers: ['recruiting-lead'] },
    ],
  },
});

let sim: GitLabSim;
let ctx: ActionContext;
let client: GitLabClient;

beforeAll(async () => {
  sim = await startGitLabSim();
});
afterAll(async () => {
  await sim.close();
});

beforeEach(() => {
  sim.state.reset();
  for (const username of ['alice', 'total-rewards-lead', 'recruiting-lead']) sim.state.addUser({ username });
  sim.state.addProject({ id: 4242, path: PROJECT, members: { 'handbook-bot': 40, alice: 30 } });
  const logger = createLogger('silent');
  // A fresh client per test: its reviewer cache starts empty.
  client = new GitLabClient({ url: sim.url, token: sim.token, dryRun: false, logger, sleep: () => Promise.resolve() });
  ctx = {
    gitlab: client,
    config,
    logger,
    redis,
    lockPrefix: `{${prefix}}:lock:`,
    now: () => new Date('2026-11-20T12:00:00Z'),
    enqueue: (specs) => Promise.resolve(specs.map((s) => s.id)),
  };
});
afterEach(() => {
  expect(sim.dump().violations).toEqual([]);
});

/** What the mr-checklist flow does for the merge request's current head: list, one child per page, write. */
async function runChecklist(iid: number): Promise<ChecklistWriteResult> {
  const mr = sim.state.mergeRequests.find((candidate) => candidate.iid === iid);
  if (mr === undefined) throw new Error(`no merge request !${iid}`);
  const data: MrChecklistData = {
    projectId: 4242,
    mrIid: iid,
    headSha: sim.state.mergeRequestSha(mr),
    targetBranch: mr.targetBranch,
    trigger: 'webhook',
    step: 'list-pages',
  };
  const steps = checklistSteps(ctx);
  const values: ChildResults['values'] = {};
  for (const [index, target] of (await steps.listPages(data)).entries()) {
    values[`page-review.${index}`] = JSON.parse(
      JSON.stringify(
        await reviewPage(ctx, { projectId: 4242, mrIid: iid, targetBranch: data.targetBranch, headSha: data.headSha, ...target }),
      ),
    );
  }
  return steps.writeNote({ ...data, step: 'write-note' }, { values, failures: {} });
}

function project(): DumpProject {
  const found = sim.dump().projects.find((candidate) => candidate.path === PROJECT);
  if (found === undefined) throw new Error('no handbook project');
  return found;
}
function mergeRequest(iid = 1): DumpMergeRequest {
  const found = project().merge_requests.find((candidate) => candidate.iid === iid);
  if (found === undefined) throw new Error(`no merge request !${iid}`);
  return found;
}
function checklistNote(iid = 1): { id: number; body: string } {
  const notes = mergeRequest(iid).notes.filter(
    (note) => note.author === 'handbook-bot' && note.body.startsWith('<!-- handbook-bot:review-checklist -->'),
  );
  expect(notes).toHaveLength(1);
  return notes[0] as { id: number; body: string };
}
const visibleLines = (body: string) =>
  body
    .split('\n')
    .filter((line) => !line.startsWith('<!-- handbook-bot:'))
    .map((line) => line.replace(/ <!-- handbook-bot:item [0-9a-f-]+ -->$/u, ''));
const statuses = () => project().statuses.map((s) => `${s.sha.slice(0, 7)} ${s.name} ${s.status}: ${s.description ?? ''}`);

/** main with the page; a branch cut from it; the merge request of that branch. */
function openMergeRequest(
  branch: string,
  files: Record<string, string>,
  options: { labels?: string[]; remove?: string[] } = {},
): { base: string; head: string } {
  const base = sim.state.commit(PROJECT, { branch: 'main', files: { [PATH]: SOURCE }, message: 'Security Leadership' });
  sim.state.createBranch(PROJECT, branch, base);
  const head = sim.state.commit(PROJECT, {
    branch,
    files,
    ...(options.remove ? { remove: options.remove } : {}),
    message: `Change on ${branch}`,
  });
  sim.state.addMergeRequest(PROJECT, { sourceBranch: branch, author: 'alice', labels: options.labels ?? [] });
  return { base, head };
}

describe('merge request review against the simulator', () => {
  it('reviewers for real: the rule reviewers become GitLab reviewers, people already there stay, an unknown user is reported', async () => {
    openMergeRequest('grade', { [PATH]: GRADE_11 });
    const alice = sim.state.userByName('alice');
    const mr = sim.state.mergeRequests[0];
    if (alice === undefined || mr === undefined) throw new Error('seed');
    mr.reviewerIds = [alice.id];

    const result = await runChecklist(1);
    expect(result.operations).toEqual(['create-note', 'add-labels', 'add-reviewers', 'set-status']);
    expect(mergeRequest().reviewers).toEqual(['alice', 'total-rewards-lead']);
    expect(visibleLines(checklistNote().body)).toContain(
      "Not made reviewers, GitLab has no user of that name: `ghost-reviewer`. Fix `review.rules[].reviewers` in the bot's config.",
    );

    // Run twice: nothing more is written, and the reviewers are not looked up again (cached).
    const writes = sim.dump().requests.writes.length;
    const lookups = sim.dump().requests.byRoute['GET /users'];
    expect(lookups).toBe(3);
    expect((await runChecklist(1)).operations).toEqual([]);
    expect(sim.dump().requests.writes.length).toBe(writes);
    expect(sim.dump().requests.byRoute['GET /users']).toBe(3);
  });

  it('a revert removes the rule label the bot added; the label a person added stays', async () => {
    openMergeRequest('grade', { [PATH]: GRADE_11 }, { labels: ['security'] });
    await runChecklist(1);
    expect(mergeRequest().labels).toEqual(['job-family::grade-change', 'security']);
    expect(checklistNote().body.split('\n').at(-1)).toMatch(/ labels=job-family::grade-change -->$/u);

    // The grade change is reverted; the branch still adds a responsibility.
    sim.state.commit(PROJECT, { branch: 'grade', files: { [PATH]: withBudget(SOURCE) }, message: 'Revert the grade change' });
    const result = await runChecklist(1);
    expect(result.operations).toEqual(['remove-labels', 'edit-note', 'set-status']);
    expect(mergeRequest().labels).toEqual(['security']);
    expect(visibleLines(checklistNote().body).filter((line) => line.startsWith('- '))).toEqual([
      '- [ ] **Responsibilities** of *Director, Security*: 1 added',
      '- No problems found by `handbook-bot check`.',
    ]);
    expect(checklistNote().body.split('\n').at(-1)).toMatch(/ labels= -->$/u);
  });

  it('a rule label a person put on the merge request before the bot is never removed, even when the change is gone', async () => {
    openMergeRequest('grade', { [PATH]: GRADE_11 }, { labels: ['job-family::grade-change'] });
    const first = await runChecklist(1);
    expect(first.operations).not.toContain('add-labels');
    sim.state.commit(PROJECT, { branch: 'grade', files: { [PATH]: withBudget(SOURCE) }, message: 'Revert the grade change' });
    const second = await runChecklist(1);
    expect(second.operations).toEqual(['edit-note', 'set-status']);
    expect(mergeRequest().labels).toEqual(['job-family::grade-change']);
  });

  it('a ticked blocking item turns the status to success, an untick back to pending, without rewriting the note', async () => {
    const { head } = openMergeRequest('grade', { [PATH]: GRADE_11 });
    await runChecklist(1);
    const sha = head.slice(0, 7);
    expect(statuses()).toEqual([`${sha} ${GATE} pending: Blocking checklist items are not ticked yet`]);
    const note = checklistNote();
    expect(project().statuses[0]?.target_url).toBe(`${sim.url}/acme/handbook/-/merge_requests/1#note_${note.id}`);
    expect(project().statuses[0]?.ref).toBe('grade');
    expect(visibleLines(note.body)).toContain(
      '- [ ] **Grade** of *Director, Security*: 10 → 11 — compensation review: @total-rewards-lead, @ghost-reviewer · *needed to merge*',
    );

    // Alice ticks the grade item in GitLab's UI: the note changes, GitLab sends a Note Hook (update).
    const ticked = note.body.replace('- [ ] **Grade**', '- [x] **Grade**');
    await personEdits(note.id, ticked);
    // GitLab moves the pending status to its new state.
    expect(statuses()).toEqual([`${sha} ${GATE} success: Every blocking checklist item is ticked`]);
    expect(checklistNote().body).toBe(ticked);

    await personEdits(note.id, note.body);
    expect(statuses()).toEqual([
      `${sha} ${GATE} success: Every blocking checklist item is ticked`,
      `${sha} ${GATE} pending: Blocking checklist items are not ticked yet`,
    ]);

    // The same event delivered again (or a second job for it) sets nothing: the state has not changed.
    const writes = sim.dump().requests.writes.length;
    await personEdits(note.id, note.body);
    expect(sim.dump().requests.writes.length).toBe(writes);
  });

  it('an MR whose target branch moved on: the diff is against the merge base, not the head of main', async () => {
    const { base, head } = openMergeRequest('budget', { [PATH]: withBudget(SOURCE) });
    // After the branch was cut, another merge request raised the grade on main.
    sim.state.commit(PROJECT, { branch: 'main', files: { [PATH]: GRADE_11 }, message: 'Director to grade 11 (merged elsewhere)' });

    const result = await runChecklist(1);
    expect(result).toMatchObject({ outcome: 'created', gate: 'success' });
    expect(visibleLines(checklistNote().body)).toEqual([
      '### Job-family review checklist',
      'This merge request changes 1 job-family page. Tick your items when reviewed.',
      `Compared with ${base.slice(0, 7)}, where this branch left \`main\` (the merge base, as in the Changes tab): later commits to \`main\` do not show here.`,
      '',
      `#### Security Leadership · ${PATH}`,
      '- [ ] **Responsibilities** of *Director, Security*: 1 added',
      '  - added: "Owns the security budget"',
      '- No problems found by `handbook-bot check`.',
      '',
      `<sub>For commit ${head.slice(0, 7)} · \`@handbook-bot recheck\` to run again</sub>`,
    ]);
    // No reverse "grade 11 → 10", so no grade label and no grade reviewer.
    expect(mergeRequest().labels).toEqual([]);
    expect(mergeRequest().reviewers).toEqual([]);
    expect(statuses()).toEqual([`${head.slice(0, 7)} ${GATE} success: No blocking checklist item`]);
  });

  it('a renamed page is read by its old path at the merge base and its new path at the head', async () => {
    openMergeRequest('move', { [MOVED]: SOURCE }, { remove: [PATH] });
    await runChecklist(1);
    expect(visibleLines(checklistNote().body).slice(3, 7)).toEqual([
      '',
      `#### Security Leadership · ${MOVED} (renamed from ${PATH})`,
      '- No change to roles, grades, responsibilities, requirements, hiring process or performance indicators.',
      '- No problems found by `handbook-bot check`.',
    ]);
  });
});

/** A person edits the checklist note, and GitLab's Note Hook runs through the router to the mr-gate job. */
async function personEdits(noteId: number, body: string): Promise<void> {
  const note = sim.state.notes.find((candidate) => candidate.id === noteId);
  if (note === undefined) throw new Error(`no note ${noteId}`);
  note.body = body;
  note.updatedAt = sim.state.now();
  const payload = JSON.parse(readFileSync(NOTE_HOOK, 'utf8')) as Record<string, Record<string, unknown>>;
  payload.user = { ...payload.user, id: sim.state.userByName('alice')?.id ?? 0, username: 'alice' };
  payload.project = { ...payload.project, id: 4242, path_with_namespace: PROJECT };
  payload.object_attributes = {
    ...payload.object_attributes,
    id: noteId,
    note: body,
    action: 'update',
    updated_at: note.updatedAt,
    url: `${sim.url}/acme/handbook/-/merge_requests/1#note_${noteId}`,
  };
  payload.merge_request = { ...payload.merge_request, iid: 1, source_branch: 'grade', target_branch: 'main' };
  const routed = createRouter(config, { bot: { username: 'handbook-bot' } })('Note Hook', payload);
  if (routed.kind !== 'jobs') throw new Error(`expected a job, got ${JSON.stringify(routed)}`);
  const [job] = routed.jobs;
  expect(job?.name).toBe('mr-gate');
  await refreshMergeGate(ctx, job?.data as MrGateData, mrLockKey(ctx, 4242, 1));
}
