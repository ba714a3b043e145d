import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrng } from '../support/gitlab-sim/prng.js';
import { HANDBOOK, PAGE_A, RECRUITING, handbookPush, inProject, loadFixture } from '../support/fixtures.js';
import { removePrefix, testRedis, uniquePrefix } from '../support/redis.js';
import { TEST_SECRET, testSettings } from '../support/settings.js';
import { startBot, type BotUnderTest, type ServedPath } from './harness.js';

/**
 * Hostile input at the webhook endpoint: GitLab's real payloads mutated (fields deleted, values of the
 * wrong type, numbers for strings, arrays for objects, 10 000-level nesting, 1–5 MB strings, unicode
 * and lone surrogates), raw bytes mangled (invalid UTF-8, truncation, garbage), wrong headers (content
 * types, encodings, tokens, event names), and random JSON. Seeded, so a failure reproduces.
 *
 * For every case: never a 5xx, never a stack trace, the answer the rules call for (an oracle written
 * apart from the bot's zod schemas decides whether a payload is well-formed), and a job queued only
 * for a 202. At the end the process still serves a good delivery.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Stands for a deeply nested value in a tree; `serialize` writes the nesting itself. */
const DEEP_MARK = '\u0000deep:';

const SEED = 0xf022;
const CASES: Record<ServedPath, number> = { fast: 2_500, express: 500 };
const EVENTS = ['Push Hook', 'Merge Request Hook', 'Issue Hook', 'Confidential Issue Hook', 'Note Hook', 'Confidential Note Hook'] as const;
type HandledEvent = (typeof EVENTS)[number];

// ------------------------------------------------------------------------------------ base payloads

function basePayloads(): Array<{ event: HandledEvent; body: Json }> {
  const mr = inProject(loadFixture('merge_request'), HANDBOOK);
  const issue = inProject(loadFixture('issue'), RECRUITING);
  const note = inProject(loadFixture('note_merge_request'), HANDBOOK);
  note.object_attributes.note = '@handbook-bot recheck';
  const asJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as Json;
  return [
    { event: 'Push Hook', body: asJson(handbookPush()) },
    { event: 'Merge Request Hook', body: asJson(mr) },
    { event: 'Issue Hook', body: asJson(issue) },
    { event: 'Confidential Issue Hook', body: asJson(issue) },
    { event: 'Note Hook', body: asJson(note) },
    { event: 'Confidential Note Hook', body: asJson(note) },
  ];
}

// ----------------------------------------------------------------------------------------- the oracle

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
// Ids beyond 2^53 cannot be told apart once parsed: not ids.
const isInt = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v);
const isString = (v: unknown): boolean => typeof v === 'string';
const optional = (v: unknown, check: (value: unknown) => boolean): boolean => v === undefined || v === null || check(v);
const strings = (v: unknown): boolean => Array.isArray(v) && v.every(isString);
const project = (v: unknown): boolean =>
  isObject(v) && isInt(v.id) && isString(v.path_with_namespace) && optional(v.default_branch, isString);
const user = (v: unknown): boolean => isObject(v) && isInt(v.id) && isString(v.username);
const commit = (v: unknown): boolean => isObject(v) && isString(v.id);
const labels = (v: unknown): boolean => Array.isArray(v) && v.every((label) => isObject(label) && isString(label.title));

