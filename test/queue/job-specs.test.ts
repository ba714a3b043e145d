import { describe, expect, it } from 'vitest';
import {
  commandJob,
  mrChecklistJob,
  pageReviewJob,
  pageSyncJob,
  pushResolveJob,
  recruitingIssueJob,
  syncAllJob,
} from '../../src/queue/job-specs.js';
import { jobId, type Trigger } from '../../src/queue/jobs.js';

const page = (trigger: Trigger) =>
  pageSyncJob({ projectId: 15, path: 'content/job-families/a.md', change: 'modified', commit: 'abc', trigger });

describe('job specs', () => {
  it('gives webhook work its deterministic id', () => {
    expect(page('webhook').id).toBe(jobId('page-sync', 15, 'content/job-families/a.md', 'abc'));
    expect(page('push-resolve').id).toBe(page('webhook').id);
    expect(pushResolveJob({ projectId: 15, ref: 'refs/heads/main', before: 'a', after: 'b', trigger: 'webhook' }).id).toBe(
      'push-resolve.15.a.b',
    );
    expect(mrChecklistJob({ projectId: 15, mrIid: 3, headSha: 'h', targetBranch: 'main', trigger: 'webhook' }).id).toBe(
      'mr-checklist.15.3.h',
    );
    expect(
      commandJob({
        projectId: 15,
        noteableKind: 'Issue',
        noteableIid: 1,
        noteId: 99,
        authorId: 1,
        authorUsername: 'a',
        commandText: 'help',
      }).id,
    ).toBe('command.15.99');
  });

  it('gives explicit re-runs a unique suffix, so a finished job cannot swallow them', () => {
    for (const trigger of ['sync', 'recheck', 'replay', 'reconcile'] as const) {
      const a = page(trigger).id;
      const b = page(trigger).id;
      expect(a.startsWith(`${page('webhook').id}.rerun-`)).toBe(true);
      expect(a).not.toBe(b);
      expect(a).not.toContain(':');
    }
    expect(page('sync').id).not.toBe(page('sync').id);
    expect(pageSyncJob(page('sync').data, 'n1').id).toBe(`${page('webhook').id}.rerun-n1`);
    // …and carry the deterministic id, so a re-run still pending swallows the same re-run.
    expect(page('sync').deduplicationId).toBe(page('webhook').id);
    expect(page('webhook').deduplicationId).toBeUndefined();
    expect(syncAllJob({ trigger: 'reconcile' }).id).toMatch(/^sync-all\.all\.rerun-/);
  });

  it('derives page-review ids from the parent, so a re-run parent gets fresh children', () => {
    const data = { projectId: 15, mrIid: 3, targetBranch: 'main', headSha: 'h', path: 'content/job-families/a.md' };
    const first = mrChecklistJob({ projectId: 15, mrIid: 3, headSha: 'h', targetBranch: 'main', trigger: 'webhook' }).id;
    const rerun = mrChecklistJob({ projectId: 15, mrIid: 3, headSha: 'h', targetBranch: 'main', trigger: 'recheck' }).id;
    expect(pageReviewJob(data, first).id).toBe(pageReviewJob(data, first).id);
    expect(pageReviewJob(data, rerun).id).not.toBe(pageReviewJob(data, first).id);
    expect(pageReviewJob({ ...data, path: undefined, oldPath: 'content/job-families/a.md' }, first).id).toBe(pageReviewJob(data, first).id);
  });

  it('tells issue events apart by time and change', () => {
    const base = {
      projectId: 2,
      issueIid: 5,
      action: 'update',
      addedLabels: [],
      updatedAt: '2026-11-02T10:00:00Z',
      trigger: 'webhook' as const,
    };
    expect(recruitingIssueJob(base).id).toBe(recruitingIssueJob({ ...base }).id);
    expect(recruitingIssueJob(base).id).not.toBe(recruitingIssueJob({ ...base, addedLabels: ['hiring-stage::offer'] }).id);
    expect(recruitingIssueJob(base).id).not.toBe(recruitingIssueJob({ ...base, updatedAt: '2026-11-02T10:00:01Z' }).id);
    expect(recruitingIssueJob(base).id).not.toContain(':');
  });
});
