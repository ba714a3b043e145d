import { describe, expect, it } from 'vitest';
import { parsePage } from '../../src/jobfamily/parse.js';
import { readFrontMatter, normalizeSource } from '../../src/jobfamily/front-matter.js';

const BODY = ['## Levels', '', '### Engineer', '', 'The Engineer is a grade 6.', ''].join('\n');

describe('front matter', () => {
  it('reads title and description and numbers body lines from the top of the file', () => {
    const source = [
      '---',
      'layout: job_family_page',
      'title: "Platform Engineering"',
      'description: Builds the platform.',
      '---',
      '',
      BODY,
    ].join('\n');
    const page = parsePage(source, 'p.md');
    expect(page.title).toBe('Platform Engineering');
    expect(page.description).toBe('Builds the platform.');
    expect(page.problems).toEqual([expect.objectContaining({ code: 'role-without-hiring-process', line: 9 })]);
    expect(page.roles.map((r) => [r.name, r.grade, r.line])).toEqual([['Engineer', 6, 9]]);
  });

  it('handles CRLF line endings and a byte-order mark without shifting lines', () => {
    const source = `\uFEFF${['---', 'title: Windows', '---', '## Levels', '### Engineer', 'The Engineer is a grade 7.'].join('\r\n')}`;
    const page = parsePage(source, 'w.md');
    expect(page.title).toBe('Windows');
    expect(page.roles.map((r) => [r.name, r.grade, r.line])).toEqual([['Engineer', 7, 5]]);
  });

  it('reports missing front matter as an error on line 1, takes the title from the first "#" heading, and still parses the body', () => {
    const page = parsePage(['# Data Engineering', '', BODY].join('\n'), 'd.md');
    expect(page.title).toBe('Data Engineering');
    expect(page.description).toBe('');
    expect(page.problems[0]).toEqual({
      severity: 'error',
      code: 'front-matter-missing',
      message: expect.stringContaining('no front matter') as string,
      line: 1,
    });
    expect(page.roles.map((r) => [r.name, r.grade])).toEqual([['Engineer', 6]]);
  });

  it('reports unterminated front matter on line 1 and still parses what follows', () => {
    const page = parsePage(['---', 'title: Broken', '', BODY].join('\n'), 'u.md');
    expect(page.problems.map((p) => [p.severity, p.code, p.line])).toContainEqual(['error', 'front-matter-unterminated', 1]);
    expect(page.roles.map((r) => [r.name, r.grade])).toEqual([['Engineer', 6]]);
    // With nothing to read the title from, that is an error of its own.
    expect(page.title).toBe('');
    expect(page.problems.map((p) => p.code)).toContain('no-title');
  });

  it('reports invalid YAML with the file line of the error', () => {
    const source = ['---', 'title: Fine', 'description: [unclosed', 'owner: x', '---', BODY].join('\n');
    const page = parsePage(source, 'i.md');
    const invalid = page.problems.find((p) => p.code === 'front-matter-invalid');
    expect(invalid?.severity).toBe('error');
    expect(invalid?.line).toBeGreaterThanOrEqual(3);
    expect(invalid?.line).toBeLessThanOrEqual(5);
    expect(invalid?.message).toMatch(/^invalid YAML in front matter: /);
    expect(page.roles.map((r) => r.name)).toEqual(['Engineer']);
  });

  it('reports a duplicated key on the line of the duplicate', () => {
    const page = parsePage(['---', 'title: One', 'title: Two', '---', BODY].join('\n'), 'k.md');
    expect(page.problems.find((p) => p.code === 'front-matter-invalid')?.line).toBe(3);
  });

  it('still reads a description wrapped onto unindented lines (as the handbook writes them), reporting the error', () => {
    const source = [
      '---',
      'title: "Data Engineer"',
      'description: "As a Data Engineer you will build',
      'pipelines and models"',
      '---',
      BODY,
    ].join('\n');
    const page = parsePage(source, 'c.md');
    expect(page.title).toBe('Data Engineer');
    expect(page.description).toBe('As a Data Engineer you will build pipelines and models');
    expect(page.problems.find((p) => p.code === 'front-matter-invalid')?.line).toBe(3);
  });

  it('reports front matter that is not a mapping', () => {
    const page = parsePage(['---', '- a', '- b', '---', '# Title', BODY].join('\n'), 'l.md');
    expect(page.problems.map((p) => [p.code, p.line])).toContainEqual(['front-matter-invalid', 2]);
    expect(page.title).toBe('Title');
  });

  it('reports a page with neither a title key nor a "#" heading', () => {
    const page = parsePage(['---', 'layout: job_family_page', '---', BODY].join('\n'), 'n.md');
    expect(page.title).toBe('');
    expect(page.problems).toContainEqual({ severity: 'error', code: 'no-title', message: expect.any(String) as string, line: 1 });
  });

  it('stringifies a numeric title and ignores non-text descriptions', () => {
    const page = parsePage(['---', 'title: 2024', 'description: [a, b]', '---', BODY].join('\n'), 'x.md');
    expect(page.title).toBe('2024');
    expect(page.description).toBe('');
  });

  it('survives YAML alias bombs', () => {
    const bomb = [
      '---',
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
      'title: Bomb',
      '---',
      BODY,
    ].join('\n');
    const page = parsePage(bomb, 'bomb.md');
    expect(page.problems.map((p) => p.code)).toContain('front-matter-invalid');
    expect(page.roles).toHaveLength(1);
  });

  it('splits the source: body and the number of lines before it', () => {
    const front = readFrontMatter(normalizeSource('---\ntitle: T\n---\n# Body\n'));
    expect(front.body).toBe('# Body\n');
    expect(front.bodyLineOffset).toBe(3);
    expect(front.data).toEqual({ title: 'T' });
    expect(front.problems).toEqual([]);
    expect(readFrontMatter('---\n...').bodyLineOffset).toBe(2);
    expect(readFrontMatter('---').problems.map((p) => p.code)).toEqual(['front-matter-unterminated']);
  });
});
