import { diffPages } from '../jobfamily/diff.js';
import type { JobFamilyPage } from '../jobfamily/model.js';
import type { ChecklistPage } from './review-checklist-render.js';

/**
 * What a `page-review` child returns and `handbook-bot diff` shows: one page's two versions compared.
 * Pure, JSON-serialisable (it travels through Redis as the child's return value). A new version whose
 * front matter does not parse is not compared: the checklist shows a blocking item instead.
 */
export function reviewPageVersions(path: string, before: JobFamilyPage | null, after: JobFamilyPage | null): ChecklistPage {
  const broken = after?.problems.find((problem) => problem.code.startsWith('front-matter-') && problem.severity === 'error');
  const title = after?.title || before?.title || path;
  if (broken !== undefined) {
    return { path, title, diff: null, problems: after?.problems ?? [], brokenFrontMatter: `line ${broken.line}: ${broken.message}` };
  }
  return { path, title, diff: diffPages(before, after), problems: after?.problems ?? [] };
}
