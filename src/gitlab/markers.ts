/**
 * The bot's hidden markers in GitLab text (HTML comments, invisible in rendered markdown). A marker is
 * how the bot finds its own note or issue again instead of creating a duplicate; the begin/end pair
 * delimits the part of a description the bot owns, so people may edit everything around it.
 */

const NAMESPACE = 'handbook-bot';
const KIND = /^[a-z][a-z0-9-]*$/;
const BEGIN_KIND = 'begin';
const END_MARKER = `<!-- ${NAMESPACE}:end -->`;

function checkKind(kind: string): void {
  if (!KIND.test(kind) || kind === BEGIN_KIND || kind === 'end') {
    throw new Error(`marker kind must be lower-case words joined by "-" (and not begin/end), got ${JSON.stringify(kind)}`);
  }
}

/** A key must not end the comment early nor span lines, or the marker would leak into the page. */
function checkKey(key: string): void {
  if (key === '' || /[\r\n>]|--/.test(key) || key !== key.trim()) {
    throw new Error(`marker key must be one line without "--", ">" or surrounding spaces, got ${JSON.stringify(key)}`);
  }
}

/** `<!-- handbook-bot:<kind> -->` or `<!-- handbook-bot:<kind> <key> -->`. */
export function marker(kind: string, key?: string): string {
  checkKind(kind);
  if (key === undefined) return `<!-- ${NAMESPACE}:${kind} -->`;
  checkKey(key);
  return `<!-- ${NAMESPACE}:${kind} ${key} -->`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function markerPattern(kind: string): RegExp {
  checkKind(kind);
  return new RegExp(`<!-- ${NAMESPACE}:${escapeRegExp(kind)}(?: ([^\\r\\n>]*?))? -->`, 'g');
}

/**
 * True when `body` carries the marker. Without `key`, any marker of that kind matches (keyed or
 * not); with `key`, only that exact marker does.
 */
export function hasMarker(body: string | null | undefined, kind: string, key?: string): boolean {
  if (!body) return false;
  if (key !== undefined) return body.includes(marker(kind, key));
  return markerPattern(kind).test(body);
}

/** The keys of every marker of `kind` in `body`, in order (`''` for a marker without key). */
export function markerKeys(body: string | null | undefined, kind: string): string[] {
  if (!body) return [];
  return [...body.matchAll(markerPattern(kind))].map((match) => match[1] ?? '');
}

// --- the bot-owned block ---------------------------------------------------------------------------

/** `key=value` pairs in the begin marker, e.g. `commit=abc123 title=1f2e3d4c5b6a`. */
export type BlockAttributes = Record<string, string>;

export interface BotBlock {
  /** The text between the markers, without the line breaks right after begin and before end. */
  content: string;
  attributes: BlockAttributes;
  /** Offsets of the whole block (markers included) in the text. */
  start: number;
  end: number;
}

const BEGIN_PATTERN = new RegExp(`<!-- ${NAMESPACE}:${BEGIN_KIND}((?: [^\\r\\n>]*?)?) -->`, 'g');
const ATTRIBUTE = /^[A-Za-z][A-Za-z0-9_-]*$/;
const ATTRIBUTE_VALUE = /^[^\s>]+$/;

/** A value fit for a block attribute (commit ids, ISO times): nothing that could end the HTML comment. */
export function attributeValue(value: string): string {
  return value.replace(/[^A-Za-z0-9:.+_-]/gu, '').replace(/-{2,}/gu, '-');
}

export function beginMarker(attributes: BlockAttributes = {}): string {
  const pairs = Object.entries(attributes).map(([name, value]) => {
    if (!ATTRIBUTE.test(name)) throw new Error(`block attribute name ${JSON.stringify(name)} must be a word`);
    if (!ATTRIBUTE_VALUE.test(value) || value.includes('--')) {
      throw new Error(`block attribute ${name} must have a value without spaces, ">" or "--", got ${JSON.stringify(value)}`);
    }
    return ` ${name}=${value}`;
  });
  return `<!-- ${NAMESPACE}:${BEGIN_KIND}${pairs.join('')} -->`;
}

export const endMarker = END_MARKER;

export function parseAttributes(text: string): BlockAttributes {
  const attributes: BlockAttributes = {};
  for (const token of text.trim().split(/\s+/)) {
    const at = token.indexOf('=');
    if (at <= 0) continue;
    attributes[token.slice(0, at)] = token.slice(at + 1);
  }
  return attributes;
}

/**
 * The bot-owned block of `text`, or `null`. The block is the first end marker and the last begin
 * marker before it, so a stray begin marker left by a person (or a copied description) is treated as
 * text and the real block is still found.
 */
export function extractBlock(text: string | null | undefined): BotBlock | null {
  if (!text) return null;
  const endAt = text.indexOf(END_MARKER);
  if (endAt < 0) return null;
  let begin: RegExpExecArray | undefined;
  for (const match of text.matchAll(BEGIN_PATTERN)) {
    if (match.index + match[0].length > endAt) break;
    begin = match;
  }
  if (begin === undefined) return null;
  const contentStart = begin.index + begin[0].length;
  const inner = text.slice(contentStart, endAt);
  return {
    content: inner.replace(/^\r?\n/, '').replace(/\r?\n$/, ''),
    attributes: parseAttributes(begin[1] ?? ''),
    start: begin.index,
    end: endAt + END_MARKER.length,
  };
}
