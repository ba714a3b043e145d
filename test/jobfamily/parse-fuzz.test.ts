import { describe, expect, it } from 'vitest';
import { parsePage } from '../../src/jobfamily/parse.js';
import type { JobFamilyPage } from '../../src/jobfamily/model.js';
import { corpusPages, seed } from '../support/pages.js';

/**
 * Robustness: hostile and mangled input never throws and always yields a well-formed model. Random
 * cases come from a seeded PRNG so a failure reproduces. How long the worst of these inputs take is
 * measured by `npm run bench:hostile`, not asserted here.
 */

/** mulberry32: small, fast, deterministic. */
function prng(seedValue: number): () => number {
  let a = seedValue >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (random: () => number, max: number): number => Math.floor(random() * max);

/** Parses and checks the model's shape; returns it for further checks. */
function parseChecked(source: string, path = 'fuzz.md'): JobFamilyPage {
  const page = parsePage(source, path);
  expect(page.path).toBe(path);
  expect(typeof page.title).toBe('string');
  for (const problem of page.problems) {
    expect(Number.isInteger(problem.line)).toBe(true);
    expect(problem.line).toBeGreaterThanOrEqual(1);
    expect(['error', 'warning']).toContain(problem.severity);
  }
  for (const role of page.roles) {
    expect(role.grade === null || Number.isFinite(role.grade)).toBe(true);
    for (const step of role.hiringProcess) expect(step.stage.length).toBeGreaterThan(0);
  }
  // The model is plain JSON (check --json prints it as is).
  expect(() => JSON.stringify(page)).not.toThrow();
  return page;
}

describe('parsePage on hostile input', () => {
  it('handles empty and whitespace-only input', () => {
    for (const source of ['', '\n', '   ', '\r\n\r\n', '\t\f\v', '---', '---\n---', '---\n---\n']) {
      const page = parseChecked(source);
      expect(page.roles).toEqual([]);
      expect(page.problems.map((p) => p.code)).toContain('no-title');
    }
  });

  it('handles lists nested 5000 levels deep (bullets, numbers, mixed)', () => {
    const bullets = Array.from({ length: 5000 }, (_, i) => `${' '.repeat(i * 2)}- item ${i}`).join('\n');
    const numbers = Array.from({ length: 5000 }, (_, i) => `${' '.repeat(i * 3)}1. step ${i}`).join('\n');
    const markers = Array.from({ length: 5000 }, (_, i) => `${'- '.repeat(i)}x`).join('\n');
    for (const body of [bullets, numbers, markers]) {
      const page = parseChecked(
        `---\ntitle: Deep\n---\n## Engineer\nThe Engineer is a grade 6.\n### Responsibilities\n${body}\n## Hiring Process\n${body}\n`,
      );
      expect(page.roles.map((r) => [r.name, r.grade])).toEqual([['Engineer', 6]]);
      expect(page.roles[0]?.responsibilities.length).toBeGreaterThan(0);
    }
  });

  it('handles 10 000 nested blockquotes and 10 000 headings', () => {
    parseChecked(`---\ntitle: Quotes\n---\n${'>'.repeat(10_000)} grade 5`);
    const headings = Array.from(
      { length: 10_000 },
      (_, i) => `${'#'.repeat((i % 6) + 1)} Senior Engineer ${i}\nThe role is a grade ${i % 12}.`,
    ).join('\n');
    const page = parseChecked(`---\ntitle: Headings\n---\n${headings}`);
    expect(page.roles.length).toBeGreaterThan(1000);
  });

  it('handles unterminated front matter with markdown after it', () => {
    const page = parseChecked('---\ntitle: "Never closed\ndescription: x\n## Levels\n### Engineer\nThe Engineer is a grade 6.\n');
    expect(page.problems[0]).toMatchObject({ severity: 'error', code: 'front-matter-unterminated', line: 1 });
    expect(page.roles.map((r) => [r.name, r.grade])).toEqual([['Engineer', 6]]);
  });

  it('handles a 1 MB line, in the body and in the front matter', () => {
    const long = 'grade 9 '.repeat(131_072);
    parseChecked(`---\ntitle: Long\n---\n## Engineer\n${long}\n`);
    parseChecked(`---\ntitle: ${'x'.repeat(1_048_576)}\n---\n# Body\n`);
    parseChecked(`---\ntitle: Links\n---\n## Hiring Process\n- ${'[a](b) '.repeat(100_000)}\n`);
  });

  it('handles NUL bytes and other control characters', () => {
    const page = parseChecked(
      '---\ntitle: "Nul\u0000Title"\n---\n## Eng\u0000ineer\nThe Engineer is a grade\u0000 6.\n\u0000\u0001\u0002\u001b[31m',
    );
    expect(page.title).toContain('Nul');
    parseChecked('\u0000'.repeat(100_000));
  });

  it('handles pathological inline markup', () => {
    for (const source of [
      '['.repeat(50_000),
      '*a'.repeat(50_000),
      '`'.repeat(20_000),
      '<'.repeat(50_000),
      '![['.repeat(20_000),
      '_'.repeat(100_000),
    ]) {
      parseChecked(`---\ntitle: Inline\n---\n## Responsibilities\n- ${source}\n`);
    }
  });

  it('handles random bytes (seeded)', () => {
    const random = prng(0x5eed);
    for (let round = 0; round < 40; round++) {
      const bytes = Uint8Array.from({ length: 1 + int(random, 20_000) }, () => int(random, 256));
      parseChecked(new TextDecoder('utf-8', { fatal: false }).decode(bytes));
      parseChecked(Buffer.from(bytes).toString('latin1'));
    }
  });

  it('handles random markdown and YAML fragments (seeded)', () => {
    const random = prng(42);
    const pieces = [
      '---',
      '...',
      'title: x',
      'title: [',
      'description: "a',
      '  - b',
      '&a x',
      '*a',
      '? k',
      ': v',
      '!!binary x',
      '#',
      '##',
      '### Job Grade',
      '#### Responsibilities',
      '## Levels',
      '## Hiring Process',
      '## Specialties',
      '## Career Ladder',
      '## Performance Indicators',
      '- ',
      '* ',
      '1. ',
      '   ',
      '    code',
      '```',
      '~~~',
      '> ',
      '| a | b |',
      '|---|---|',
      '<!--',
      '-->',
      '<div>',
      '</div>',
      'grade 7',
      '[grade 9](x)',
      'is a [6]',
      'does not have a grade',
      'Step 1: screening',
      'CEO',
      'offer',
      '{placeholder}',
      '\\',
      '\t',
      '\u00a0',
      '\u2028',
      '💥',
      'OKRs',
      '[',
      ']',
      '(',
      ')',
      '**',
      '_',
      '`',
    ];
    for (let round = 0; round < 300; round++) {
      const lines = Array.from({ length: 1 + int(random, 80) }, () =>
        Array.from({ length: 1 + int(random, 4) }, () => pieces[int(random, pieces.length)] ?? '').join(random() < 0.5 ? ' ' : ''),
      );
      parseChecked(lines.join(random() < 0.9 ? '\n' : '\r\n'));
    }
  });

  it('handles mutated real pages (seeded): lines dropped, duplicated, shuffled, heading levels changed', () => {
    const random = prng(7);
    const pages = [seed('security-leadership.md'), seed('threat-management.md'), ...corpusPages().filter((_, i) => i % 9 === 0)];
    for (const file of pages) {
      const original = file.source.split('\n');
      for (let round = 0; round < 5; round++) {
        const lines = [...original];
        for (let edits = 0; edits < 1 + int(random, 30); edits++) {
          const at = int(random, lines.length);
          const line = lines[at] ?? '';
          switch (int(random, 6)) {
            case 0:
              lines.splice(at, 1);
              break;
            case 1:
              lines.splice(at, 0, line, line);
              break;
            case 2:
              lines.splice(at, 1, lines[int(random, lines.length)] ?? '');
              break;
            case 3:
              lines[at] = line.replace(/^#+/, '#'.repeat(1 + int(random, 6)));
              break;
            case 4:
              lines[at] = `${' '.repeat(int(random, 8))}${line}`;
              break;
            default:
              lines[at] = line.slice(0, int(random, line.length + 1));
          }
        }
        parseChecked(lines.join('\n'), file.name);
      }
    }
  });

  it('gives the same model for the same input (no hidden state between calls)', () => {
    const { source } = seed('security-leadership.md');
    const first = JSON.stringify(parsePage(source, 'a.md'));
    parsePage('## Noise\nThe Noise is a grade 3.', 'b.md');
    expect(JSON.stringify(parsePage(source, 'a.md'))).toBe(first);
  });
});
