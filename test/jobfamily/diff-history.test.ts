import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allChanges, diffPages, triggersOf, type Change, type PageDiff } from '../../src/jobfamily/diff.js';
import { parsePage } from '../../src/jobfamily/parse.js';
import { HISTORY_DIR } from '../support/fixture-paths.js';

/**
 * The five real page histories in test/fixtures/corpus/history: each pair's diff must say what the
 * change is known for (read with `diff before after`), and nothing else.
 */

function historyDiff(name: string): PageDiff {
  const base = `sites__uncategorized__source__job-families__${name}__index.html`;
  const path = `sites/uncategorized/source/job-families/${name.replaceAll('__', '/')}/index.html.md`;
  const read = (suffix: string) => parsePage(readFileSync(resolve(HISTORY_DIR, `${base}.${suffix}.md`), 'utf8'), path);
  return diffPages(read('before'), read('after'));
}

type Of<K extends Change['kind']> = Extract<Change, { kind: K }>;
const ofKind = <K extends Change['kind']>(diff: PageDiff, kind: K): Array<Of<K>> =>
  allChanges(diff).filter((change): change is Of<K> => change.kind === kind);

describe('history: product-management-leadership', () => {
  it('is one grade change: Group Manager, Product 9.5 → 9', () => {
    const diff = historyDiff('product__product-management-leadership');
    expect(allChanges(diff)).toEqual([
      expect.objectContaining({ kind: 'grade-changed', role: 'Group Manager, Product (GMP)', from: 9.5, to: 9 }),
    ]);
    expect(triggersOf(diff)).toEqual(new Set(['any', 'grade-changed']));
  });
});

describe('history: product-marketing-manager', () => {
  it('lowers every level by one grade (8 → 7, 9 → 8, 9.5 → 9) and removes the Partner and Channel Marketing level', () => {
    const diff = historyDiff('marketing__product-marketing-manager');
    expect(allChanges(diff)).toEqual([
      { kind: 'specialty-removed', role: null, specialty: 'Partner and Channel Marketing' },
      expect.objectContaining({ kind: 'grade-changed', role: 'Product Marketing Manager', from: 8, to: 7 }),
      expect.objectContaining({ kind: 'grade-changed', role: 'Senior Product Marketing Manager', from: 9, to: 8 }),
      expect.objectContaining({ kind: 'grade-changed', role: 'Principal Product Marketing Manager', from: 9.5, to: 9 }),
    ]);
    expect(triggersOf(diff)).toEqual(new Set(['any', 'grade-changed', 'role-removed']));
  });
});

describe('history: corporate-development', () => {
  it('adds a page-level hiring process of six steps, reported once', () => {
    const diff = historyDiff('legal-and-corporate-affairs__corporate-development');
    expect(diff.roles).toEqual([]);
    const added = ofKind(diff, 'hiring-step-added');
    expect(allChanges(diff)).toHaveLength(added.length);
    expect(added.map((c) => [c.role, c.position, c.step.text])).toEqual([
      [null, 1, 'Selected candidates will be invited to schedule a 30 minute screening call with one of our Global Recruiters.'],
      [
        null,
        2,
        'Candidates will then be invited to schedule an interview with the Hiring Manager (Sr. Director of Corporate Development).',
      ],
      [null, 3, 'Candidates will then be invited to schedule an interview with the Director of Product (Section leader).'],
      [null, 4, 'Next, candidates will be invited to schedule an interview with the Senior Director of Legal, Corporate.'],
      [null, 5, 'Next, candidates may be invited to schedule an interview with the Chief Legal Officer (as applicable).'],
      [null, 6, 'Successful candidates will subsequently be made an offer via email.'],
    ]);
    expect(added[0]!.step.stage).toBe('screening');
    expect(added[5]!.step.stage).toBe('offer');
    expect(triggersOf(diff)).toEqual(new Set(['any', 'hiring-process-changed']));
  });
});

describe('history: legal-counsel', () => {
  it('rewrites the hiring process: a hiring-manager interview added, interviews reworded, screening and last step kept', () => {
    const diff = historyDiff('legal-and-corporate-affairs__legal-counsel');
    expect(diff.roles).toEqual([]);
    const summary = diff.changes.map((c) =>
      c.kind === 'hiring-step-added'
        ? ['added', c.position, c.step.text]
        : c.kind === 'hiring-step-changed'
          ? ['changed', `${c.fromPosition}→${c.toPosition}`, c.to.text, c.edits.join('+')]
          : [c.kind],
    );
    expect(summary).toEqual([
      ['added', 2, 'Next, candidates will be invited to schedule an interview with the hiring manager.'],
      [
        'changed',
        '2→3',
        'Next, candidates will be invited to schedule an interview with the Director of Legal for the functional area.',
        'wording',
      ],
      [
        'changed',
        '3→4',
        'Next, candidates will be invited to schedule with additional team members of Legal and Corporate Affairs.',
        'wording',
      ],
      [
        'changed',
        '4→5',
        'Next, candidates will be invited to schedule an interview with our Chief Legal Officer (as applicable).',
        'wording',
      ],
    ]);
    expect(triggersOf(diff)).toEqual(new Set(['any', 'hiring-process-changed']));
  });
});

describe('history: data-science', () => {
  it('reorders the interviews: the Senior Director moves from third to last, the Data Science team comes first', () => {
    const diff = historyDiff('finance__data-science');
    const hiring = ofKind(diff, 'hiring-step-changed');
    expect(ofKind(diff, 'hiring-step-added')).toEqual([]);
    expect(ofKind(diff, 'hiring-step-removed')).toEqual([]);
    expect(hiring.map((c) => [c.fromPosition, c.toPosition, c.edits.join('+')])).toEqual([
      [6, 3, 'wording+order'],
      [4, 4, 'wording'],
      [5, 5, 'wording'],
      [3, 6, 'wording+order'],
    ]);
    expect(hiring[3]!.to.text).toBe(
      'Next, candidates will be invited to schedule an interview with the Senior Director, Data and Analytics',
    );
    expect(hiring[0]!.to.text).toBe('Next, candidates will be invited to schedule an interview with a member from our Data Science team');
    // No role, grade or list change; performance indicators (if the parser sees the edited ones) are edits, not new ones.
    expect(diff.roles).toEqual([]);
    expect(ofKind(diff, 'performance-indicator-added')).toEqual([]);
    expect(ofKind(diff, 'performance-indicator-removed')).toEqual([]);
    expect([...triggersOf(diff)].filter((t) => t !== 'performance-indicators-changed').sort()).toEqual(['any', 'hiring-process-changed']);
  });
});
