import { allChanges, type Change, type PageDiff, type ReviewTrigger } from './changes.js';

/** The review triggers one change raises (without `any`, which every change raises). */
export function triggersOfChange(change: Change): ReviewTrigger[] {
  switch (change.kind) {
    case 'role-added':
    case 'specialty-added':
      return ['role-added'];
    case 'role-removed':
    case 'specialty-removed':
      return ['role-removed'];
    // A renamed role leaves the job catalogue under one title and enters it under another (job codes,
    // open requisitions), which is what the role-added and role-removed reviewers look after.
    case 'role-renamed':
      return ['role-removed', 'role-added'];
    case 'grade-changed':
      return ['grade-changed'];
    case 'responsibilities-changed':
      return ['responsibilities-changed'];
    case 'requirements-changed':
      return ['requirements-changed'];
    case 'hiring-step-added':
    case 'hiring-step-removed':
    case 'hiring-step-changed':
      return ['hiring-process-changed'];
    case 'performance-indicator-added':
    case 'performance-indicator-removed':
    case 'performance-indicator-changed':
      return ['performance-indicators-changed'];
    case 'problem-found':
      return ['problems'];
    case 'page-added':
    case 'page-removed':
    case 'title-changed':
      return [];
  }
}

/** The review triggers a diff raises; `any` when the diff is not empty. */
export function triggersOf(diff: PageDiff): Set<ReviewTrigger> {
  const triggers = new Set<ReviewTrigger>();
  for (const change of allChanges(diff)) {
    triggers.add('any');
    for (const trigger of triggersOfChange(change)) triggers.add(trigger);
  }
  return triggers;
}
