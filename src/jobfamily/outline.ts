/**
 * One pass over markdown-it block tokens builds the page outline: a tree of heading sections, each
 * holding the paragraphs, list items and tables written directly under it. Everything later reads
 * this tree, never the raw markdown.
 */
import type { Token } from 'markdown-it';
import { inlineLines, joinLines, type Link, type TextLine } from './text.js';

export interface ParagraphBlock {
  kind: 'paragraph';
  line: number;
  lines: TextLine[];
  /** Written inside a blockquote (a note beside the content, "> ### Why we ask …"). */
  quoted?: boolean;
}

export interface ListItem {
  /** Plain text of the item's own paragraphs (nested items are separate items). */
  text: string;
  lines: TextLine[];
  links: Link[];
  line: number;
  /** 0 for a top-level item, 1 for its sub-items, … */
  depth: number;
}

export interface ListBlock {
  kind: 'list';
  line: number;
  /** Items in document order, nested ones flattened right after their parent. */
  items: ListItem[];
  /** Written inside a blockquote. */
  quoted?: boolean;
}

export interface TableCell {
  text: string;
  links: Link[];
}

export interface TableBlock {
  kind: 'table';
  line: number;
  rows: TableCell[][];
}

export type Block = ParagraphBlock | ListBlock | TableBlock;

export interface Section {
  /** 1–6 for headings; 0 for the root (content before the first heading). */
  level: number;
  title: string;
  line: number;
  blocks: Block[];
  children: Section[];
  parent: Section | null;
}

function appendToItem(item: ListItem, lines: readonly TextLine[]): void {
  if (lines.length === 0) return;
  item.lines.push(...lines);
  for (const l of lines) item.links.push(...l.links);
  item.text = item.text ? `${item.text} ${joinLines(lines)}` : joinLines(lines);
}

/** `lineOffset` is the number of file lines before the markdown body (the front matter). */
export function buildOutline(tokens: readonly Token[], lineOffset: number): Section {
  const root: Section = { level: 0, title: '', line: 1, blocks: [], children: [], parent: null };
  let current = root;
  // Open list items, innermost last; each knows the list block it belongs to.
  const items: ListItem[] = [];
  let list: ListBlock | null = null;
  let table: TableBlock | null = null;
  let row: TableCell[] | null = null;
  // Blockquotes are transparent, except that a heading inside one is a note, not page structure.
  let quoteDepth = 0;
  const quoted = (): { quoted?: true } => (quoteDepth > 0 ? { quoted: true } : {});

  const lineOf = (token: Token | undefined, fallback: number): number => (token?.map ? token.map[0] + lineOffset + 1 : fallback);

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (!token) continue;
    switch (token.type) {
      case 'heading_open': {
        const inline = tokens[i + 1];
        const line = lineOf(token, current.line);
        const item = items[items.length - 1];
        if (item) {
          // "* # of Business Functions…" is a heading inside a bullet: item text, not page structure.
          if (inline?.type === 'inline') appendToItem(item, inlineLines(inline, line));
          i += 2;
          break;
        }
        if (quoteDepth > 0) {
          const lines = inline?.type === 'inline' ? inlineLines(inline, line) : [];
          if (lines.length > 0) current.blocks.push({ kind: 'paragraph', line, lines, quoted: true });
          i += 2;
          break;
        }
        const level = Number(token.tag.slice(1)) || 1;
        const title = inline?.type === 'inline' ? joinLines(inlineLines(inline, line)) : '';
        while (current.level >= level && current.parent) current = current.parent;
        const section: Section = { level, title, line, blocks: [], children: [], parent: current };
        current.children.push(section);
        current = section;
        // A heading inside a list item ends that list for our purposes.
        list = null;
        i += 2;
        break;
      }
      case 'bullet_list_open':
      case 'ordered_list_open':
        if (items.length === 0 || !list) {
          list = { kind: 'list', line: lineOf(token, current.line), items: [], ...quoted() };
          current.blocks.push(list);
        }
        break;
      case 'list_item_open': {
        const item: ListItem = { text: '', lines: [], links: [], line: lineOf(token, current.line), depth: items.length };
        if (!list) {
          list = { kind: 'list', line: item.line, items: [], ...quoted() };
          current.blocks.push(list);
        }
        list.items.push(item);
        items.push(item);
        break;
      }
      case 'list_item_close':
        items.pop();
        if (items.length === 0) list = null;
        break;
      case 'inline': {
        const line = lineOf(token, current.line);
        const prev = tokens[i - 1]?.type;
        if (prev === 'th_open' || prev === 'td_open') {
          const lines = inlineLines(token, line);
          row?.push({ text: joinLines(lines), links: lines.flatMap((l) => l.links) });
          break;
        }
        const lines = inlineLines(token, line);
        if (lines.length === 0) break;
        const item = items[items.length - 1];
        if (item) {
          appendToItem(item, lines);
        } else {
          current.blocks.push({ kind: 'paragraph', line, lines, ...quoted() });
        }
        break;
      }
      case 'table_open':
        table = { kind: 'table', line: lineOf(token, current.line), rows: [] };
        break;
      case 'tr_open':
        row = [];
        break;
      case 'tr_close':
        if (table && row) table.rows.push(row);
        row = null;
        break;
      case 'table_close':
        if (table && items.length === 0) current.blocks.push(table);
        table = null;
        break;
      case 'blockquote_open':
        quoteDepth += 1;
        break;
      case 'blockquote_close':
        quoteDepth = Math.max(0, quoteDepth - 1);
        break;
      default:
        // Code, HTML blocks and rules carry no job-family content.
        break;
    }
  }
  return root;
}

/** Every unit of text in a section's subtree, in document order, until `visit` returns true. */
export function someText(section: Section, visit: (text: string) => boolean): boolean {
  if (visit(section.title)) return true;
  for (const block of section.blocks) {
    if (block.kind === 'paragraph') {
      for (const line of block.lines) if (visit(line.text)) return true;
    } else if (block.kind === 'list') {
      for (const item of block.items) if (visit(item.text)) return true;
    } else {
      for (const row of block.rows) for (const cell of row) if (visit(cell.text)) return true;
    }
  }
  return section.children.some((child) => someText(child, visit));
}
