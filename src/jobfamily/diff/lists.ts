import type { ListChanged, ListField, Scope } from './changes.js';
import { multisetDifference, normalizeText } from './text.js';

// Lists (responsibilities, requirements): multiset difference by normalized text.

export function listChanges(field: ListField, before: readonly string[], after: readonly string[], scope: Scope): ListChanged[] {
  const { added, removed } = multisetDifference(before, after, normalizeText);
  if (added.length === 0 && removed.length === 0) return [];
  return [{ kind: `${field}-changed`, ...scope, added, removed }];
}
