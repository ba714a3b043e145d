import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/cli/check.js';
import { runDiff } from '../../src/cli/diff.js';
import { runPlan } from '../../src/cli/plan.js';
import type { CliIo } from '../../src/cli/io.js';
import { configSchema } from '../../src/config/schema.js';
import { resolveConfig } from '../../src/config/load.js';
import type { JobFamilyPage } from '../../src/jobfamily/model.js';
import { CORPUS_DIR, HISTORY_DIR, SEEDS_DIR } from '../support/fixture-paths.js';

const config = resolveConfig(
  configSchema.parse({
    handbook: { project: 'acme/handbook' },
    review: {
      rules: [
        { when: 'grade-changed', reviewers: ['total-rewards-lead'], labels: ['job-family::grade-change'] },
        { when: 'hiring-process-changed', reviewers: ['recruiting-lead'] },
      ],
    },
  }),
);

function capture(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (line) => out.push(line), stderr: (line) => err.push(line) };
}

const scratch = mkdtempSync(join(tmpdir(), 'hbt-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const seedPath = (name: string) => join(SEEDS_DIR, name);

describe('check', () => {
  it('prints one page model for one file, with the contract fields', () => {
    const io = capture();
    expect(runCheck([seedPath('security-leadership.md')], { json: true, config, io })).toBe(0);
    const page = JSON.parse(io.out.join('\n')) as JobFamilyPage;
    expect(page.title).toBe('Security Leadership');
    expect(page.roles.map((role) => [role.name, role.grade])).toEqual([
      ['Senior Manager, Security', 9],
      ['Director, Security', 10],
      ['Senior Director, Security', 11],
      ['Vice President (VP) of Security', 12],
    ]);
    for (const key of ['path', 'description', 'responsibilities', 'requirements', 'performanceIndicators', 'okrs', 'problems']) {
      expect(page).toHaveProperty(key);
    }
  });

  it('prints an array in argument order for several files, and walks directories with the page globs', () => {
    const io = capture();
    expect(runCheck([seedPath('threat-management.md'), seedPath('security-leadership.md')], { json: true, config, io })).toBe(0);
    expect((JSON.parse(io.out.join('\n')) as JobFamilyPage[]).map((page) => page.title)).toEqual([
      'Threat Management Roles',
      'Security Leadership',
    ]);

    const dirIo = capture();
    runCheck([CORPUS_DIR], { json: true, config, io: dirIo });
    expect((JSON.parse(dirIo.out.join('\n')) as JobFamilyPage[]).length).toBe(215);
  });

  it('exits 1 when a page has an error problem, naming file and line', () => {
    const broken = join(scratch, 'broken.md');
    writeFileSync(broken, '---\nlayout: job_family_page\ntitle: [unclosed\n---\n\n## Role\n');
    const io = capture();
    expect(runCheck([broken], { json: false, config, io })).toBe(1);
    expect(io.out.some((line) => /^.*broken\.md:[34]: error: invalid YAML in front matter/.test(line))).toBe(true);
  });

  it('exits 1 when two pages give the same slug, naming both files and how to fix it', () => {
    const source = readFileSync(seedPath('threat-management.md'), 'utf8');
    const a = join(scratch, 'job-families', 'security', 'threat-management.md');
    const b = join(scratch, 'job-families', 'engineering', 'threat-management.md');
    mkdirSync(dirname(a), { recursive: true });
    mkdirSync(dirname(b), { recursive: true });
    writeFileSync(a, source);
    writeFileSync(b, source);
    const io = capture();
    expect(runCheck([a, b], { json: false, config, io })).toBe(1);
    expect(io.out.filter((line) => line.includes('slug'))).toEqual([
      `${b}: error: the job-family slug "threat-management" is also given by ${a}; both pages would share one OKR issue and the label job-family::threat-management. Rename one of the files (the slug is the file name below the department folder).`,
      `${a}: error: the job-family slug "threat-management" is also given by ${b}; both pages would share one OKR issue and the label job-family::threat-management. Rename one of the files (the slug is the file name below the department folder).`,
    ]);
    // With --json the page models stay valid JSON on stdout; the collision goes to stderr.
    const jsonIo = capture();
    expect(runCheck([a, b], { json: true, config, io: jsonIo })).toBe(1);
    expect((JSON.parse(jsonIo.out.join('\n')) as JobFamilyPage[]).length).toBe(2);
    expect(jsonIo.err).toHaveLength(2);
  });

  it('exits 2 with one clear line for a missing file', () => {
    const io = capture();
    expect(runCheck(['no/such/page.md'], { json: false, config, io })).toBe(2);
    expect(io.err).toEqual(['handbook-bot: cannot read no/such/page.md: no such file or directory']);
  });
});

describe('diff', () => {
  it('shows the grade changes of a history pair and the checklist that would be posted', () => {
    const base = 'sites__uncategorized__source__job-families__marketing__product-marketing-manager__index.html';
    const io = capture();
    expect(runDiff(join(HISTORY_DIR, `${base}.before.md`), join(HISTORY_DIR, `${base}.after.md`), { json: true, config, io })).toBe(0);
    const result = JSON.parse(io.out.join('\n')) as { checklist: { body: string; labels: string[] } };
    expect(result.checklist.body).toContain('<!-- handbook-bot:review-checklist -->');
    expect(result.checklist.body).toMatch(/\*\*Grade\*\*.*8 → 7/);
    expect(result.checklist.body).toContain('@total-rewards-lead');
    expect(result.checklist.labels).toEqual(['job-family::grade-change']);
  });
});

describe('plan', () => {
  it('plans the OKR issue, the stage labels and the board of a page without GitLab', () => {
    const io = capture();
    const now = new Date('2026-11-22T12:00:00Z');
    expect(runPlan(seedPath('threat-management.md'), { json: true, config, io, now })).toBe(0);
    const plan = JSON.parse(io.out.join('\n')) as {
      okrIssue: { title: string; labels: string[]; dueDate: string };
      labels: Array<{ name: string }>;
      board: { name: string; lists: string[] };
    };
    expect(plan.okrIssue.title).toBe('OKRs: Threat Management Roles — FY27-Q4');
    expect(plan.okrIssue.dueDate).toBe('2027-01-31');
    expect(plan.okrIssue.labels).toEqual(['OKR', 'job-family::threat-management']);
    // The role reports to the Sr. Manager of Threat Management, who does not interview: the Director is the skip level.
    const stages = ['screening', 'team-interviews', 'executive', 'offer'].map((stage) => `hiring-stage::${stage}`);
    expect(plan.labels.map((label) => label.name)).toEqual(stages);
    expect(plan.board).toEqual({ name: 'Hiring pipeline', lists: stages });
  });
});

describe('the handbook-bot command', () => {
  const run = promisify(execFile);
  const cli = resolve(import.meta.dirname, '../../src/cli.ts');
  const tsx = resolve(import.meta.dirname, '../../node_modules/tsx/dist/cli.mjs');
  const env = { ...process.env, HANDBOOK_BOT_CONFIG: '', LOG_LEVEL: 'silent' };

  it('exits 2 on a usage error and on a missing file, without a stack trace', async () => {
    const usage = await run(process.execPath, [tsx, cli, 'check'], { env }).catch((error: { code: number; stderr: string }) => error);
    expect(usage).toMatchObject({ code: 2 });
    expect((usage as { stderr: string }).stderr).toContain("missing required argument 'paths'");

    const missing = await run(process.execPath, [tsx, cli, 'check', 'nope.md'], { env }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(missing).toMatchObject({ code: 2 });
    expect((missing as { stderr: string }).stderr.trim()).toBe('handbook-bot: cannot read nope.md: no such file or directory');
  });

  it('checks the seeds with exit 0', async () => {
    const { stdout } = await run(process.execPath, [tsx, cli, 'check', SEEDS_DIR], { env });
    expect(stdout).toContain('Security Leadership — 4 role(s), 4 with a grade');
  });
});
