import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { GITLAB_CI_SCHEMA, REPO_ROOT as root } from '../support/fixture-paths.js';
import { expandPipeline } from './gitlab-ci-expand.js';

/**
 * The Dockerfile and the CI files are linted here, from `npm test`, so a broken pipeline definition
 * fails the suite on this machine (which has no Docker engine and no GitLab): dockerfile-utils is the
 * validator behind VS Code's Dockerfile support; the CI files, with includes and `extends` expanded,
 * are checked against GitLab's own CI JSON schema (test/fixtures/gitlab-ci/ci.json, see SOURCES.md).
 */

// Not strict: GitLab's schema carries editor-only keywords (markdownDescription) and loose unions that
// ajv's strict mode refuses. Formats are not checked (the schema names some ajv does not know).
const ajv = new Ajv({ strict: false, allErrors: true, allowUnionTypes: true, validateFormats: false });
const validatePipeline = ajv.compile(JSON.parse(readFileSync(GITLAB_CI_SCHEMA, 'utf8')) as object);

function schemaErrors(files: Record<string, string>): ErrorObject[] {
  return validatePipeline(expandPipeline(files)) ? [] : [...(validatePipeline.errors ?? [])];
}

/** `/path: message` per error, so a failure says where the file is wrong. */
const describeErrors = (errors: ErrorObject[]): string[] =>
  errors.map((error) => `${error.instancePath || '/'}: ${error.message ?? error.keyword}`);

const file = (path: string): string => readFileSync(join(root, path), 'utf8');

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
  it(".gitlab-ci.yml passes GitLab's CI schema", () => {
    expect(describeErrors(schemaErrors({ '.gitlab-ci.yml': file('.gitlab-ci.yml') }))).toEqual([]);
  });

  it('the reusable check template is valid when a handbook project includes it', () => {
    const files = {
      'templates/handbook-check.gitlab-ci.yml': file('templates/handbook-check.gitlab-ci.yml'),
      '.gitlab-ci.yml': [
        'include:',
        '  - local: templates/handbook-check.gitlab-ci.yml',
        'handbook-bot-check:',
        '  extends: .handbook-bot-check',
        '',
      ].join('\n'),
    };
    expect(describeErrors(schemaErrors(files))).toEqual([]);
    // What was validated is the template's job, reached through the include and `extends`.
    expect(expandPipeline(files)['handbook-bot-check']).toMatchObject({
      image: { name: '${HANDBOOK_BOT_IMAGE}', entrypoint: [''] },
      script: [
        'handbook-bot check --json "$HANDBOOK_BOT_PAGES" > handbook-bot-check.json || status=$?',
        'handbook-bot check "$HANDBOOK_BOT_PAGES" || true',
        'exit "${status:-0}"',
      ],
    });
  });

  it('the schema check does reject an invalid pipeline: a misspelt job key', () => {
    const errors = schemaErrors({ '.gitlab-ci.yml': 'build:\n  stage: test\n  scirpt: [echo]\n' });
    expect(errors).toContainEqual(
      expect.objectContaining({ instancePath: '/build', keyword: 'additionalProperties', params: { additionalProperty: 'scirpt' } }),
    );
  });

  it('the schema check does reject a wrongly typed value in an included, extended job', () => {
    const files = {
      'ci/base.yml': '.base:\n  script: [echo]\n  retry: often\n',
      '.gitlab-ci.yml': 'include:\n  - local: ci/base.yml\njob:\n  extends: .base\n',
    };
    expect(describeErrors(schemaErrors(files))).toContain('/job/retry: must be integer');
  });
});
