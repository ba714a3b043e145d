/**
 * Makes page text safe to write into GitLab notes and descriptions (DESIGN §4): the text may be shown,
 * but it can never act. Notes created through the API run quick actions, GitLab turns `@name` into
 * notifications and `#123` into links, and raw HTML passes through GitLab's own sanitizer in ways we do
 * not want to depend on. Everything copied from a page goes through `sanitizeInline` (one line inside
 * the bot's own markdown) or `sanitizeBlock` (multi-line text), or `sanitizeTitle` (an issue title).
 *
 * The neutralizations keep the text readable:
 * - quick actions: a line whose first non-space character is `/` gets a markdown escape (`\/close`):
 *   GitLab looks for `/command` at the start of the raw line, and the escape renders as a plain `/`;
 * - mentions: `@` followed by a name that is not an allowed username (and always `@all`, `@here`, …,
 *   and `group/subgroup` paths) gets a zero-width joiner after the `@`, which GitLab's username
 *   pattern does not accept;
 * - references: `#123`, `!45`, `&7`, `$8` get the same joiner, so a page cannot make the bot's note
 *   post "mentioned in" notes on arbitrary issues and merge requests;
 * - HTML: `&`, `<`, `>` become entities, so tags, comments (marker spoofing) and entity tricks
 *   (`&#64;all`) stay text;
 * - images become plain text (`!\[x](…)`) so a page cannot make every reader's browser fetch a URL;
 *   links stay links, but `javascript:` / `vbscript:` schemes are broken;
 * - length: text beyond `maxLength` is cut with a visible note.
 */

export interface SanitizeOptions {
  /** Usernames (without `@`) that may stay real mentions; compared case-insensitively, like GitLab. */
  allowedMentions: ReadonlySet<string>;
  /** Characters of source text kept (after whitespace handling); the rest is replaced by a note. */
  maxLength?: number;
}

export const DEFAULT_INLINE_MAX_LENGTH = 500;
export const DEFAULT_BLOCK_MAX_LENGTH = 20_000;
/** GitLab's limit for issue titles. */
export const TITLE_MAX_LENGTH = 255;

const ZWJ = '\u200D';

/** Mentions that notify many people; never allowed, even if a config lists them as usernames. */
const MASS_MENTIONS = new Set(['all', 'here', 'channel', 'everyone']);

/**
 * `@` not preceded by an ASCII word character (GitLab's `(?<!\w)` is ASCII in Ruby, so `é@all` does
 * mention), then a username or a `group/sub/project` path, as GitLab's namespace pattern allows.
 */