/** Whether a body has what the bot needs of the event, written from GitLab's docs, not from the bot's schemas. */
function wellFormed(event: HandledEvent, body: unknown): boolean {
  if (!isObject(body) || !project(body.project)) return false;
  switch (event) {
    case 'Push Hook':
      return (
        isString(body.before) &&
        isString(body.after) &&
        isString(body.ref) &&
        optional(body.user_id, isInt) &&
        optional(body.user_username, isString) &&
        isInt(body.total_commits_count) &&
        (body.total_commits_count as number) >= 0 &&
        Array.isArray(body.commits) &&
        body.commits.every(
          (c: unknown) =>
            isObject(c) &&
            isString(c.id) &&
            optional(c.timestamp, isString) &&
            strings(c.added) &&
            strings(c.modified) &&
            strings(c.removed),
        )
      );
    case 'Merge Request Hook': {
      const a = body.object_attributes;
      return (
        optional(body.user, user) &&
        isObject(a) &&
        isInt(a.iid) &&
        optional(a.action, isString) &&
        optional(a.oldrev, isString) &&
        isString(a.target_branch) &&
        // A merge request without commits has none (GitLab sends null): ignored, not malformed.
        optional(a.last_commit, commit)
      );
    }
    case 'Issue Hook':
    case 'Confidential Issue Hook': {
      const a = body.object_attributes;
      const changes = body.changes;
      const changedLabels = isObject(changes) ? changes.labels : undefined;
      return (
        optional(body.user, user) &&
        isObject(a) &&
        isInt(a.iid) &&
        optional(a.action, isString) &&
        isString(a.updated_at) &&
        // Read to tell whether the issue can be a recruiting one (labels now, a linked page).
        optional(a.description, isString) &&
        optional(a.labels, labels) &&
        optional(body.labels, labels) &&
        optional(changes, isObject) &&
        optional(changedLabels, (l) => isObject(l) && optional(l.previous, labels) && optional(l.current, labels))
      );
    }
    case 'Note Hook':
    case 'Confidential Note Hook': {
      const a = body.object_attributes;
      const shaped =
        user(body.user) &&
        isObject(a) &&
        isInt(a.id) &&
        isString(a.note) &&
        isString(a.noteable_type) &&
        optional(a.action, isString) &&
        optional(a.system, (s) => typeof s === 'boolean') &&
        optional(body.merge_request, (m) => isObject(m) && isInt(m.iid) && isString(m.target_branch) && optional(m.last_commit, commit)) &&
        optional(body.issue, (i) => isObject(i) && isInt(i.iid));
      if (!shaped || !isObject(a) || !isObject(body.user) || !isObject(body.project)) return shaped;
      // A command that will run needs the thing it runs on: the merge request, or the issue.
      const text = String(a.note).trimStart();
      const command = /^@handbook-bot(\s|$)/i.test(text);
      const managed = [HANDBOOK.path, RECRUITING.path].includes(String(body.project.path_with_namespace).toLowerCase());
      const runs =
        managed &&
        command &&
        String(body.user.username).toLowerCase() !== 'handbook-bot' &&
        a.system !== true &&
        (a.action == null || a.action === 'create');
      if (runs && a.noteable_type === 'MergeRequest') return isObject(body.merge_request);
      if (runs && a.noteable_type === 'Issue') return isObject(body.issue);
      return true;
    }
  }
}

// ----------------------------------------------------------------------------------------- mutations

interface Case {
  kind: string;
  event: string;
  body: Buffer;
  headers: Record<string, string | undefined>;
  /** The expected status class, from the headers alone (undefined: decided by the body). */
  headerVerdict?: 401 | 415 | 400 | 'ignored';
  /** The value the bot will parse (undefined when the bytes are not JSON). */
  parsed?: unknown;
}

