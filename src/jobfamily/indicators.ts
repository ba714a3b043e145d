/**
 * Performance indicators: the list items of a performance-indicators section; the name is the
 * item's text and the url its first link ("[IACV](…) vs. plan" → "IACV vs. plan").
 */
import type { PerformanceIndicator } from './model.js';
import type { Section } from './outline.js';
import { allListItems, isLabel, isPlaceholder } from './items.js';

/** `skip` leaves out sub-sections that turned out to be something else (a role written inside the section). */
export function performanceIndicators(section: Section, skip: (child: Section) => boolean = () => false): PerformanceIndicator[] {
  const indicators: PerformanceIndicator[] = [];
  const items = allListItems(section, [], skip);
  for (const item of items) {
    if (!item.text || isPlaceholder(item.text)) continue;
    indicators.push({ name: item.text, url: item.links[0]?.href || null, line: item.line });
  }
  if (items.length > 0) return indicators;
  // Without a list, a linked line names the indicator ("Work completed per iteration ([Total Issue Velocity](…))").
  for (const block of section.blocks) {
    if (block.kind !== 'paragraph') continue;
    for (const line of block.lines) {
      const link = line.links[0];
      if (link && !isLabel(line.text)) indicators.push({ name: line.text, url: link.href || null, line: line.line });
    }
  }
  return indicators;
}
