import { describe, expect, it } from 'vitest';
import { beginMarker, endMarker, extractBlock, hasMarker, marker, markerKeys, parseAttributes } from '../../src/gitlab/markers.js';
import { updateDescription } from '../../src/actions/okr/issue-plan.js';

describe('markers', () => {
  it('renders hidden HTML comments, with or without a key', () => {
    expect(marker('review-checklist')).toBe('<!-- handbook-bot:review-checklist -->');
    expect(marker('okr', 'content/job-families/security/leadership.md')).toBe(
      '<!-- handbook-bot:okr content/job-families/security/leadership.md -->',
    );
  });

  it('rejects kinds and keys that would break the comment or the begin/end pair', () => {
    expect(() => marker('Review')).toThrow(/lower-case/);
    expect(() => marker('begin')).toThrow();
    expect(() => marker('okr', 'a --> b')).toThrow(/key/);
    expect(() => marker('okr', 'two\nlines')).toThrow(/key/);
    expect(() => marker('okr', '')).toThrow(/key/);
  });

  it('finds markers: any of a kind without key, the exact one with a key', () => {
    const body = `Intro\n${marker('okr', 'a.md')}\nmore`;
    expect(hasMarker(body, 'okr')).toBe(true);
    expect(hasMarker(body, 'okr', 'a.md')).toBe(true);
    expect(hasMarker(body, 'okr', 'b.md')).toBe(false);
    expect(hasMarker(body, 'review-checklist')).toBe(false);
    expect(hasMarker(`${marker('review-checklist')}\n### Checklist`, 'review-checklist')).toBe(true);
    expect(hasMarker(null, 'okr')).toBe(false);
    // A longer kind sharing a prefix is a different marker.
    expect(hasMarker(marker('okr-extra'), 'okr')).toBe(false);
  });

  it('lists the keys of a kind in order', () => {
    expect(markerKeys(`${marker('page', 'a.md')} x ${marker('page')} ${marker('page', 'b.md')}`, 'page')).toEqual(['a.md', '', 'b.md']);
  });
});

describe('the bot-owned block', () => {
  const block = (content: string, attributes: Record<string, string> = {}) => `${beginMarker(attributes)}\n${content}\n${endMarker}`;
  const human = 'Notes by people.\r\n\r\n- [x] a human checkbox\r\n';

  it('is appended after a blank line when absent', () => {
    expect(updateDescription('Free text', block('generated'))).toBe(
      'Free text\n\n<!-- handbook-bot:begin -->\ngenerated\n<!-- handbook-bot:end -->',
    );
    expect(updateDescription('Free text\n\n', block('g'))).toBe('Free text\n\n<!-- handbook-bot:begin -->\ng\n<!-- handbook-bot:end -->');
    expect(updateDescription('', block('g'))).toBe(block('g'));
    expect(updateDescription(null, block('g'))).toBe(block('g'));
  });

  it('is replaced in place, keeping the text around it byte for byte', () => {
    const after = '\r\n\r\nTrailing words — with unicode ✓ and   spaces  \r\n';
    const text = `${human}${block('old line 1\nold line 2', { commit: 'aaa' })}${after}`;
    const next = updateDescription(text, block('new', { commit: 'bbb', committed: '2026-11-20T10:00:00Z' }));
    expect(next).toBe(
      `${human}<!-- handbook-bot:begin commit=bbb committed=2026-11-20T10:00:00Z -->\nnew\n<!-- handbook-bot:end -->${after}`,
    );
    // Replacing again with the same content changes nothing: a second run writes nothing new.
    expect(updateDescription(next, block('new', { commit: 'bbb', committed: '2026-11-20T10:00:00Z' }))).toBe(next);
  });

  it('extracts content and attributes', () => {
    const text = `before\n${beginMarker({ commit: 'abc123', committed: '2026-11-20T10:00:00Z' })}\n- [ ] KR 1\n- [x] KR 2\n<!-- handbook-bot:end -->\nafter`;
    const block = extractBlock(text);
    expect(block).toMatchObject({
      content: '- [ ] KR 1\n- [x] KR 2',
      attributes: { commit: 'abc123', committed: '2026-11-20T10:00:00Z' },
    });
    expect(text.slice(block?.start, block?.end)).toMatch(/^<!-- handbook-bot:begin .*<!-- handbook-bot:end -->$/s);
    expect(extractBlock('no block here')).toBeNull();
    expect(extractBlock('<!-- handbook-bot:begin -->\nunterminated')).toBeNull();
  });

  it('ignores a stray begin marker before the real block', () => {
    const text = `<!-- handbook-bot:begin -->\nhuman pasted this\n\n${block('real')}\ntail`;
    expect(extractBlock(text)?.content).toBe('real');
    expect(updateDescription(text, block('next'))).toBe(`<!-- handbook-bot:begin -->\nhuman pasted this\n\n${block('next')}\ntail`);
  });

  it('refuses attribute values that would break the marker', () => {
    expect(() => beginMarker({ commit: 'a b' })).toThrow(/commit/);
    expect(() => beginMarker({ commit: 'x-->' })).toThrow(/commit/);
    expect(() => beginMarker({ 'bad name': 'x' })).toThrow(/name/);
  });

  it('parses key=value attributes', () => {
    expect(parseAttributes(' commit=abc committed=2026-11-20T10:00:00Z junk ')).toEqual({
      commit: 'abc',
      committed: '2026-11-20T10:00:00Z',
    });
  });
});
