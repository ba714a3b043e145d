import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pageMatcher } from '../config/page-matcher.js';
import type { Config } from '../config/types.js';
import { ioErrorLine } from './io.js';

/**
 * Turns `check`'s arguments into page files. A named file is always checked. A directory is walked and
 * a file in it is a page when its path matches the page globs (as in the handbook repository) or, for a
 * copy laid out differently, when it is markdown whose front matter says `layout: job_family_page`.
 */
export interface PageFiles {
  files: string[];
  errors: string[];
}

const MARKDOWN = /\.md(\.erb)?$/;
const LAYOUT = /^layout:\s*["']?job_family_page["']?\s*$/m;

export function collectPageFiles(args: readonly string[], config: Pick<Config, 'handbook'>): PageFiles {
  const isPagePath = pageMatcher(config);
  const globs = config.handbook.pages;
  const files: string[] = [];
  const errors: string[] = [];
  for (const arg of args) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(arg).isDirectory();
    } catch (error) {
      errors.push(ioErrorLine(arg, error));
      continue;
    }
    if (!isDirectory) {
      files.push(arg);
      continue;
    }
    let markdown: string[];
    try {
      markdown = walk(arg);
    } catch (error) {
      errors.push(ioErrorLine(arg, error));
      continue;
    }
    const found = markdown.filter((file) => isPagePath(relative(process.cwd(), file)) || isPagePath(file) || declaresJobFamily(file));
    if (found.length === 0) errors.push(`handbook-bot: no job-family pages under ${arg} (looked for ${globs.join(', ')})`);
    files.push(...found);
  }
  return { files, errors };
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name === 'node_modules' || entry.name === '.git') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path));
    else if (entry.isFile() && MARKDOWN.test(entry.name)) out.push(path);
  }
  return out;
}

function declaresJobFamily(file: string): boolean {
  try {
    const head = readFileSync(file, 'utf8').slice(0, 2_000);
    const end = head.indexOf('\n---', 3);
    return head.startsWith('---') && LAYOUT.test(end === -1 ? head : head.slice(0, end));
  } catch {
    return false;
  }
}
