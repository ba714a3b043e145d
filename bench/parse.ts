/**
 * Parser throughput over the whole corpus: every page of test/fixtures/corpus/job-families, parsed
 * in rounds after a warm-up. Prints the median, fastest and slowest round (one core, in process).
 *
 *   npm run bench:parse                 # 7 rounds
 *   npm run bench:parse -- --rounds 15
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parsePage } from '../src/jobfamily/parse.js';
import { tokenize } from '../src/jobfamily/markdown.js';
import { CORPUS_DIR as corpusDir } from '../test/support/fixture-paths.js';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

const rounds = option('--rounds', 7);
const warmup = option('--warmup', 3);
const pages = readdirSync(corpusDir)
  .filter((name) => name.endsWith('.md'))
  .sort()
  .map((name) => ({ name, source: readFileSync(resolve(corpusDir, name), 'utf8') }));
const bytes = pages.reduce((sum, page) => sum + Buffer.byteLength(page.source, 'utf8'), 0);

/** Parses every page once; returns elapsed ms and a checksum so the work cannot be optimised away. */
function round(): { ms: number; roles: number } {
  const start = process.hrtime.bigint();
  let roles = 0;
  for (const page of pages) roles += parsePage(page.source, page.name).roles.length;
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, roles };
}

/** markdown-it alone over the same pages: the floor under parsePage. */
function tokenizeRound(): number {
  const start = process.hrtime.bigint();
  for (const page of pages) tokenize(page.source);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

for (let i = 0; i < warmup; i++) round();
const results = Array.from({ length: rounds }, round);
for (let i = 0; i < warmup; i++) tokenizeRound();
const tokenizeTimes = Array.from({ length: rounds }, tokenizeRound).sort((a, b) => a - b);
const times = results.map((r) => r.ms).sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)] ?? 0;
const fastest = times[0] ?? 0;
const slowest = times[times.length - 1] ?? 0;
const mb = bytes / (1024 * 1024);
const rate = (ms: number): string =>
  `${(pages.length / (ms / 1000)).toFixed(0).padStart(6)} pages/s  ${(mb / (ms / 1000)).toFixed(2).padStart(6)} MB/s`;

console.log(
  `corpus: ${pages.length} pages, ${mb.toFixed(2)} MB, ${results[0]?.roles ?? 0} roles; ${warmup} warm-up + ${rounds} rounds (node ${process.version})`,
);
console.log(`per round (ms): ${results.map((r) => r.ms.toFixed(1)).join(', ')}`);
console.log(`median  ${median.toFixed(1).padStart(7)} ms  ${rate(median)}`);
console.log(`fastest ${fastest.toFixed(1).padStart(7)} ms  ${rate(fastest)}`);
console.log(`slowest ${slowest.toFixed(1).padStart(7)} ms  ${rate(slowest)}`);
const tokenizeMedian = tokenizeTimes[Math.floor(tokenizeTimes.length / 2)] ?? 0;
console.log(
  `markdown-it alone: median ${tokenizeMedian.toFixed(1)} ms (${((100 * tokenizeMedian) / Math.max(median, 1e-9)).toFixed(0)}% of parsePage)`,
);
console.log(
  median < 500 ? 'target met: whole corpus under 500 ms (median round)' : 'TARGET MISSED: whole corpus took 500 ms or more (median round)',
);
