/**
 * Worst-case inputs (`npm run bench:hostile`): how long the pure functions take on the hostile inputs
 * the tests only check for correctness (test/jobfamily/parse-fuzz.test.ts, diff.test.ts,
 * diff-corpus.test.ts, test/gitlab/sanitize.test.ts). One core, in process; each case runs after a
 * warm-up and the median of the rounds is printed, with the slowest round.
 *
 *   npm run bench:hostile                  # 5 rounds
 *   npm run bench:hostile -- --rounds 9
 *
 * Budget (what the tests used to assert, now only reported): parsing any one page, diffing the hostile
 * page pair and diffing all neighbouring corpus pages under 5 s each; sanitizing 2 MB under 2 s.
 * Exits 1 when a case's slowest round is over its budget.
 */
import { diffPages } from '../src/jobfamily/diff.js';
import { parsePage } from '../src/jobfamily/parse.js';
import { sanitizeBlock } from '../src/gitlab/sanitize.js';
import { page, role, step } from '../test/support/page-builders.js';
import { corpusPages } from '../test/support/pages.js';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

const rounds = option('--rounds', 5);

interface Case {
  name: string;
  budgetMs: number;
  run: () => unknown;
}

const deep = (n: number, line: (i: number) => string): string => Array.from({ length: n }, (_, i) => line(i)).join('\n');
const parseCase = (name: string, source: string): Case => ({
  name: `parse: ${name}`,
  budgetMs: 5_000,
  run: () => parsePage(source, 'hostile.md'),
});
const withRole = (body: string): string =>
  `---\ntitle: Deep\n---\n## Engineer\nThe Engineer is a grade 6.\n### Responsibilities\n${body}\n## Hiring Process\n${body}\n`;

const cases: Case[] = [
  parseCase('bullets nested 5000 deep', withRole(deep(5_000, (i) => `${' '.repeat(i * 2)}- item ${i}`))),
  parseCase('numbered steps nested 5000 deep', withRole(deep(5_000, (i) => `${' '.repeat(i * 3)}1. step ${i}`))),
  parseCase('list markers 5000 deep', withRole(deep(5_000, (i) => `${'- '.repeat(i)}x`))),
  parseCase('10 000 nested blockquotes', `---\ntitle: Quotes\n---\n${'>'.repeat(10_000)} grade 5`),
  parseCase(
    '10 000 headings',
    `---\ntitle: Headings\n---\n${deep(10_000, (i) => `${'#'.repeat((i % 6) + 1)} Senior Engineer ${i}\nThe role is a grade ${i % 12}.`)}`,
  ),
  parseCase('a 1 MB body line', `---\ntitle: Long\n---\n## Engineer\n${'grade 9 '.repeat(131_072)}\n`),
  parseCase('a 1 MB front-matter line', `---\ntitle: ${'x'.repeat(1_048_576)}\n---\n# Body\n`),
  parseCase('100 000 links in one step', `---\ntitle: Links\n---\n## Hiring Process\n- ${'[a](b) '.repeat(100_000)}\n`),
  parseCase('100 000 NUL bytes', '\u0000'.repeat(100_000)),
  ...(
    [
      ['[', 50_000],
      ['*a', 50_000],
      ['`', 20_000],
      ['<', 50_000],
      ['![[', 20_000],
      ['_', 100_000],
    ] as const
  ).map(([unit, times]) =>
    parseCase(`inline ${JSON.stringify(unit)} × ${times}`, `---\ntitle: Inline\n---\n## Responsibilities\n- ${unit.repeat(times)}\n`),
  ),
];

const many = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => step(`${prefix} step ${i} ${'word '.repeat(i % 7)}`));
const rolesOf = (prefix: string) => Array.from({ length: 2_000 }, (_, i) => role(`${prefix} ${i}`, { responsibilities: [`r ${i}`] }));
const hostileOld = page({ hiringProcess: many(3_000, 'a'), roles: rolesOf('x') });
const hostileNew = page({ hiringProcess: many(3_000, 'b'), roles: rolesOf('y') });
cases.push({ name: 'diff: 3000 steps and 2000 roles, all different', budgetMs: 5_000, run: () => diffPages(hostileOld, hostileNew) });

const corpus = corpusPages().map((file) => parsePage(file.source, file.name));
cases.push({
  name: `diff: ${corpus.length - 1} neighbouring corpus page pairs`,
  budgetMs: 5_000,
  run: () => corpus.slice(1).map((next, i) => diffPages(corpus[i] ?? null, next).status),
});

const chunk = '/merge\n@all <script>alert(1)</script> ![x](javascript:alert(1))\n';
const huge = chunk.repeat(Math.ceil((2 * 1024 * 1024) / chunk.length));
const sanitizeOptions = { allowedMentions: new Set(['total-rewards-lead', 'recruiting-lead']), maxLength: huge.length };
cases.push({
  name: 'sanitizeBlock: 2 MB of quick actions, @all, HTML, javascript: links',
  budgetMs: 2_000,
  run: () => sanitizeBlock(huge, sanitizeOptions),
});

function time(run: () => unknown): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

console.log(`${cases.length} hostile cases; 1 warm-up + ${rounds} rounds each (node ${process.version})`);
let over = 0;
const width = Math.max(...cases.map((c) => c.name.length));
for (const c of cases) {
  time(c.run);
  const times = Array.from({ length: rounds }, () => time(c.run)).sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? 0;
  const slowest = times.at(-1) ?? 0;
  const within = slowest < c.budgetMs;
  if (!within) over += 1;
  console.log(
    `${c.name.padEnd(width)}  median ${median.toFixed(1).padStart(8)} ms  slowest ${slowest.toFixed(1).padStart(8)} ms  ${within ? 'ok' : `OVER the ${c.budgetMs} ms budget`}`,
  );
}
console.log(over === 0 ? 'every case within its budget (slowest round)' : `${over} case(s) over budget`);
if (over > 0) process.exitCode = 1;
