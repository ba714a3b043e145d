import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planRuleLabels } from '../../../src/actions/review/labels-follow.js';
import { gateOfNote, gateVerdict } from '../../../src/actions/review/merge-gate.js';
import { parseReviewState, renderReviewState } from '../../../src/actions/review/review-state.js';
import { UserIdCache, planReviewers } from '../../../src/actions/review/reviewers.js';

/** The pure parts of the merge-request review: review state, rule labels, reviewers, the gate. */

const SHA = '9c1d3e5f7a9b1c3d5e7f9a1b3c5d7e9f1a3b5c7d';

describe('review state marker', () => {
  it('renders one HTML comment line and reads back what it wrote', () => {
    const state = {
      commit: SHA,
      blocking: ['0123456789ab', 'abcdefabcdef-2'],
      errors: 1,
      unreviewed: 0,
      labels: ['job-family::grade-change', 'needs review', 'a--b>c,d'],
    };
    const text = renderReviewState(state);
    expect(text).toBe(
      `<!-- handbook-bot:review-state commit=${SHA} blocking=0123456789ab,abcdefabcdef-2 errors=1 unreviewed=0 labels=job-family::grade-change,needs%20review,a%2D-b%3Ec%2Cd -->`,
    );
    expect(parseReviewState(`text\n${text}`)).toEqual(state);
  });

  it('round-trips any label names GitLab allows (no commas), and never ends the comment early', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ minLength: 1, maxLength: 20 }).filter((name) => !name.includes(',') && name.trim() === name && name !== ''),
          { maxLength: 5 },
        ),
        (labels) => {
          const text = renderReviewState({ commit: SHA, blocking: [], errors: 0, unreviewed: 0, labels });
          expect(text.indexOf('-->')).toBe(text.length - 3);
          expect(text).not.toMatch(/[\r\n]/u);
          expect(parseReviewState(text)?.labels).toEqual(labels);
        },
      ),
    );
  });

  it('a body without the marker has no state', () => {
    expect(parseReviewState('<!-- handbook-bot:review-checklist -->\n### Job-family review checklist')).toBeNull();
  });
});

describe('rule labels that follow the change', () => {
  it('adds what is wanted, removes only what the bot added and is no longer wanted', () => {
    expect(planRuleLabels(['job-family::grade-change'], ['security'], [])).toEqual({
      add: ['job-family::grade-change'],
      remove: [],
      owned: ['job-family::grade-change'],
    });
    expect(planRuleLabels([], ['security', 'job-family::grade-change'], ['job-family::grade-change'])).toEqual({
      add: [],
      remove: ['job-family::grade-change'],
      owned: [],
    });
    // Put there by a person before the bot wanted it: not owned, never removed.
    expect(planRuleLabels(['job-family::grade-change'], ['job-family::grade-change'], [])).toEqual({ add: [], remove: [], owned: [] });
    expect(planRuleLabels([], ['job-family::grade-change'], [])).toEqual({ add: [], remove: [], owned: [] });
    // A person took the bot's label off while the change is still there: added again, owned again.
    expect(planRuleLabels(['job-family::grade-change'], [], ['job-family::grade-change'])).toEqual({
      add: ['job-family::grade-change'],
      remove: [],
      owned: ['job-family::grade-change'],
    });
  });
});

describe('reviewers', () => {
  it('keeps the people already there and adds the known rule reviewers once; unknown ones are listed', () => {
    const ids = new Map<string, number | null>([
      ['total-rewards-lead', 21],
      ['recruiting-lead', 22],
      ['ghost', null],
    ]);
    expect(planReviewers(['total-rewards-lead', 'ghost', 'recruiting-lead'], ids, [{ id: 11, username: 'alice' }])).toEqual({
      reviewerIds: [11, 21, 22],
      unknown: ['ghost'],
    });
    expect(planReviewers(['total-rewards-lead'], ids, [{ id: 21, username: 'total-rewards-lead' }])).toEqual({
      reviewerIds: null,
      unknown: [],
    });
  });

  it('the user cache forgets after its TTL and drops the least recently used entry when full', () => {
    const cache = new UserIdCache(1000, 2);
    cache.set('alice', 11, 0);
    cache.set('ghost', null, 0);
    expect(cache.get('Alice', 999)).toBe(11);
    expect(cache.get('ghost', 999)).toBeNull();
    expect(cache.get('alice', 1000)).toBeUndefined();
    cache.set('a', 1, 0);
    cache.set('b', 2, 0);
    expect(cache.get('a', 1)).toBe(1);
    cache.set('c', 3, 0);
    expect([cache.get('a', 1), cache.get('b', 1), cache.get('c', 1)]).toEqual([1, undefined, 3]);
  });
});

describe('merge gate verdict', () => {
  const state = { commit: SHA, blocking: ['0123456789ab'], errors: 0, unreviewed: 0, labels: [] };
  it('failed on a check error, pending on an unreviewed page or an unticked blocking item, success otherwise', () => {
    expect(gateVerdict({ ...state, errors: 2 }, new Set(['0123456789ab']))).toEqual({
      state: 'failed',
      description: 'handbook-bot check found an error on a changed page',
    });
    expect(gateVerdict({ ...state, unreviewed: 1 }, new Set(['0123456789ab']))).toEqual({
      state: 'pending',
      description: 'A changed page could not be reviewed: recheck',
    });
    expect(gateVerdict(state, new Set())).toEqual({ state: 'pending', description: 'Blocking checklist items are not ticked yet' });
    expect(gateVerdict(state, new Set(['0123456789ab']))).toEqual({
      state: 'success',
      description: 'Every blocking checklist item is ticked',
    });
    expect(gateVerdict({ ...state, blocking: [] }, new Set())).toEqual({ state: 'success', description: 'No blocking checklist item' });
  });

  it('reads ticks and state from the note body alone', () => {
    const body = [
      '<!-- handbook-bot:review-checklist -->',
      '- [X] **Grade** of *Director, Security*: 10 → 11 · *needed to merge* <!-- handbook-bot:item 0123456789ab -->',
      `<!-- handbook-bot:review-state commit=${SHA} blocking=0123456789ab errors=0 unreviewed=0 labels= -->`,
    ].join('\n');
    expect(gateOfNote(body)).toEqual({
      commit: SHA,
      verdict: { state: 'success', description: 'Every blocking checklist item is ticked' },
    });
    expect(gateOfNote(body.replace('[X]', '[ ]'))?.verdict.state).toBe('pending');
  });
});