function makeFuzzer(random: () => number) {
  const int = (max: number) => Math.floor(random() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;

  const unicode = (): string => {
    const pieces = [
      'é',
      '日本語',
      '\u202e',
      '\u200b',
      '\u0000',
      '\ud800',
      '\udfff',
      '💥',
      '\ufeff',
      'Ω',
      '\u2028',
      '\\',
      '"',
      '/close',
      '@all',
      '<script>',
      ' ',
    ];
    return Array.from({ length: 1 + int(12) }, () =>
      random() < 0.3 ? String.fromCodePoint(int(0x10ffff)).replace(/[\ud800-\udfff]/g, '?') : pick(pieces),
    ).join('');
  };
  const huge = (): string => {
    const size = (1 + int(5)) * 1024 * 1024;
    return random() < 0.5 ? 'x'.repeat(size) : 'é💥'.repeat(Math.floor(size / 6));
  };
  /**
   * Nesting as JSON text: JSON.stringify would recurse 10 000 levels and overflow this process's stack
   * before the bot ever saw the body. Placed in a tree as a marker string, spliced in by `serialize`.
   */
  const deepText = (levels: number): string => {
    const kinds = Array.from({ length: levels }, () => random() < 0.5);
    return `${kinds.map((array) => (array ? '[' : '{"n":')).join('')}"bottom"${kinds
      .reverse()
      .map((array) => (array ? ']' : '}'))
      .join('')}`;
  };
  const deep = (levels: number): Json => `${DEEP_MARK}${levels}`;
  const wrongValue = (current: Json, allowBig: boolean): Json => {
    const choices: Array<() => Json> = [
      () => null,
      () => true,
      () => 0,
      () => -1,
      () => 1e308,
      () => 3.14,
      () => 2 ** 53 + 1,
      () => '',
      () => '42',
      () => unicode(),
      () => [],
      () => [current],
      () => ({}),
      () => ({ id: 'x' }),
      () =>
        typeof current === 'string'
          ? int(1_000_000)
          : typeof current === 'object' && current !== null && !Array.isArray(current)
            ? [current]
            : JSON.stringify(current),
    ];
    if (allowBig && random() < 0.02) return deep(10_000);
    return pick(choices)();
  };

  /** Every path to a value in the tree (arrays capped so a 20-commit push does not dominate). */
  const paths = (
    value: Json,
    prefix: Array<string | number> = [],
    out: Array<Array<string | number>> = [],
  ): Array<Array<string | number>> => {
    if (out.length > 400) return out;
    if (Array.isArray(value)) {
      value.slice(0, 3).forEach((item, index) => {
        out.push([...prefix, index]);
        paths(item, [...prefix, index], out);
      });
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        out.push([...prefix, key]);
        paths(item, [...prefix, key], out);
      }
    }
    return out;
  };
  const parentOf = (root: Json, path: Array<string | number>): Record<string | number, Json> | undefined => {
    let node: Json = root;
    for (const key of path.slice(0, -1)) {
      if (node === null || typeof node !== 'object') return undefined;
      node = (node as Record<string | number, Json>)[key] ?? null;
    }
    return node !== null && typeof node === 'object' ? (node as Record<string | number, Json>) : undefined;
  };

  const mutateTree = (root: Json, allowBig: boolean): string => {
    const all = paths(root);
    const path = all[int(all.length)];
    if (path === undefined) return 'none';
    const parent = parentOf(root, path);
    const key = path[path.length - 1] as string | number;
    if (parent === undefined) return 'none';
    const roll = random();
    if (roll < 0.3) {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      return 'delete';
    }
    if (roll < 0.4 && typeof parent[key] === 'string') {
      parent[key] = allowBig && random() < 0.05 ? huge() : unicode();
      return 'string';
    }
    parent[key] = wrongValue(parent[key] ?? null, allowBig);
    return 'replace';
  };

  const rawMutation = (bytes: Buffer): Buffer => {
    switch (int(8)) {
      case 0:
        return bytes.subarray(0, int(bytes.length));
      case 1: {
        const at = int(bytes.length);
        return Buffer.concat([
          bytes.subarray(0, at),
          Buffer.from(pick([[0xff], [0xc3, 0x28], [0xe2, 0x82], [0xf0, 0x9f, 0x92], [0xc0, 0xaf], [0xed, 0xa0, 0x80]])),
          bytes.subarray(at),
        ]);
      }
      case 2:
        return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
      case 3:
        return Buffer.concat([bytes, Buffer.from(pick([' garbage', '}', ']]', '\u0000', ',{}']))]);
      case 4:
        return Buffer.from(
          pick(['', ' ', 'null', 'true', '0', '"push"', '[]', '[{}]', '{}', '{"project":', '\u0000\u0001', 'NaN', '1e999']),
        );
      case 5: {
        const copy = Buffer.from(bytes);
        for (let i = 0; i < 1 + int(20); i += 1) copy[int(copy.length)] = int(256);
        return copy;
      }
      case 6:
        // Duplicate keys: the last one wins in JSON.parse.
        return Buffer.from(bytes.toString('utf8').replace('"project":', '"project":null,"project":'));
      default:
        return Buffer.from(`{${JSON.stringify(unicode())}:${deepText(1 + int(50))},"n":${random()}}`);
    }
  };

  const headerMutation = (c: Case): void => {
    switch (int(9)) {
      case 0:
        c.headers['x-gitlab-token'] = undefined;
        c.headerVerdict = 401;
        break;
      case 1:
        c.headers['x-gitlab-token'] = pick(['wrong', TEST_SECRET.toUpperCase(), `${TEST_SECRET}x`, 'x'.repeat(5000)]);
        c.headerVerdict = 401;
        break;
      case 2:
        c.headers['content-type'] = pick([
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/xml',
          'application/json; charset=latin1',
          'application/json; charset=utf-16',
        ]);
        c.headerVerdict = 415;
        break;
      case 3:
        c.headers['content-type'] = undefined;
        c.headerVerdict = 415;
        break;
      case 4:
        c.headers['content-encoding'] = pick(['gzip', 'br', 'deflate']);
        c.headerVerdict = 415;
        break;
      case 5:
        c.headers['x-gitlab-event'] = pick([
          'Pipeline Hook',
          'Job Hook',
          'push hook',
          'System Hook',
          'Wiki Page Hook',
          'Totally Unknown',
          'x'.repeat(300),
        ]);
        c.event = c.headers['x-gitlab-event'] ?? '';
        c.headerVerdict = 'ignored';
        break;
      case 6:
        c.headers['x-gitlab-event'] = undefined;
        c.headerVerdict = 400;
        break;
      case 7:
        // Another handled event's name on this body: decided by the body.
        c.event = pick(EVENTS);
        c.headers['x-gitlab-event'] = c.event;
        break;
      default:
        c.headers['content-type'] = pick(['application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json;charset="UTF-8"']);
    }
  };

  /** A string field of the payload set to 1–5 MB. */
  const hugeField = (root: Json): void => {
    const all = paths(root).filter((path) => typeof parentOf(root, path)?.[path[path.length - 1] as string | number] === 'string');
    const path = pick(all);
    const parent = parentOf(root, path);
    if (parent !== undefined) parent[path[path.length - 1] as string | number] = huge();
  };
  /** Any field of the payload replaced by 10 000 levels of nesting. */
  const deepField = (root: Json): void => {
    const path = pick(paths(root));
    const parent = parentOf(root, path);
    if (parent !== undefined) parent[path[path.length - 1] as string | number] = deep(10_000);
  };

  /** The tree as JSON bytes, each deep marker replaced by that many levels of nesting. */
  const serialize = (tree: Json): Buffer =>
    Buffer.from(JSON.stringify(tree).replace(/"\\u0000deep:(\d+)"/g, (_match, levels: string) => deepText(Number(levels))));

  return { int, pick, mutateTree, rawMutation, headerMutation, deep, unicode, hugeField, deepField, serialize };
}

