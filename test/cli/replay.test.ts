import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { runReplay } from '../../src/cli/replay.js';
import { testSettings } from '../support/settings.js';
import { handbookPush, HANDBOOK, inProject, loadFixture, RECRUITING } from '../support/fixtures.js';
import { removePrefix, testRedis } from '../support/redis.js';
import { startBot, type BotUnderTest } from '../webhook/harness.js';

/**
 * `replay` goes through the server's router: each saved payload queues the jobs a delivery of it queues
 * (same names and payloads; replayed ids carry a re-run suffix so finished work runs again).
 */

const prefix = `hbt-test-replay-${randomUUID().slice(0, 8)}`;
const settings = testSettings({
  config: { handbook: { project: HANDBOOK.path }, recruiting: { project: RECRUITING.path } },
  env: { queuePrefix: prefix },
});
const scratch = mkdtempSync(join(tmpdir(), 'hbt-replay-'));
let bot: BotUnderTest;

beforeAll(async () => {
  bot = await startBot({ path: 'fast', prefix, settings });
});
afterEach(async () => {
  await bot.queue.obliterate({ force: true });
});
afterAll(async () => {
  await bot.queue.obliterate({ force: true });
  // The delivery dedupe keys live beside the queue's, under the same prefix.
  const admin = testRedis();
  await removePrefix(admin, prefix);
  admin.disconnect();
  await bot.close();
  rmSync(scratch, { recursive: true, force: true });
});

function capture(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (line) => out.push(line), stderr: (line) => err.push(line) };
}

const mergeRequest = () => inProject(loadFixture('merge_request'), HANDBOOK);
const note = () => {
  const payload = inProject(loadFixture('note_merge_request'), HANDBOOK);
  payload.object_attributes.note = '@handbook-bot recheck';
  return payload;
};

const cases: Array<[string, string, () => unknown]> = [
  ['push', 'Push Hook', handbookPush],
  ['merge_request', 'Merge Request Hook', mergeRequest],
  ['note_merge_request', 'Note Hook', note],
  [
    'issue',
    'Issue Hook',
    () => {
      const issue = inProject(loadFixture('issue'), RECRUITING);
      issue.labels = [{ title: 'job-family::backend-engineer' }];
      return issue;
    },
  ],
];

describe('handbook-bot replay', () => {
  it.each(cases)('%s.json queues what the server queues for it', async (name, event, payload) => {
    const delivered = await bot.post(event, payload());
    expect(delivered.status).toBe(202);
    const served = (await bot.jobs())
      .map((job) => ({ name: job.name, data: job.data }))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    await bot.queue.obliterate({ force: true });

    const file = join(scratch, `${name}.json`);
    writeFileSync(file, JSON.stringify(payload()));
    const io = capture();
    expect(await runReplay({ settings, event, payloadPath: file, io })).toBe(0);
    const replayed = await bot.jobs();
    expect([...io.out].sort()).toEqual(replayed.map((job) => `queued ${job.name} ${job.id}`).sort());
    expect(io.out).toHaveLength(served.length);
    // Replayed work runs again, even after the same delivery finished (a command's reply is still posted once).
    for (const job of replayed) expect(job.id).toMatch(/\.rerun-/);
    // The delivery id is the delivery's own (a replay has none), the rest is the same work.
    const withoutTrigger = (data: unknown) => ({ ...(data as Record<string, unknown>), trigger: undefined, delivery: undefined });
    expect(
      replayed
        .map((job) => ({ name: job.name, data: withoutTrigger(job.data) }))
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    ).toEqual(served.map((job) => ({ name: job.name, data: withoutTrigger(job.data) })));
  });

  it('reports a payload that is not JSON, or of the wrong shape, with exit 2', async () => {
    const notJson = join(scratch, 'broken.json');
    writeFileSync(notJson, '{"object_kind": ');
    const io = capture();
    expect(await runReplay({ settings, event: 'Push Hook', payloadPath: notJson, io })).toBe(2);
    expect(io.err[0]).toMatch(/broken\.json is not JSON/);

    const wrongShape = join(scratch, 'wrong.json');
    writeFileSync(wrongShape, JSON.stringify({ ...handbookPush(), commits: 'none' }));
    const shapeIo = capture();
    expect(await runReplay({ settings, event: 'Push Hook', payloadPath: wrongShape, io: shapeIo })).toBe(2);
    expect(shapeIo.err[0]).toContain('commits');
    expect(await bot.jobCount()).toBe(0);
  });
});
