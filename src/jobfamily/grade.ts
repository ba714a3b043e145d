/**
 * Job grades in plain text: "a grade 9", "grade #10", "Job Grade: 8", "job grade level 7",
 * "Grade 9.5:". Link syntax is already gone (the text comes from inline tokens).
 */
import type { TableBlock } from './outline.js';
import { collapse } from './text.js';

// A cheap literal test first: most text never mentions a grade.
const MENTIONS_GRADE = /grade/i;
// "[8]" stays in the text when the brackets are not a link ("is a grade [8].").
const GRADE = /\bgrade\s*(?::\s*|#\s*|level\s*)?\[?\s*(\d{1,2}(?:\.\d+)?)(?![\d.]*\d)/i;

/** The first grade mentioned in `text`, or `undefined`. */
export function findGrade(text: string): number | undefined {
  if (!MENTIONS_GRADE.test(text)) return undefined;
  const match = GRADE.exec(text);
  if (!match?.[1]) return undefined;
  const value = Number(match[1]);
  return Number.isFinite(value) ? value : undefined;
}

// "does not have a grade", "is not aligned to a job grade", "has no grade".
const NO_GRADE =
  /\b(?:does not|doesn(?:'|’)t|is not|isn(?:'|’)t|are not|aren(?:'|’)t)\s+(?:have|carry|aligned to|assigned(?: to)?|mapped to|given)\s+(?:a\s+|any\s+)?(?:job\s+)?grade\b|\b(?:has|have|with)\s+no\s+(?:job\s+)?grade\b|\bnot graded\b/i;
/** True when the text says explicitly that the role has no grade. */
export function statesNoGrade(text: string): boolean {
  return MENTIONS_GRADE.test(text) && NO_GRADE.test(text);
}

// Inside a "Job Grade" section the word is often left out: "The Field Security Engineer is a [6]."
const BARE_GRADE =
  /\b(?:is|are)\s+(?:an?\s+)?(?:job\s+)?(?:level\s+)?\[?(\d{1,2}(?:\.\d+)?)\]?(?![\d.]*\d)(?!\s*(?:%|percent|years?|months?|weeks?|days?|hours?|minutes?|people|team))/i;

/** A grade in the text of a "Job Grade" section, where "grade" itself may be missing. */
export function findGradeInGradeSection(text: string): number | undefined {
  const explicit = findGrade(text);
  if (explicit !== undefined) return explicit;
  const match = BARE_GRADE.exec(text);
  return match?.[1] ? Number(match[1]) : undefined;
}

/** Grade cell values are often bare: "8", "Level 9", "[Grade 7](…)". */
function cellGrade(text: string): number | undefined {
  const explicit = findGrade(text);
  if (explicit !== undefined) return explicit;
  const bare = /^(?:level\s*)?(\d{1,2}(?:\.\d+)?)$/i.exec(text.trim());
  return bare?.[1] ? Number(bare[1]) : undefined;
}

/** Normalized key for matching a role name against a table row or an anchor. */
export function nameKey(text: string): string {
  return collapse(text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' '));
}

/**
 * Reads "| Role | Grade |" tables: each row's names (the cell's text and each link's text and
 * anchor) map to the row's grade. Used only for roles whose own section gives no grade.
 */
export function gradeTable(table: TableBlock, into: Map<string, number>): void {
  const header = table.rows[0];
  if (!header) return;
  let gradeColumn = header.findIndex((cell) => /\bgrade\b/i.test(cell.text));
  const hasHeaderGrade = gradeColumn >= 0;
  for (const row of table.rows.slice(hasHeaderGrade ? 1 : 0)) {
    if (!hasHeaderGrade) gradeColumn = row.findIndex((cell) => findGrade(cell.text) !== undefined);
    const gradeCell = row[gradeColumn];
    if (gradeColumn < 0 || !gradeCell) continue;
    const grade = cellGrade(gradeCell.text);
    if (grade === undefined) continue;
    row.forEach((cell, column) => {
      if (column === gradeColumn) return;
      const keys = [cell.text, ...cell.links.map((l) => l.text)];
      for (const link of cell.links) {
        const anchor = link.href.slice(link.href.lastIndexOf('#') + 1) || link.href.replace(/\/+$/, '').split('/').pop();
        if (anchor) keys.push(anchor);
      }
      for (const key of keys) {
        const k = nameKey(key);
        if (k && !into.has(k)) into.set(k, grade);
      }
    });
  }
}