function buildCase(index: number, random: () => number, fuzz: ReturnType<typeof makeFuzzer>, bases: ReturnType<typeof basePayloads>): Case {
  const base = fuzz.pick(bases);
  const tree = structuredClone(base.body);
  const c: Case = { kind: '', event: base.event, body: Buffer.alloc(0), headers: { 'x-gitlab-event': base.event } };
  const roll = random();
  // Huge and deep values only now and then: they are slow to send, not more interesting each time.
  const allowBig = index % 40 === 0;
  if (index % 250 === 0) {
    fuzz.hugeField(tree);
    c.kind = 'huge-string';
    c.body = fuzz.serialize(tree);
  } else if (index % 250 === 125) {
    fuzz.deepField(tree);
    c.kind = 'deep-10k';
    c.body = fuzz.serialize(tree);
  } else if (roll < 0.6) {
    const kinds = Array.from({ length: 1 + fuzz.int(3) }, () => fuzz.mutateTree(tree, allowBig));
    c.kind = `tree:${kinds.join('+')}`;
    c.body = fuzz.serialize(tree);
  } else if (roll < 0.78) {
    c.kind = 'raw';
    c.body = fuzz.rawMutation(Buffer.from(JSON.stringify(tree)));
  } else if (roll < 0.9) {
    c.kind = 'headers';
    c.body = fuzz.serialize(tree);
    fuzz.headerMutation(c);
  } else if (roll < 0.95) {
    c.kind = 'random-json';
    c.body = fuzz.serialize(
      random() < 0.5 ? fuzz.deep(1 + fuzz.int(10_000)) : { object_kind: fuzz.unicode(), project: fuzz.unicode(), commits: fuzz.int(5) },
    );
  } else {
    c.kind = 'valid';
    c.body = fuzz.serialize(tree);
  }
  try {
    c.parsed = JSON.parse(c.body.toString('utf8'));
  } catch {
    c.parsed = undefined;
  }
  return c;
}

