/**
 * The items of a responsibilities / requirements section: its list items (nested sub-bullets are
 * items of their own), or, when the section has no list at all, its paragraph lines.
 */
import type { Block, ListItem, Section } from './outline.js';
import type { TextLine } from './text.js';

export interface Item {
  text: string;
  line: number;
}

/** Template leftovers such as "{Insert hiring process steps here.}" are not content. */
export function isPlaceholder(text: string): boolean {
  if (text.startsWith('{')) return /^\{[^{}]*\}?\.?$/.test(text);
  return text.length <= 5 && /^(?:tbd|tba|todo|n\/a)\.?$/i.test(text);
}

/** A line that only introduces what follows ("Must-haves:", "For Managers:"). */
export function isLabel(text: string): boolean {
  return text.endsWith(':');
}

// "Nice-to-haves" written as a paragraph inside a requirements section ends the requirements.
const NICE_TO_HAVE = /^nice[\s-]*to[\s-]*haves?\b|^nice to have'?s\b|^preferred qualifications\b|^bonus points\b/i;

export function startsNiceToHave(text: string): boolean {
  return NICE_TO_HAVE.test(text);
}

function fromListItem(item: ListItem, into: Item[]): void {
  if (item.text && !isPlaceholder(item.text)) into.push({ text: item.text, line: item.line });
}

function fromLine(line: TextLine, into: Item[]): void {
  if (!isLabel(line.text) && !isPlaceholder(line.text)) into.push({ text: line.text, line: line.line });
}

/**
 * Items of `blocks`. Lists win: paragraphs around them are prose ("…must have all of the following
 * attributes."). With `stopAtNiceToHave`, a "Nice-to-haves" paragraph ends the collection and the
 * returned flag says so.
 */
export function blockItems(blocks: readonly Block[], stopAtNiceToHave: boolean): { items: Item[]; stopped: boolean } {
  const items: Item[] = [];
  const hasList = blocks.some((b) => b.kind === 'list' && b.items.length > 0);
  for (const block of blocks) {
    if (block.kind === 'paragraph') {
      const first = block.lines[0];
      if (stopAtNiceToHave && first && startsNiceToHave(first.text)) return { items, stopped: true };
      if (!hasList) for (const line of block.lines) fromLine(line, items);
    } else if (block.kind === 'list') {
      for (const item of block.items) fromListItem(item, items);
    }
  }
  return { items, stopped: false };
}

/** Every list item below `section` (its own blocks and its sub-sections but those skipped), in document order. */
export function allListItems(section: Section, into: ListItem[] = [], skip: (child: Section) => boolean = () => false): ListItem[] {
  for (const block of section.blocks) if (block.kind === 'list') into.push(...block.items);
  for (const child of section.children) if (!skip(child)) allListItems(child, into, skip);
  return into;
}
