import { emptyPage, type JobFamilyPage, type Problem } from './model.js';
import type { PageDiff, PageLevelChange, ProblemFound, Scope } from './diff/changes.js';
import { hiringChanges } from './diff/hiring.js';
import { indicatorChanges } from './diff/indicators.js';
import { listChanges } from './diff/lists.js';
import { roleChanges, specialtyChanges } from './diff/roles.js';
import { multisetDifference } from './diff/text.js';

export * from './diff/changes.js';
export { triggersOf, triggersOfChange } from './diff/triggers.js';
export { normalizeText } from './diff/text.js';

/**
 * Semantic diff of two versions of a job-family page (DESIGN §4): what a reviewer must look at, not
 * which lines moved. Items are compared by normalized text, so re-wrapping, a trailing period or a
 * link's markup does not count as a change. Pure and deterministic: the same inputs give the same
 * changes in the same order (the reviewer checklist relies on it to avoid needless edits).
 */

export function diffPages(old: JobFamilyPage | null, next: JobFamilyPage | null): PageDiff {
  const reference = next ?? old;
  if (reference === null) return { path: '', title: '', status: 'unchanged', changes: [], roles: [] };
  const before = old ?? emptyPage(reference.path);
  const after = next ?? emptyPage(reference.path);

  const changes: PageLevelChange[] = [];
  if (old === null) changes.push({ kind: 'page-added' });
  if (next === null) changes.push({ kind: 'page-removed' });
  if (old !== null && next !== null && old.title.trim() !== next.title.trim()) {
    changes.push({ kind: 'title-changed', from: old.title, to: next.title });
  }
  const pageScope: Scope = { role: null };
  if (next !== null) {
    changes.push(...listChanges('responsibilities', before.responsibilities, after.responsibilities, pageScope));
    changes.push(...listChanges('requirements', before.requirements, after.requirements, pageScope));
    changes.push(...specialtyChanges(null, before.specialties ?? [], after.specialties ?? []));
    changes.push(...hiringChanges(before.hiringProcess, after.hiringProcess, pageScope));
    changes.push(...indicatorChanges(before.performanceIndicators, after.performanceIndicators));
    changes.push(...newProblems(old?.problems ?? [], after.problems));
  }

  const roles = roleChanges(before.roles, after.roles);
  const empty = changes.length === 0 && roles.length === 0;
  const status = old === null ? 'added' : next === null ? 'removed' : empty ? 'unchanged' : 'modified';
  return { path: reference.path, title: reference.title, status, changes, roles };
}

// ---------------------------------------------------------------------------------------------------
// Problems: those of the new version that the old one did not have (lines shift, so they are ignored).

function newProblems(before: readonly Problem[], after: readonly Problem[]): ProblemFound[] {
  const key = (problem: Problem) => `${problem.severity}\u0000${problem.code}\u0000${problem.message}`;
  return multisetDifference(before, after, key).added.map((problem) => ({ kind: 'problem-found', problem }));
}
