import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePage } from '../../src/jobfamily/parse.js';

/** The vendored test material (test/fixtures), read directly. */
const FIXTURES = new URL('../fixtures/', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, FIXTURES), 'utf8');

const stagesOf = (source: string, name: string): [string, [string, number][]][] =>
  parsePage(source, name).roles.map((role) => [role.name, role.hiringProcess.map((step): [string, number] => [step.stage, step.line])]);

describe('the seeds’ hiring stages, role by role', () => {
  it('Security Leadership: the Senior Manager reports to a Director of Security; the others to the CISO', () => {
    expect(stagesOf(read('seeds/security-leadership.md'), 'security-leadership.md')).toEqual([
      [
        'Senior Manager, Security',
        [
          ['screening', 81],
          ['hiring-manager', 82],
          ['team-interviews', 83],
          ['executive', 84],
          ['offer', 85],
        ],
      ],
      [
        'Director, Security',
        [
          ['screening', 176],
          ['hiring-manager', 177],
          ['team-interviews', 178],
          ['team-interviews', 179],
          ['hiring-manager', 180],
          ['offer', 181],
        ],
      ],
      [
        'Senior Director, Security',
        [
          ['screening', 239],
          ['hiring-manager', 240],
          ['team-interviews', 241],
          ['hiring-manager', 242],
          ['executive', 243],
          ['offer', 244],
        ],
      ],
      [
        'Vice President (VP) of Security',
        [
          ['screening', 302],
          ['hiring-manager', 303],
          ['team-interviews', 304],
          ['executive', 305],
          ['offer', 306],
        ],
      ],
    ]);
  });

  it('Threat Management: the manager reports to the Sr. Manager, so the Director and the VP are above the hiring manager', () => {
    expect(stagesOf(read('seeds/threat-management.md'), 'threat-management.md')).toEqual([
      [
        'Manager, Vulnerability Management Team',
        [
          ['screening', 61],
          ['executive', 62],
          ['team-interviews', 63],
          ['executive', 64],
          ['offer', 65],
        ],
      ],
    ]);
  });
});

interface Heading {
  line: number;
  level: number;
  hiring: boolean;
}

/** Headings of a page, read with a plain line scan (not the product's outline), outside code fences. */
function headings(source: string): Heading[] {
  const found: Heading[] = [];
  let fenced = false;
  source.split('\n').forEach((text, index) => {
    if (/^\s*(?:```|~~~)/.test(text)) fenced = !fenced;
    const match = fenced ? null : /^(#{1,6})\s+(.*)$/.exec(text);
    if (!match) return;
    const title = (match[2] ?? '').replace(/\([^)]*\)/g, '');
    found.push({
      line: index + 1,
      level: match[1]?.length ?? 0,
      hiring: /hiring process|interview(?:ing)? process|interview team|^\s*hiring\s*$/i.test(title),
    });
  });
  return found;
}

/** The outermost hiring-process heading whose section holds `line`, if any. */
function outermostProcess(all: readonly Heading[], line: number): number | undefined {
  let owner: number | undefined;
  let ceiling = 7;
  for (let i = all.length - 1; i >= 0; i--) {
    const heading = all[i];
    if (!heading || heading.line > line || heading.level >= ceiling) continue;
    ceiling = heading.level;
    if (heading.hiring) owner = heading.line;
  }
  return owner;
}

describe('the corpus: a role’s process is one section', () => {
  const dir = new URL('corpus/job-families/', FIXTURES);
  const files = readdirSync(dir).filter((name) => name.endsWith('.md') || name.endsWith('.erb'));

  it('reads every role’s steps from a single hiring-process section', () => {
    expect(files.length).toBeGreaterThan(200);
    let roles = 0;
    for (const name of files) {
      const source = readFileSync(new URL(name, dir), 'utf8');
      const all = headings(source);
      for (const role of parsePage(source, name).roles) {
        if (role.hiringProcess.length === 0) continue;
        roles += 1;
        const sections = new Set(role.hiringProcess.map((step) => outermostProcess(all, step.line)));
        expect([...sections], `${name}: ${role.name}`).toHaveLength(1);
      }
    }
    expect(roles).toBeGreaterThan(500);
  });
});
