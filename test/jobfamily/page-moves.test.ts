import { describe, expect, it } from 'vitest';
import { withoutMovedAway, type PathChange } from '../../src/jobfamily/page-moves.js';

describe('withoutMovedAway', () => {
  it('drops the removal of a page that moved to a path with the same slug', () => {
    const changes = new Map<string, PathChange>([
      ['sites/uncategorized/source/job-families/security/security-leadership/index.html.md', 'removed'],
      ['content/job-families/security/security-leadership.md', 'added'],
      ['content/job-families/security/threat-management.md', 'removed'],
      ['content/job-families/finance/accountant.md', 'modified'],
    ]);
    expect([...withoutMovedAway(changes)]).toEqual([
      ['content/job-families/security/security-leadership.md', 'added'],
      ['content/job-families/security/threat-management.md', 'removed'],
      ['content/job-families/finance/accountant.md', 'modified'],
    ]);
  });

  it('keeps removals whose slug nothing brings back', () => {
    const changes = new Map<string, PathChange>([['content/job-families/a/x.md', 'removed']]);
    expect(withoutMovedAway(changes)).toEqual(changes);
  });
});
