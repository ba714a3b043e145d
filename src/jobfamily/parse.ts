/**
 * markdown + front matter → JobFamilyPage (DESIGN §3). Pure and total: any input, however broken,
 * gives a model; what is wrong with it is reported as problems with 1-based file lines.
 *
 * Pipeline: front matter (yaml) → markdown-it tokens → outline (one pass) → page walker (roles and
 * their parts) → settle (single-role pages, inheritance, problems).
 */
import { emptyPage, type JobFamilyPage, type Problem } from './model.js';
import { readFrontMatter, normalizeSource, textValue } from './front-matter.js';
import { tokenize } from './markdown.js';
import { buildOutline, type Section } from './outline.js';
import { PageWalker } from './page-walker.js';
import { settle, byLine } from './settle.js';
import { findGrade } from './grade.js';
import { problem } from './problems.js';
import { stagerFor, type StageRule } from './stages.js';

export interface ParseOptions {
  /** Hiring-stage rules (from configuration); the built-in, role-aware staging otherwise. */
  stageRules?: readonly StageRule[];
}

function firstHeading(section: Section, level: number): Section | undefined {
  for (const child of section.children) {
    if (child.level === level && child.title) return child;
    const found = firstHeading(child, level);
    if (found) return found;
  }
  return undefined;
}

/** A grade stated in the text before the first heading (pages that are one role). */
function rootGrade(root: Section): number | undefined {
  for (const block of root.blocks) {
    if (block.kind !== 'paragraph') continue;
    for (const line of block.lines) {
      const grade = findGrade(line.text);
      if (grade !== undefined) return grade;
    }
  }
  return undefined;
}

function build(source: string, path: string, options: ParseOptions): JobFamilyPage {
  const front = readFrontMatter(normalizeSource(source));
  const root = buildOutline(tokenize(front.body), front.bodyLineOffset);
  const problems: Problem[] = [...front.problems];

  const title = textValue(front.data['title']) || firstHeading(root, 1)?.title || '';
  if (!title) problems.push(problem('no-title', 1, 'the page has no title (front matter "title" or a "# " heading)'));

  const draft = new PageWalker().walk(root);
  const settled = settle(draft, title, rootGrade(root), stagerFor(options.stageRules), options.stageRules === undefined);
  return {
    path,
    title,
    description: textValue(front.data['description']),
    ...settled,
    problems: [...problems, ...settled.problems].sort(byLine),
  };
}

/**
 * Parses one job-family page. Never throws: a failure of the parser itself (a bug, not a page
 * problem) still yields a model with the page's path and an error problem, so one bad page never
 * stops a batch.
 */
export function parsePage(source: string, path: string, options: ParseOptions = {}): JobFamilyPage {
  try {
    return build(typeof source === 'string' ? source : String(source), path, options);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ...emptyPage(path), problems: [problem('unreadable', 1, `the page could not be read (please report this): ${reason}`)] };
  }
}
