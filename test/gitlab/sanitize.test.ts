import { describe, expect, it } from 'vitest';
import {
  DEFAULT_INLINE_MAX_LENGTH,
  sanitizeBlock,
  sanitizeInline,
  sanitizeTitle,
  sanitizeUrl,
  truncationNote,
} from '../../src/gitlab/sanitize.js';

const options = { allowedMentions: new Set(['total-rewards-lead', 'recruiting-lead']) };

/** Models of what GitLab acts on, applied to the raw markdown the bot would send. */
const gitlabModel = {
  /** A quick action: a line whose first non-space character is `/` followed by a command name. */
  quickAction: (body: string): boolean => body.split(/\r\n|\r|\n/u).some((line) => /^\s*\/[a-z_]+/u.test(line)),
  /** A mass mention, without a zero-width character between `@` and the name. */
  massMention: (body: string): boolean => /(^|[^\w])@(all|here|channel|everyone)\b/u.test(body),
  /** Any mention of a name, returning the names. */
  mentions: (body: string): string[] =>
    [...body.matchAll(/(?<![A-Za-z0-9_])@([A-Za-z0-9_.][A-Za-z0-9_.-]*(?:\/[A-Za-z0-9_.-]+)*)/gu)].map((m) =>
      (m[1] ?? '').replace(/\.+$/u, ''),
    ),
  /** Raw HTML: a tag or a comment opener. */
  html: (body: string): boolean => /<[A-Za-z!/?]/u.test(body),
};

