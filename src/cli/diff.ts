import { readFileSync } from 'node:fs';
import { pageReview } from '../actions/review/checklist.js';
import { renderChecklist } from '../actions/review/checklist-render.js';
import type { Config } from '../config/types.js';
import { parseOptionsFromConfig } from '../config/parse-options.js';
import { allChanges } from '../jobfamily/diff.js';
import { parsePage } from '../jobfamily/parse.js';
import { EXIT, ioErrorLine, type CliIo } from './io.js';

/**
 * `handbook-bot diff [--json] <old.md> <new.md>`: the semantic diff of two versions of a page and the
 * reviewer checklist the bot would post for it, with the configured review rules.
 */
export function runDiff(oldPath: string, newPath: string, options: { json: boolean; config: Config; io: CliIo }): number {
  const sources: string[] = [];
  for (const path of [oldPath, newPath]) {
    try {
      sources.push(readFileSync(path, 'utf8'));
    } catch (error) {
      options.io.stderr(ioErrorLine(path, error));
      return EXIT.usage;
    }
  }
  const parseOptions = parseOptionsFromConfig(options.config);
  // Both versions are one page: compare them under the new path, as a merge request would.
  const before = parsePage(sources[0] ?? '', newPath, parseOptions);
  const after = parsePage(sources[1] ?? '', newPath, parseOptions);
  const page = pageReview(before, after, newPath);
  const checklist = renderChecklist({
    pages: [page],
    rules: options.config.review.rules,
    commit: 'local',
    commandWord: options.config.bot.commandWord,
  });

  if (options.json) {
    options.io.stdout(JSON.stringify({ diff: page.diff, problems: page.problems, checklist }, null, 2));
  } else {
    const changes = page.diff === null ? [] : allChanges(page.diff);
    options.io.stdout(`${oldPath} → ${newPath}: ${changes.length} change(s)`);
    for (const change of changes) options.io.stdout(`  - ${change.kind}${'role' in change && change.role ? ` (${change.role})` : ''}`);
    options.io.stdout('');
    options.io.stdout(
      `The checklist that would be posted${checklist.labels.length > 0 ? ` (labels: ${checklist.labels.join(', ')})` : ''}:`,
    );
    options.io.stdout('');
    options.io.stdout(checklist.body);
  }
  return EXIT.ok;
}
