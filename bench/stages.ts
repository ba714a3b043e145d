/**
 * Hiring-stage accuracy against the labelled set (test/fixtures/stages/labelled.tsv: steps staged by
 * reading the pages, not by running the classifier), then against the held-out set
 * (holdout.tsv: pages the classifier was not tuned on). Each page is parsed with the product
 * parser; each labelled step is matched to the parsed step of the same page, role and text. A
 * labelled step the parser does not produce for that role counts as an error and is listed
 * separately.
 *
 *   npm run bench:stages
 *   npm run bench:stages -- --quiet     # figures only, no list of mismatches
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePage } from '../src/jobfamily/parse.js';
import { DEFAULT_STAGE_ORDER, type JobFamilyPage, type Role } from '../src/jobfamily/model.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const corpusDir = resolve(repoRoot, 'test/fixtures/corpus/job-families');
const labelledFiles = ['labelled.tsv', 'holdout.tsv'].map((name) => resolve(repoRoot, 'test/fixtures/stages', name));
const quiet = process.argv.includes('--quiet');

interface Label {
  page: string;
  role: string;
  step: string;
  stage: string;
  reason: string;
  line: number;
}

function readLabels(labelledFile: string): Label[] {
  const [header, ...rows] = readFileSync(labelledFile, 'utf8').split('\n');
  if (header !== 'page\trole\tstep\tstage\treason') throw new Error(`${labelledFile}:1: unexpected header "${header ?? ''}"`);
  return rows.flatMap((row, index) => {
    if (!row.trim()) return [];
    const [page = '', role = '', step = '', stage = '', reason = ''] = row.split('\t');
    if (!DEFAULT_STAGE_ORDER.includes(stage)) throw new Error(`${labelledFile}:${index + 2}: unknown stage "${stage}"`);
    return [{ page, role, step, stage, reason, line: index + 2 }];
  });
}

// Link targets the markdown parser left in the text ("[screening call]({{< ref … >}})") are not the step's words.
const key = (text: string): string =>
  text
    .replace(/\]\([^)]*\)/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');

function findRole(page: JobFamilyPage, name: string): Role | undefined {
  const wanted = key(name);
  return (
    page.roles.find((role) => key(role.name) === wanted) ??
    page.roles.find((role) => key(role.name).includes(wanted) || wanted.includes(key(role.name))) ??
    (page.roles.length === 1 ? page.roles[0] : undefined)
  );
}

/** The parsed step with the same text; a step the parser joined with its continuation still matches. */
function findStage(role: Role, text: string): string | undefined {
  const wanted = key(text);
  const steps = role.hiringProcess;
  const step =
    steps.find((s) => key(s.text) === wanted) ??
    steps.find((s) => key(s.text).startsWith(wanted) || (key(s.text).length >= 12 && wanted.startsWith(key(s.text))));
  return step?.stage;
}

function report(labelledFile: string): void {
  const labels = readLabels(labelledFile);
  const parsed = new Map<string, JobFamilyPage>();
  for (const name of new Set(labels.map((label) => label.page))) {
    parsed.set(name, parsePage(readFileSync(resolve(corpusDir, name), 'utf8'), name));
  }

  const UNMATCHED = '(unmatched)';
  const stages = [...DEFAULT_STAGE_ORDER];
  const columns = [...stages, UNMATCHED];
  const matrix = new Map(stages.map((stage) => [stage, new Map(columns.map((column) => [column, 0]))]));
  const mismatches: string[] = [];
  const unmatched: string[] = [];
  let correct = 0;
  for (const label of labels) {
    const page = parsed.get(label.page);
    const role = page && findRole(page, label.role);
    const got = role ? findStage(role, label.step) : undefined;
    const row = matrix.get(label.stage);
    row?.set(got ?? UNMATCHED, (row.get(got ?? UNMATCHED) ?? 0) + 1);
    const where = `${basename(labelledFile)}:${label.line} ${label.page.replace(/^.*job-families__/, '')} [${label.role}]`;
    if (got === label.stage) correct++;
    else if (got === undefined) unmatched.push(`${where}: ${role ? 'no such step' : 'no such role'}: "${label.step}" (${label.stage})`);
    else mismatches.push(`${where}: "${label.step}" → ${got}, labelled ${label.stage} (${label.reason})`);
  }

  const pct = (n: number, d: number): string => (d === 0 ? '   -  ' : `${((100 * n) / d).toFixed(1).padStart(5)}%`);
  console.log(`${basename(labelledFile)}: ${labels.length} steps from ${parsed.size} pages`);
  console.log(
    `accuracy: ${correct}/${labels.length} = ${pct(correct, labels.length).trim()} (unmatched steps: ${unmatched.length}, counted as errors)`,
  );
  console.log('');
  console.log('per stage (recall: labelled steps given that stage; precision: steps given that stage that are right)');
  for (const stage of stages) {
    const row = matrix.get(stage);
    const total = [...(row?.values() ?? [])].reduce((a, b) => a + b, 0);
    const hit = row?.get(stage) ?? 0;
    const given = [...matrix.values()].reduce((sum, r) => sum + (r.get(stage) ?? 0), 0);
    console.log(`  ${stage.padEnd(16)} recall ${pct(hit, total)} (${hit}/${total})   precision ${pct(hit, given)} (${hit}/${given})`);
  }
  console.log('');
  console.log('confusion matrix (rows: labelled, columns: parser)');
  const short = (s: string): string => (s === UNMATCHED ? 'unmatch' : s.slice(0, 7));
  console.log(`  ${''.padEnd(16)}${columns.map((c) => short(c).padStart(8)).join('')}`);
  for (const stage of stages) {
    const row = matrix.get(stage);
    console.log(`  ${stage.padEnd(16)}${columns.map((c) => String(row?.get(c) ?? 0).padStart(8)).join('')}`);
  }
  if (!quiet) {
    console.log('');
    console.log(`mismatches (${mismatches.length}):`);
    for (const line of mismatches) console.log(`  ${line}`);
    console.log('');
    console.log(`unmatched labelled steps (${unmatched.length}):`);
    for (const line of unmatched) console.log(`  ${line}`);
  }
  const target = 95;
  console.log('');
  console.log((100 * correct) / labels.length >= target ? `target met: ≥ ${target} %` : `TARGET MISSED: below ${target} %`);
  console.log('');
}

for (const file of labelledFiles) report(file);