/** What the rules say the answer must be: an exact status, or "a 2xx" for a well-formed payload. */
function expectedStatus(c: Case): number | '2xx' {
  if (c.headerVerdict === 401) return 401;
  if (c.headerVerdict === 400) return 400;
  if (c.headerVerdict === 415) return 415;
  if (c.headerVerdict === 'ignored') return 200;
  if (c.body.length === 0 || c.parsed === undefined) return 400;
  return wellFormed(c.event as HandledEvent, c.parsed) ? '2xx' : 400;
}

describe.each(['fast', 'express'] as const)('webhook fuzz (%s path)', (path) => {
  const prefix = uniquePrefix(`fuzz-${path}`);
  let bot: BotUnderTest;
  let admin: Redis;

  beforeAll(async () => {
    admin = testRedis();
    const settings = testSettings({
      config: { handbook: { project: HANDBOOK.path, pages: ['content/job-families/**/*.md'] }, recruiting: { project: RECRUITING.path } },
      env: { queuePrefix: prefix },
    });
    bot = await startBot({ path, prefix, settings });
  });
  afterAll(async () => {
    await bot.close();
    await removePrefix(admin, prefix);
    admin.disconnect();
  });

  it(`answers ${CASES[path]} seeded hostile deliveries without a 5xx, and queues jobs only for well-formed ones`, async () => {
    const random = createPrng(SEED + (path === 'fast' ? 0 : 1));
    const fuzz = makeFuzzer(random);
    const bases = basePayloads();
    const queuedIds = new Set<string>();
    const tally: Record<string, number> = {};
    let jobs = await bot.jobCount();
    const started = performance.now();

    for (let index = 0; index < CASES[path]; index += 1) {
      const c = buildCase(index, random, fuzz, bases);
      const reply = await bot.post(c.headers['x-gitlab-event'], c.body, { headers: { ...c.headers } });
      const label = `case ${index} (${c.kind}, ${c.event}): ${reply.status} ${reply.text.slice(0, 200)}`;
      tally[`${reply.status}`] = (tally[`${reply.status}`] ?? 0) + 1;

      expect(reply.status, label).toBeLessThan(500);
      expect(reply.text, label).not.toMatch(/\bat .*\.(ts|js):\d+/);
      expect(typeof reply.json.status, label).toBe('string');
      const expected = expectedStatus(c);
      if (expected === '2xx') expect([200, 202], label).toContain(reply.status);
      else expect(reply.status, label).toBe(expected);

      const after = await bot.jobCount();
      if (reply.status === 202) {
        const ids = reply.json.jobs as string[];
        expect(ids.length, label).toBeGreaterThan(0);
        const fresh = ids.filter((id) => !queuedIds.has(id));
        for (const id of ids) queuedIds.add(id);
        // A mutated field the job id does not depend on queues nothing new: the ids are deterministic.
        expect(after - jobs, label).toBeLessThanOrEqual(fresh.length);
      } else {
        expect(after, label).toBe(jobs);
      }
      jobs = after;
    }
    expect(await bot.jobCount()).toBe(queuedIds.size);
    console.info(
      `[fuzz ${path}] ${CASES[path]} cases in ${Math.round(performance.now() - started)} ms; statuses ${JSON.stringify(tally)}; ${queuedIds.size} distinct jobs queued`,
    );

    // Still alive and still right: health, and a good delivery queues its job.
    expect((await bot.get('/healthz')).status).toBe(200);
    const push = handbookPush();
    push.after = 'f'.repeat(40);
    const good = await bot.post('Push Hook', push);
    expect(good.status).toBe(202);
    expect(good.json.jobs).toEqual(expect.arrayContaining([expect.stringContaining('page-sync')]));
    expect(bot.logs.some((line) => line.level >= 50)).toBe(false);
  });
});

// The page used by handbookPush() is a job-family page of this config.
it('fuzz baseline: the unmutated payloads are well-formed by the oracle', () => {
  for (const { event, body } of basePayloads()) expect(wellFormed(event, body), event).toBe(true);
  expect(PAGE_A).toMatch(/^content\/job-families\//);
});
