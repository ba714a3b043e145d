import { resolve } from 'node:path';

/**
 * Where the test material lives: test/fixtures/ in this repository (origins and licences in
 * test/fixtures/SOURCES.md). The one place that knows these paths; tests, bench scripts and the e2e
 * support read through it, so a clone of the repository alone has everything it needs.
 */

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const FIXTURES_DIR = resolve(REPO_ROOT, 'test/fixtures');

/** The two job-family pages the project started from (security-leadership.md, threat-management.md). */
export const SEEDS_DIR = resolve(FIXTURES_DIR, 'seeds');
/** 215 real job-family pages, file name = repository path with `/` → `__`. */
export const CORPUS_DIR = resolve(FIXTURES_DIR, 'corpus/job-families');
/** Repository, commit, path and saved file (relative to corpus/) of each corpus page. */
export const CORPUS_MANIFEST = resolve(FIXTURES_DIR, 'corpus/MANIFEST.tsv');
/** Five real pages in two versions each (`<name>.before.md`, `<name>.after.md`). */
export const HISTORY_DIR = resolve(FIXTURES_DIR, 'corpus/history');
/** A git bundle of 39 consecutive real commits to the job-family folder, and its MANIFEST.tsv. */
export const HISTORY_BUNDLE = resolve(FIXTURES_DIR, 'history/job-families-2022-08.bundle');
export const HISTORY_BUNDLE_MANIFEST = resolve(FIXTURES_DIR, 'history/MANIFEST.tsv');
/** GitLab's published example webhook payloads (push, merge_request, note_merge_request, issue). */
export const WEBHOOK_FIXTURES_DIR = resolve(FIXTURES_DIR, 'gitlab-webhooks');
/** GitLab's CI JSON schema (app/assets/javascripts/editor/schema/ci.json), for linting CI files. */
export const GITLAB_CI_SCHEMA = resolve(FIXTURES_DIR, 'gitlab-ci/ci.json');

/** A seed page's path, e.g. `seedPath('security-leadership.md')`. */
export function seedPath(name: string): string {
  return resolve(SEEDS_DIR, name);
}

/** A webhook payload's path, e.g. `webhookFixturePath('push')`. */
export function webhookFixturePath(name: string): string {
  return resolve(WEBHOOK_FIXTURES_DIR, `${name}.json`);
}
