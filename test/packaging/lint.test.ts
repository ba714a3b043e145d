import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { validate } from 'dockerfile-utils';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The Dockerfile and the CI files are linted here, from `npm test`, so a broken pipeline definition
 * fails the suite on this machine (which has no Docker engine and no GitLab): dockerfile-utils is the
 * validator behind VS Code's Dockerfile support; gitlab-ci-local checks against GitLab's CI JSON schema.
 */

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const gitlabCiLocal = join(root, 'node_modules/gitlab-ci-local/src/index.js');
const workDirs: string[] = [];

afterAll(() => {
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
});

/** Runs `gitlab-ci-local --preview` (schema validation) in a throwaway git repository holding the files. */
async function previewPipeline(files: Record<string, string>): Promise<{ ok: boolean; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'hbt-ci-lint-'));
  workDirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  await run('git', ['init', '-q', dir]);
  try {
    const { stdout, stderr } = await run(process.execPath, [gitlabCiLocal, '--preview'], { cwd: dir, timeout: 60_000 });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

  it('passes the Dockerfile validator', () => {
    expect(validate(dockerfile)).toEqual([]);
  });

  it('follows the image policy: multi-stage on Node 24 LTS, prod deps only, non-root, healthcheck, SIGTERM', () => {
    const stages = dockerfile.match(/^FROM node:24-[\w.-]+ AS \w+$/gm) ?? [];
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n?.*\/healthz/m);
    expect(dockerfile).toMatch(/^STOPSIGNAL SIGTERM$/m);
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/cli\.js", "serve"\]$/m);
  });

  it('the validator does reject a broken Dockerfile', () => {
    expect(validate('FROM node:24\nEXPOSE port\nHEALTHCHECK --interval=abc CMD true\n').length).toBeGreaterThan(0);
  });
});

describe('GitLab CI', () => {
  it('.gitlab-ci.yml passes GitLab\'s CI schema', async () => {
    const result = await previewPipeline({ '.gitlab-ci.yml': readFileSync(join(root, '.gitlab-ci.yml'), 'utf8') });
    expect(result.output).toContain('json schema validated');
    expect(result.ok).toBe(true);
  });

  it('the reusable check template is valid when a handbook project includes it', async () => {
    const result = await previewPipeline({
      'templates/handbook-check.gitlab-ci.yml': readFileSync(join(root, 'templates/handbook-check.gitlab-ci.yml'), 'utf8'),
      '.gitlab-ci.yml': [
        'include:',
        '  - local: templates/handbook-check.gitlab-ci.yml',
        'handbook-bot-check:',
        '  extends: .handbook-bot-check',
        '',
      ].join('\n'),
    });
    expect(result.output).toContain('json schema validated');
    expect(result.ok).toBe(true);
  });

  it('the schema check does reject an invalid pipeline', async () => {
    const result = await previewPipeline({ '.gitlab-ci.yml': 'build:\n  stage: test\n  scirpt: [echo]\n' });
    expect(result.ok).toBe(false);
  });
});
