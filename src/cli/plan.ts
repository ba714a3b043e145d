import { readFileSync } from 'node:fs';
import { desiredStageLabels } from '../actions/hiring/stages-plan.js';
import { pageUrlAt } from '../actions/okr/link.js';
import { planOkrIssue } from '../actions/okr/issue-plan.js';
import { parseOptionsFromConfig } from '../config/parse-options.js';
import type { Config } from '../config/types.js';
import { parsePage } from '../jobfamily/parse.js';
import { EXIT, ioErrorLine, type CliIo } from './io.js';

/**
 * `handbook-bot plan [--json] <file>`: what the bot wants in GitLab for one page — the OKR tracking issue,
 * the hiring-stage labels and the board — computed offline, with no GitLab and no token.
 */
export function runPlan(file: string, options: { json: boolean; config: Config; io: CliIo; now: Date }): number {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    options.io.stderr(ioErrorLine(file, error));
    return EXIT.usage;
  }
  const { config } = options;
  const page = parsePage(source, file, parseOptionsFromConfig(config));
  const commit = 'HEAD';
  const okr = planOkrIssue(page, {
    now: options.now,
    fiscalYearStartMonth: config.okr.fiscalYearStartMonth,
    labels: config.okr.labels,
    pageUrl: pageUrlAt(config, config.handbook.project ?? 'handbook', commit, file),
    commit,
  });
  const hiring = desiredStageLabels(page, config);

  if (options.json) {
    const { model: _model, ...issue } = okr;
    options.io.stdout(
      JSON.stringify({ path: file, okrIssue: issue, labels: hiring.labels, board: hiring.board, problems: page.problems }, null, 2),
    );
  } else {
    options.io.stdout(`OKR issue: ${okr.title}`);
    options.io.stdout(`  labels: ${okr.labels.join(', ')} · due ${okr.dueDate}`);
    options.io.stdout('');
    options.io.stdout(okr.block);
    options.io.stdout('');
    options.io.stdout(`Hiring-stage labels (${hiring.labels.length}):`);
    for (const label of hiring.labels) options.io.stdout(`  ${label.name} ${label.color} — ${label.description.split('\n')[0]}`);
    options.io.stdout(`Board "${hiring.board.name}": ${hiring.board.lists.join(' → ') || '(no lists)'}`);
    for (const problem of page.problems) options.io.stdout(`${file}:${problem.line}: ${problem.severity}: ${problem.message}`);
  }
  return page.problems.some((problem) => problem.severity === 'error') ? EXIT.problems : EXIT.ok;
}
