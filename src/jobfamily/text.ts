/**
 * Inline markdown-it tokens → plain text. Links become their text, emphasis and HTML are dropped,
 * whitespace is collapsed. Source lines are kept apart (a soft break starts a new line) because
 * pages often write one hiring step per line inside a single paragraph.
 */
import type { Token } from 'markdown-it';

export interface Link {
  text: string;
  href: string;
}

export interface TextLine {
  text: string;
  links: Link[];
  /** 1-based line in the source file. */
  line: number;
}

// Any run of two or more whitespace characters, or a single one that is not a plain space.
const ABNORMAL_SPACE = /\s{2,}|[^\S ]/g;

/** Collapses runs of whitespace (including NBSP and other unicode spaces) to one space. */
export function collapse(text: string): string {
  // One pass; V8 returns the same string when nothing matches, so clean text costs no copy.
  return text.replace(ABNORMAL_SPACE, ' ').trim();
}

/** `<br>` inside a paragraph or table cell is a line break too. */
const BR = /^<br\s*\/?>$/i;

/**
 * Splits an inline token's children into lines of plain text. `firstLine` is the 1-based file line
 * of the block the inline content belongs to.
 */
export function inlineLines(inline: Token, firstLine: number): TextLine[] {
  const children = inline.children;
  if (!children || children.length === 0) {
    const text = collapse(inline.content);
    return text ? [{ text, links: [], line: firstLine }] : [];
  }
  const lines: TextLine[] = [];
  let text = '';
  let links: Link[] = [];
  let line = firstLine;
  // The open link's text so far, or null outside links (markdown-it never nests links).
  let linkText: string | null = null;
  let linkHref = '';

  for (const child of children) {
    const type = child.type;
    if (type === 'text' || type === 'code_inline' || type === 'image') {
      text += child.content;
      if (linkText !== null) linkText += child.content;
    } else if (type === 'softbreak' || type === 'hardbreak' || (type === 'html_inline' && BR.test(child.content))) {
      const clean = collapse(text);
      if (clean) lines.push({ text: clean, links, line });
      text = '';
      links = [];
      if (type !== 'html_inline') line += 1;
    } else if (type === 'link_open') {
      linkText = '';
      linkHref = child.attrGet('href') ?? '';
    } else if (type === 'link_close' && linkText !== null) {
      links.push({ text: collapse(linkText), href: linkHref });
      linkText = null;
    }
    // em/strong/s open-close and HTML carry no text of their own.
  }
  const clean = collapse(text);
  if (clean) lines.push({ text: clean, links, line });
  return lines;
}

/** Joins lines (each already collapsed and non-empty) into one string. */
export function joinLines(lines: readonly TextLine[]): string {
  if (lines.length === 1) return lines[0]?.text ?? '';
  return lines.map((l) => l.text).join(' ');
}
