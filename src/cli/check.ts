import { readFileSync } from 'node:fs';
import type { Config } from '../config/types.js';
import type { JobFamilyPage } from '../jobfamily/model.js';
import { parsePage } from '../jobfamily/parse.js';
import { parseOptionsFromConfig } from '../config/parse-options.js';
import { collectPageFiles } from './page-files.js';
import { slugCollisionLines } from '../jobfamily/slug-collisions.js';
import { EXIT, ioErrorLine, type CliIo } from './io.js';

/**
 * `handbook-bot check [--json] <files or directories…>`: parses each page and reports its problems.
 * Exit 1 when any page has an `error` problem, 2 on usage or I/O errors (DESIGN §5).
 */
export function runCheck(paths: readonly string[], options: { json: boolean; config: Config; io: CliIo }): number {
  const { files, errors } = collectPageFiles(paths, options.config);
  const pages: JobFamilyPage[] = [];
  const parseOptions = parseOptionsFromConfig(options.config);
  for (const file of files) {
    try {
      pages.push(parsePage(readFileSync(file, 'utf8'), file, parseOptions));
    } catch (error) {
      errors.push(ioErrorLine(file, error));
    }
  }
  for (const line of errors) options.io.stderr(line);

  // One object for one file; an array whenever several files or a directory were given.
  const asArray = paths.length !== 1 || files.length !== 1 || files[0] !== paths[0];
  if (options.json) options.io.stdout(JSON.stringify(asArray ? pages : (pages[0] ?? null), null, 2));
  else for (const page of pages) for (const line of describePage(page)) options.io.stdout(line);

  // Two pages with one slug would share an OKR issue and a job-family label: an error across files.
  const collisions = slugCollisionLines(pages.map((page) => page.path));
  for (const line of collisions) (options.json ? options.io.stderr : options.io.stdout)(line);

  if (errors.length > 0) return EXIT.usage;
  if (collisions.length > 0) return EXIT.problems;
  return pages.some((page) => page.problems.some((problem) => problem.severity === 'error')) ? EXIT.problems : EXIT.ok;
}

function describePage(page: JobFamilyPage): string[] {
  const graded = page.roles.filter((role) => role.grade !== null).length;
  const lines = [
    `${page.path}: ${page.title || '(no title)'} — ${page.roles.length} role(s), ${graded} with a grade, ` +
      `${page.performanceIndicators.length} performance indicator(s), ${page.okrs.length} OKR item(s)`,
  ];
  for (const role of page.roles) {
    const grade = role.grade === null ? 'no grade' : `grade ${role.grade}`;
    const process =
      role.hiringProcess.length === 0
        ? 'no hiring process'
        : `${role.hiringProcess.length} hiring step(s)${role.hiringProcessInherited ? ' (the family’s)' : ''}`;
    lines.push(`  - ${role.name} (${grade}, ${process})`);
  }
  for (const problem of page.problems) lines.push(`${page.path}:${problem.line}: ${problem.severity}: ${problem.message}`);
  return lines;
}
