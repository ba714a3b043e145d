import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { parsePage } from '../../src/jobfamily/parse.js';
import type { JobFamilyPage, Role } from '../../src/jobfamily/model.js';
import { corpusPages, historyPairs, type PageFile } from '../support/pages.js';

/**
 * Every real page parses, and per-page invariants hold with no per-file special cases. The
 * oracles below read the raw file independently of the parser (plain line scans), so they catch
 * the parser disagreeing with what a reader sees.
 */

const files: PageFile[] = [...corpusPages(), ...historyPairs().flatMap((pair) => [pair.before, pair.after])];
const parsed: { file: PageFile; page: JobFamilyPage }[] = files.map((file) => ({ file, page: parsePage(file.source, file.name) }));

/** The front matter's title as YAML reads it, or undefined when there is no (valid) front matter. */
function frontMatterTitle(source: string): string | undefined {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  if (lines[0]?.trim() !== '---') return undefined;
  const end = lines.findIndex((line, index) => index > 0 && /^(?:---|\.\.\.)\s*$/.test(line));
  if (end < 0) return undefined;
  const doc = parseDocument(lines.slice(1, end).join('\n'));
  if (doc.errors.length > 0) return undefined;
  const title: unknown = doc.get('title');
  return typeof title === 'string' ? title.trim() : typeof title === 'number' ? String(title) : undefined;
}

/**
 * The text of a role's own section: from its heading to the next heading of the same or a higher
 * level, with links reduced to their text and HTML comments removed.
 */