const MENTION_OR_LINK =
  /\[([^\]\n]*)\]\(([^)\s]*)\)|(?<![A-Za-z0-9_])@([A-Za-z0-9_.][A-Za-z0-9_.-]*(?:\/[A-Za-z0-9_.-]+)*)|([#!$]|&amp;)(?=\d)/gu;

/** Script URL schemes; whitespace and control characters inside the scheme are ignored by browsers. */
const SCRIPT_SCHEME = /\b(java|vb)(\s*)(script)(\s*):/giu;

/** C0/C1 controls except tab and newline, plus the BOM: invisible, and some confuse renderers. */
const CONTROL = /(?![\t\n\r])[\p{Cc}\uFEFF]/gu;

/** One line of inline text, safe to embed in the bot's own markdown line. */
export function sanitizeInline(text: string, options: SanitizeOptions): string {
  const max = options.maxLength ?? DEFAULT_INLINE_MAX_LENGTH;
  const flat = normalizeNewlines(text).replace(/\s+/gu, ' ').trim();
  const { kept, omitted } = truncate(flat, max);
  // Backslashes first: a page's own `\` must not cancel the escapes added below.
  const out = escapeLeadingBlockMarker(escapeMarkdownText(escapeInlineSyntax(kept), options));
  return omitted > 0 ? `${out} ${truncationNote(omitted)}` : out;
}

/** Multi-line text (a description, a quoted section); every line is made inert. */
export function sanitizeBlock(text: string, options: SanitizeOptions): string {
  const max = options.maxLength ?? DEFAULT_BLOCK_MAX_LENGTH;
  const { kept, omitted } = truncate(normalizeNewlines(text), max);
  const lines = escapeMarkdownText(kept, options).split('\n').map(neutralizeQuickAction);
  const out = lines.join('\n');
  return omitted > 0 ? `${out}\n\n${truncationNote(omitted)}` : out;
}

/**
 * An issue title: GitLab renders titles as escaped text (no quick actions), so newlines, controls,
 * mass mentions and the length need care. Titles also travel into e-mails and integrations, so angle
 * brackets become look-alike characters: no raw HTML anywhere (HTML entities would show literally).
 */
export function sanitizeTitle(text: string, options: SanitizeOptions): string {
  const max = Math.min(options.maxLength ?? TITLE_MAX_LENGTH, TITLE_MAX_LENGTH);
  const flat = normalizeNewlines(text).replace(/\s+/gu, ' ').trim().replace(/</gu, '‹').replace(/>/gu, '›');
  const neutral = neutralizeMentions(flat, options.allowedMentions);
  if (neutral.length <= max) return neutral;
  return `${cutAt(neutral, max - 1)}…`;
}

/**
 * A link target from a page, or `null` when it must not be linked: only http(s), site-relative
 * paths and fragments are allowed. Characters that would end a markdown link destination are encoded.
 */
export function sanitizeUrl(url: string): string | null {
  const trimmed = url.trim();
  if (trimmed === '' || trimmed.length > 2_000) return null;
  if (/[\p{Cc}\s]/u.test(trimmed)) return null;
  const isRelative = /^(?:\/(?!\/)|#)/u.test(trimmed);
  if (!isRelative) {
    let parsed: URL;
    try {
      parsed = new URL(trimmed);
    } catch {
      return null;
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  }
  return trimmed.replace(/[()<>"'`\\]/gu, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** The visible note that replaces cut text. */
export function truncationNote(omitted: number): string {
  return `… (truncated, ${omitted} characters omitted)`;
}

function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?|[\u2028\u2029\u0085]/gu, '\n').replace(CONTROL, '');
}

/** Keeps at most `max` UTF-16 units without splitting a surrogate pair. */
function truncate(text: string, max: number): { kept: string; omitted: number } {
  if (text.length <= max) return { kept: text, omitted: 0 };
  const kept = cutAt(text, Math.max(0, max));
  return { kept, omitted: text.length - kept.length };
}

function cutAt(text: string, max: number): string {
  const cut = text.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

/** HTML, mentions, images and script URLs: the same for inline and block text. */
function escapeMarkdownText(text: string, options: SanitizeOptions): string {
  // `&` first, so the entities we produce are not escaped twice; escaping every `&` also defuses
  // entity-encoded `@`, `/`, `javascript:` and friends.
  let out = text.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;');
  out = neutralizeMentions(out, options.allowedMentions);
  // `!\[` rather than `\![`: a page's own backslash before `!` cannot cancel an escaped bracket.
  out = out.replace(/!\[/gu, '!\\[');
  out = out.replace(SCRIPT_SCHEME, (_m, a: string, s1: string, b: string, s2: string) => `${a}${s1}${b}${s2}${ZWJ}:`);
  return out;
}

function neutralizeMentions(text: string, allowed: ReadonlySet<string>): string {
  const allowedLower = new Set([...allowed].map((name) => name.toLowerCase()));
  return text.replace(MENTION_OR_LINK, (match, linkText?: string, target?: string, name?: string, sigil?: string) => {
    // A whole link `[text](target)`: GitLab finds references in its text, never in its destination, so
    // the text is neutralized and the destination kept. Only a complete link counts: a lone `](@here)`
    // is text, and its mention is neutralized.
    if (target !== undefined) return `[${neutralizeMentions(linkText ?? '', allowed)}](${target})`;
    if (sigil !== undefined) return `${sigil}${ZWJ}`;
    if (name === undefined) return match;
    // A sentence may end right after a name: "ask @alice." mentions alice.
    const bare = name.replace(/\.+$/u, '').toLowerCase();
    const isUser = !bare.includes('/') && !MASS_MENTIONS.has(bare) && allowedLower.has(bare);
    return isUser ? match : `@${ZWJ}${name}`;
  });
}

/** A line that would start a quick action gets a markdown escape before its `/`. */
function neutralizeQuickAction(line: string): string {
  return line.replace(/^(\s*)\//u, '$1\\/');
}

/**
 * Inline text sits inside the bot's own markup (`*role*`, code spans, table cells): characters that
 * would pair with the bot's markup or split a table cell are escaped, and backslashes, so the page
 * cannot cancel an escape. Links (`[…](…)`) stay links.
 */
function escapeInlineSyntax(text: string): string {
  return text.replace(/[\\`*|~]/gu, (c) => `\\${c}`);
}

/**
 * Inline text may be placed at the start of a line by a caller: escape what would open a block there
 * (heading, quote, list item, task box, fence, table row, thematic break, quick action).
 */
function escapeLeadingBlockMarker(text: string): string {
  // `>` is already `&gt;`, which cannot open a quote.
  if (/^[/#+=_-]/u.test(text)) return `\\${text}`;
  const ordered = /^(\d{1,9})([.)])/u.exec(text);
  if (ordered) return `${ordered[1]}\\${text.slice(ordered[1]!.length)}`;
  return text;
}
