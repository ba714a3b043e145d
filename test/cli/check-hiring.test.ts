import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/cli/check.js';
import type { CliIo } from '../../src/cli/io.js';
import { configSchema } from '../../src/config/schema.js';
import { resolveConfig } from '../../src/config/load.js';

const config = resolveConfig(configSchema.parse({ handbook: { project: 'acme/handbook' } }));

function capture(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (line) => out.push(line), stderr: (line) => err.push(line) };
}

const scratch = mkdtempSync(join(tmpdir(), 'hbt-check-hiring-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function write(name: string, lines: string[]): string {
  const path = join(scratch, name);
  writeFileSync(path, lines.join('\n'));
  return path;
}

describe('check: hiring processes editors can fix', () => {
  it('warns, on its line, about a step it can only stage as other, and about a process without an offer', () => {
    const path = write('engineer.md', [
      '---',
      'layout: job_family_page',
      'title: Engineer',
      '---',
      '## Engineer',
      'The Engineer is a grade 6 and reports to the Engineering Manager.',
      '## Hiring Process',
      '- Qualified candidates will be invited to schedule a 30 minute screening call with one of our Global Recruiters.',
      '- Next, candidates will be invited to schedule an interview with the Engineering Manager.',
      '- Lunch with everyone at the office.',
    ]);
    const io = capture();
    expect(runCheck([path], { json: false, config, io })).toBe(0);
    expect(io.out.filter((line) => line.includes(': warning: '))).toEqual([
      `${path}:8: warning: the hiring process of the family (used by 1 role(s)) has no offer step: add one (for example "Successful candidates will subsequently be made an offer.")`,
      `${path}:10: warning: the hiring step "Lunch with everyone at the office." fits no hiring stage: say whom the candidate meets (a recruiter, the hiring manager, the team, an executive) or what they do (an assessment, references, the offer), or remove the line if it is not a step`,
    ]);
  });

  it('warns about a role whose own process has no screening step, on the role’s line', () => {
    const path = write('levels.md', [
      '---',
      'layout: job_family_page',
      'title: Levels',
      '---',
      '## Analyst',
      'The Analyst is a grade 6.',
      '### Hiring Process',
      '- Interview with the hiring manager.',
      '- Successful candidates will subsequently be made an offer.',
      '## Senior Analyst',
      'The Senior Analyst is a grade 7.',
      '### Hiring Process',
      '- Screening call with a recruiter.',
      '- Successful candidates will subsequently be made an offer.',
    ]);
    const io = capture();
    expect(runCheck([path], { json: false, config, io })).toBe(0);
    expect(io.out.filter((line) => line.includes(': warning: '))).toEqual([
      `${path}:5: warning: the hiring process of the role "Analyst" has no screening step: add one (for example a screening call with a recruiter)`,
    ]);
  });

  it('stays quiet about stages when the configuration names its own', () => {
    const custom = resolveConfig(
      configSchema.parse({
        handbook: { project: 'acme/handbook' },
        recruiting: { stages: [{ name: 'talk', color: '#112233', patterns: ['interview'] }] },
      }),
    );
    const path = write('custom.md', [
      '---',
      'layout: job_family_page',
      'title: Custom',
      '---',
      '## Role',
      'Grade 6.',
      '## Hiring Process',
      '- Lunch with everyone.',
    ]);
    const io = capture();
    expect(runCheck([path], { json: false, config: custom, io })).toBe(0);
    expect(io.out.filter((line) => line.includes(': warning: '))).toEqual([]);
  });
});