function ownSection(source: string, role: Role): string | undefined {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const heading = /^(#{1,6})\s/.exec(lines[role.line - 1] ?? '');
  if (!heading?.[1]) return undefined;
  const level = heading[1].length;
  let end = role.line;
  while (end < lines.length && !new RegExp(`^#{1,${level}}\\s`).test(lines[end] ?? '')) end++;
  return lines
    .slice(role.line - 1, end)
    .join('\n')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[[\]*_`]/g, '');
}

const GRADE_MENTION = /\bgrade\s*(?::\s*|#\s*|level\s*)?(\d{1,2}(?:\.\d+)?)(?![\d.]*\d)/i;

describe('the corpus', () => {
  it('holds every page (215 job-family pages and 5 history pairs)', () => {
    expect(corpusPages()).toHaveLength(215);
    expect(historyPairs()).toHaveLength(5);
  });

  it('parses every page without throwing, into a model naming its path', () => {
    for (const { file, page } of parsed) {
      expect(page.path).toBe(file.name);
      expect(Array.isArray(page.roles)).toBe(true);
    }
  });

  it('takes the title from the front matter whenever there is one', () => {
    let checked = 0;
    for (const { file, page } of parsed) {
      const title = frontMatterTitle(file.source);
      if (title === undefined) continue;
      checked++;
      expect(page.title, file.name).toBe(title);
    }
    expect(checked).toBeGreaterThan(200);
  });

  it('gives every role whose own section mentions "grade N" that grade', () => {
    let checked = 0;
    for (const { file, page } of parsed) {
      for (const role of page.roles) {
        const text = ownSection(file.source, role);
        const mention = text === undefined ? undefined : GRADE_MENTION.exec(text)?.[1];
        if (mention === undefined) continue;
        checked++;
        expect(role.grade, `${file.name}: ${role.name} (line ${role.line})`).toBe(Number(mention));
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('classifies every hiring step into a stage and gives it a line', () => {
    for (const { file, page } of parsed) {
      const steps = [...page.hiringProcess, ...page.roles.flatMap((role) => role.hiringProcess)];
      for (const step of steps) {
        expect(step.stage, `${file.name}: ${step.text}`).toMatch(/^[a-z-]+$/);
        expect(step.text.length).toBeGreaterThan(0);
        expect(step.line).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it('gives every problem a line inside the file and a known severity', () => {
    for (const { file, page } of parsed) {
      const lineCount = file.source.split('\n').length;
      for (const problem of page.problems) {
        expect(problem.line, `${file.name}: ${problem.code}`).toBeGreaterThanOrEqual(1);
        expect(problem.line).toBeLessThanOrEqual(lineCount);
        expect(['error', 'warning']).toContain(problem.severity);
      }
    }
  });

  it('marks a role as inheriting exactly when it shows the family’s process (the page’s, else another role’s)', () => {
    const steps = (process: readonly { text: string; line: number }[]): string[] => process.map((s) => `${s.line}: ${s.text}`);
    for (const { file, page } of parsed) {
      for (const role of page.roles) {
        if (!role.hiringProcessInherited) continue;
        const family =
          page.hiringProcess.length > 0
            ? [page.hiringProcess]
            : page.roles.filter((r) => !r.hiringProcessInherited).map((r) => r.hiringProcess);
        // Steps written "For Managers:" are left out of an individual contributor's copy, so a copy is a subset.
        const own = steps(role.hiringProcess);
        expect(
          family.some((process) => own.every((step) => steps(process).includes(step))),
          `${file.name}: ${role.name}`,
        ).toBe(true);
      }
    }
  });

  it('lists OKR items once each, all of them responsibilities', () => {
    for (const { file, page } of parsed) {
      const all = new Set([
        ...page.responsibilities,
        ...page.roles.flatMap((role) => [...role.responsibilities, ...role.specialties.flatMap((s) => s.responsibilities)]),
        ...(page.specialties ?? []).flatMap((s) => s.responsibilities),
      ]);
      expect(new Set(page.okrs).size, file.name).toBe(page.okrs.length);
      for (const okr of page.okrs) expect(all.has(okr), `${file.name}: ${okr}`).toBe(true);
    }
  });

  it('reaches high coverage (and prints it)', () => {
    const pages = parsed.filter(({ file }) => !file.name.includes('.before.') && !file.name.includes('.after.')).map(({ page }) => page);
    const roles = pages.flatMap((page) => page.roles);
    const graded = roles.filter((role) => role.grade !== null);
    const withProcess = roles.filter((role) => role.hiringProcess.length > 0);
    const withOwnProcess = roles.filter((role) => role.hiringProcess.length > 0 && !role.hiringProcessInherited);
    const pagesWithRoles = pages.filter((page) => page.roles.length > 0);
    const problems = new Map<string, number>();
    for (const problem of pages.flatMap((page) => page.problems)) problems.set(problem.code, (problems.get(problem.code) ?? 0) + 1);
    const steps = roles.flatMap((role) => role.hiringProcess);
    const otherSteps = steps.filter((step) => step.stage === 'other');
    const percent = (n: number, of: number): string => `${((100 * n) / Math.max(1, of)).toFixed(1)}%`;

    console.log(
      [
        'corpus coverage (job-families)',
        `  pages                      ${pages.length}`,
        `  pages with roles           ${pagesWithRoles.length} (${percent(pagesWithRoles.length, pages.length)})`,
        `  roles                      ${roles.length}`,
        `  roles with grade           ${graded.length} (${percent(graded.length, roles.length)})`,
        `  roles with hiring process  ${withProcess.length} (${percent(withProcess.length, roles.length)}; own ${withOwnProcess.length})`,
        `  hiring steps (per role)    ${steps.length} (other: ${percent(otherSteps.length, steps.length)})`,
        `  performance indicators     ${pages.reduce((n, page) => n + page.performanceIndicators.length, 0)}`,
        `  pages with OKR items       ${pages.filter((page) => page.okrs.length > 0).length}`,
        '  problems by code',
        ...[...problems.entries()].sort().map(([code, count]) => `    ${code.padEnd(28)} ${count}`),
      ].join('\n'),
    );

    expect(pages).toHaveLength(215);
    expect(pagesWithRoles.length / pages.length).toBeGreaterThan(0.95);
    expect(graded.length / roles.length).toBeGreaterThan(0.9);
    expect(withProcess.length / roles.length).toBeGreaterThan(0.75);
    expect(otherSteps.length / steps.length).toBeLessThan(0.05);
  });
});