describe('sanitizeInline', () => {
  it('neutralizes quick actions at the start of the text', () => {
    for (const text of ['/merge', '/close', ' /label ~x', '/assign @someone', '\t/approve']) {
      const out = sanitizeInline(text, options);
      expect(gitlabModel.quickAction(out), out).toBe(false);
      expect(out).toContain('/');
    }
  });

  it('collapses newlines so no later line can start a quick action', () => {
    const out = sanitizeInline('Do the work\n/merge\r\n/close\r/label ~x', options);
    expect(out).not.toMatch(/[\r\n]/u);
    expect(gitlabModel.quickAction(out)).toBe(false);
    expect(gitlabModel.quickAction(`- [ ] ${out}`)).toBe(false);
  });

  it('neutralizes mass mentions, groups and unknown users; keeps allowed users', () => {
    const out = sanitizeInline(
      'ping @all and @here, @channel, @someone-not-allowed, @gitlab-org/security, (@everyone) and @total-rewards-lead.',
      options,
    );
    expect(gitlabModel.massMention(out)).toBe(false);
    expect(gitlabModel.mentions(out)).toEqual(['total-rewards-lead']);
    expect(out).toContain('@total-rewards-lead.');
    // Still readable: the names are there, only a zero-width joiner follows the `@`.
    expect(out.replace(/\u200D/gu, '')).toContain('@someone-not-allowed');
  });

  it('compares allowed usernames case-insensitively but never allows mass mentions', () => {
    const out = sanitizeInline('@Total-Rewards-Lead and @all', { allowedMentions: new Set(['total-rewards-lead', 'all']) });
    expect(gitlabModel.mentions(out)).toEqual(['Total-Rewards-Lead']);
    expect(gitlabModel.massMention(out)).toBe(false);
  });

  it('treats a mention after a non-ASCII letter as a mention, as GitLab does', () => {
    const out = sanitizeInline('café@all', options);
    expect(gitlabModel.mentions(out)).toEqual([]);
  });

  it('leaves e-mail addresses and link destinations alone', () => {
    expect(sanitizeInline('write to jobs@example.com', options)).toBe('write to jobs@example.com');
    expect(sanitizeInline('[post](https://medium.com/@author/post)', options)).toBe('[post](https://medium.com/@author/post)');
  });

  it('neutralizes issue, merge request, epic and snippet references outside link destinations', () => {
    const out = sanitizeInline('see #123, group/project!45, &7, $8 and [this](/handbook/page#123)', options);
    expect(out.replace(/\]\([^)]*\)/gu, '')).not.toMatch(/[#!$]\d|&amp;\d/u);
    expect(out).toContain('](/handbook/page#123)');
    expect(sanitizeInline('grade 9 and #priority', options)).toBe('grade 9 and #priority');
  });

  it('defuses mentions hidden behind entities or backslashes', () => {
    for (const text of ['&#64;all', '\\@all', '@@all', '&commat;here']) {
      const out = sanitizeInline(text, options);
      expect(gitlabModel.massMention(out), out).toBe(false);
      expect(out).not.toMatch(/(?<!&amp;)&#64;|(?<!&amp;)&commat;/u);
    }
  });

  it('escapes HTML so tags, comments and markers are inert', () => {
    for (const text of [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '<!-- handbook-bot:review-checklist -->',
      '<details><summary>x</summary></details>',
    ]) {
      const out = sanitizeInline(text, options);
      expect(gitlabModel.html(out), out).toBe(false);
      expect(out).toContain('&lt;');
    }
    expect(sanitizeInline('R&D <b>', options)).toBe('R&amp;D &lt;b&gt;');
  });

  it('escapes markdown that would break the line it is embedded in', () => {
    expect(sanitizeInline('# heading', options)).toBe('\\# heading');
    expect(sanitizeInline('- [ ] fake item', options)).toBe('\\- [ ] fake item');
    expect(sanitizeInline('> quote', options)).toBe('&gt; quote');
    expect(sanitizeInline('| a | b |', options)).toBe('\\| a \\| b \\|');
    expect(sanitizeInline('1. first', options)).toBe('1\\. first');
    expect(sanitizeInline('a *b* `c`', options)).toBe('a \\*b\\* \\`c\\`');
    // A page's own backslash cannot cancel the escape.
    expect(sanitizeInline('\\`code', options)).toBe('\\\\\\`code');
  });

  it('turns images into plain text and breaks script URLs', () => {
    const image = sanitizeInline('![x](http://evil.example/pixel.png)', options);
    expect(image).not.toMatch(/(?<!\\)!\[/u);
    const escapedBang = sanitizeInline('\\![x](http://evil.example/pixel.png)', options);
    expect(escapedBang).not.toMatch(/!\[/u);
    const link = sanitizeInline('[click](javascript:alert(1)) [x](JavaScript :alert(1)) [y](vbscript:x)', options);
    expect(link).not.toMatch(/(java|vb)\s*script\s*:/iu);
    expect(sanitizeInline('[ok](https://example.com/a)', options)).toBe('[ok](https://example.com/a)');
  });

  it('truncates long text with a visible note', () => {
    const huge = 'x'.repeat(2 * 1024 * 1024);
    const out = sanitizeInline(huge, options);
    expect(out.length).toBeLessThan(DEFAULT_INLINE_MAX_LENGTH + 60);
    expect(out).toContain(truncationNote(huge.length - DEFAULT_INLINE_MAX_LENGTH));
    expect(sanitizeInline('abcdef', { ...options, maxLength: 3 })).toBe('abc … (truncated, 3 characters omitted)');
  });

  it('never splits a surrogate pair when truncating', () => {
    const out = sanitizeInline('ab😀cd', { ...options, maxLength: 3 });
    expect(out.startsWith('ab ')).toBe(true);
    expect(out).toContain('4 characters omitted');
  });

  it('keeps unicode text and strips control characters', () => {
    expect(sanitizeInline('Ingénieur · 安全 — ✓', options)).toBe('Ingénieur · 安全 — ✓');
    expect(sanitizeInline('a\u0000b\u0007c\uFEFF', options)).toBe('abc');
  });
});

describe('sanitizeBlock', () => {
  it('neutralizes a quick action on every line, with CRLF, CR and unicode separators', () => {
    const text = 'Intro\r\n/merge\r\n  /close\r/label ~x\u2028/assign me\nok /not-at-start';
    const out = sanitizeBlock(text, options);
    expect(gitlabModel.quickAction(out)).toBe(false);
    expect(out.split('\n')).toHaveLength(6);
    expect(out).toContain('ok /not-at-start');
  });

  it('keeps line structure, escapes HTML and neutralizes mentions', () => {
    const out = sanitizeBlock('- item @all\n<script>x</script>\n@recruiting-lead please look', options);
    expect(out).toBe('- item @\u200Dall\n&lt;script&gt;x&lt;/script&gt;\n@recruiting-lead please look');
    expect(gitlabModel.html(out)).toBe(false);
    expect(gitlabModel.massMention(out)).toBe(false);
  });

  it('truncates to 20,000 characters by default with a note on its own paragraph', () => {
    const out = sanitizeBlock('y'.repeat(2 * 1024 * 1024), options);
    expect(out.length).toBeLessThan(20_100);
    expect(out.endsWith(truncationNote(2 * 1024 * 1024 - 20_000))).toBe(true);
  });

  // How long this takes is measured by `npm run bench:hostile`.
  it('neutralizes all of a 2 MB hostile input', () => {
    const chunk = '/merge\n@all <script>alert(1)</script> ![x](javascript:alert(1))\n';
    const huge = chunk.repeat(Math.ceil((2 * 1024 * 1024) / chunk.length));
    const out = sanitizeBlock(huge, { ...options, maxLength: huge.length });
    expect(gitlabModel.quickAction(out)).toBe(false);
    expect(gitlabModel.massMention(out)).toBe(false);
    expect(gitlabModel.html(out)).toBe(false);
    expect(out).not.toMatch(/javascript\s*:/iu);
  });
});

describe('sanitizeTitle', () => {
  it('is one line, without mass mentions, at most 255 characters, angle brackets defused', () => {
    const out = sanitizeTitle(`Title\n/close @all <b>${'z'.repeat(400)}`, options);
    expect(out).not.toContain('\n');
    expect(gitlabModel.massMention(out)).toBe(false);
    expect(out.length).toBe(255);
    expect(out.endsWith('…')).toBe(true);
    expect(out).toContain('‹b›');
    expect(out).not.toMatch(/[<>]/u);
  });
});

describe('sanitizeUrl', () => {
  it('allows http(s), site-relative paths and fragments', () => {
    expect(sanitizeUrl('https://about.gitlab.com/handbook/#x')).toBe('https://about.gitlab.com/handbook/#x');
    expect(sanitizeUrl('/handbook/values/')).toBe('/handbook/values/');
    expect(sanitizeUrl('#anchor')).toBe('#anchor');
  });

  it('refuses script, data and protocol-relative URLs, and encodes characters that end a destination', () => {
    expect(sanitizeUrl('javascript:alert(1)')).toBeNull();
    expect(sanitizeUrl(' JAVASCRIPT:alert(1)')).toBeNull();
    expect(sanitizeUrl('data:text/html,<script>')).toBeNull();
    expect(sanitizeUrl('//evil.example/x')).toBeNull();
    expect(sanitizeUrl('https://x.example/a b')).toBeNull();
    expect(sanitizeUrl('https://x.example/a_(b)')).toBe('https://x.example/a_%28b%29');
  });
});

describe('review findings', () => {
  const options = { allowedMentions: new Set(['total-rewards-lead']) };
  const active = /(^|[^\w\u200D])@(all|here)\b/u;

  it('a lone "](" cannot hide a mass mention from the sanitizer', () => {
    for (const text of ['Drive OKRs with ](@here) now', 'Sec ](@all)', '](@all)']) {
      expect(sanitizeInline(text, options)).not.toMatch(active);
      expect(sanitizeBlock(text, options)).not.toMatch(active);
      expect(sanitizeTitle(text, options)).not.toMatch(active);
    }
  });

  it('a real link keeps its destination and loses the mentions of its text', () => {
    expect(sanitizeInline('see [@all docs](https://example.com/@team/page)', options)).toBe(
      'see [@\u200Dall docs](https://example.com/@team/page)',
    );
  });

  it('titles carry no raw HTML', () => {
    const title = sanitizeTitle('Sec <img src=https://evil.example/t.png> <script>x</script>', options);
    expect(title).not.toMatch(/[<>]/u);
    expect(title).toBe('Sec ‹img src=https://evil.example/t.png› ‹script›x‹/script›');
  });
});
