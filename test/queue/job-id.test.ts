import { describe, expect, it } from 'vitest';
import { jobId } from '../../src/queue/jobs.js';

describe('jobId', () => {
  it('is deterministic for the same parts', () => {
    expect(jobId('page-sync', 15, 'content/job-families/a.md', 'abc')).toBe(jobId('page-sync', 15, 'content/job-families/a.md', 'abc'));
  });

  it('never contains ":" (BullMQ refuses it) and hashes free-form parts', () => {
    const id = jobId('page-sync', 'group/sub:project', 'content/job-families/a b.md', 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7');
    expect(id).not.toContain(':');
    expect(id).toMatch(/^page-sync\.[0-9a-f]{16}\.[0-9a-f]{16}\.da1560886d4f094c3e6c9ef40349f7d38b5d27d7$/);
  });

  it('differs when any part differs', () => {
    expect(jobId('page-sync', 15, 'a.md', 'c1')).not.toBe(jobId('page-sync', 15, 'a.md', 'c2'));
    expect(jobId('page-sync', 15, 'a.md', 'c1')).not.toBe(jobId('page-sync', 15, 'b.md', 'c1'));
  });
});
