import { describe, expect, it } from 'vitest';
import { pageUrlAt } from '../../../src/actions/okr/link.js';
import { missingLabels } from '../../../src/actions/shared/labels.js';
import { testConfig } from '../support/okr-context.js';

const PATH = 'content/job-families/security/security-leadership.md';
const SHA = '3f9a1c0e5b7d2468ace13579bdf02468ace13579';

describe('the OKR block link to the page at its commit', () => {
  it('uses the configured project path even when the job carries the numeric id (webhooks do)', () => {
    expect(pageUrlAt(testConfig(), 4242, SHA, PATH)).toBe(`https://gitlab.example.com/acme/handbook/-/blob/${SHA}/${PATH}`);
  });

  it('encodes path segments, keeps the slashes, and tolerates a base URL ending in /api/v4', () => {
    const config = testConfig({ gitlab: { url: 'https://gitlab.example.com/api/v4/' } });
    expect(pageUrlAt(config, 4242, SHA, 'content/job-families/r&d/lead #1.md')).toBe(
      `https://gitlab.example.com/acme/handbook/-/blob/${SHA}/content/job-families/r%26d/lead%20%231.md`,
    );
  });

  it('with only a numeric id, links the raw file at the commit through the API (no web route takes an id)', () => {
    const config = testConfig({ handbook: { project: 4242, pages: ['content/job-families/**/*.md'] } });
    expect(pageUrlAt(config, 4242, SHA, PATH)).toBe(
      `https://gitlab.example.com/api/v4/projects/4242/repository/files/content%2Fjob-families%2Fsecurity%2Fsecurity-leadership.md/raw?ref=${SHA}`,
    );
  });
});

describe('missingLabels', () => {
  it('is exact (a label differing in case is not the one `labels` applies) and keeps order', () => {
    expect(missingLabels(['OKR', 'job-family::x', 'OKR'], [{ name: 'okr' }, { name: 'job-family::x' }])).toEqual(['OKR']);
  });
});
