import { nameKey } from '../grade.js';
import type { Role, Specialty } from '../model.js';
import type { ListChanged, RoleChange, Scope, RoleLevelChange, SpecialtyAdded, SpecialtyRemoved } from './changes.js';
import { hiringChanges } from './hiring.js';
import { listChanges } from './lists.js';
import { greedyPairs, jaccard, normalizeText, pairByKey } from './text.js';

// ---------------------------------------------------------------------------------------------------
// Roles: match by name (case/punctuation-insensitive), then pair leftovers with similar content as renames.

/** Grade agreement plus responsibility overlap at or above this counts as the same role renamed. */
const RENAME_THRESHOLD = 0.6;

export function roleChanges(before: readonly Role[], after: readonly Role[]): RoleChange[] {
  const pairs = pairByKey(before, after, (role) => nameKey(role.name));
  const unmatchedOld = before.map((_, i) => i).filter((i) => !pairs.oldToNew.has(i));
  const unmatchedNew = after.map((_, j) => j).filter((j) => !pairs.newToOld.has(j));
  for (const [i, j] of greedyPairs(unmatchedOld, unmatchedNew, (i, j) => roleSimilarity(before[i]!, after[j]!), RENAME_THRESHOLD)) {
    pairs.oldToNew.set(i, j);
    pairs.newToOld.set(j, i);
  }

  const result: RoleChange[] = [];
  after.forEach((role, j) => {
    const i = pairs.newToOld.get(j);
    if (i === undefined) {
      result.push({
        role: role.name,
        previousName: null,
        status: 'added',
        changes: [{ kind: 'role-added', role: role.name, grade: role.grade, line: role.line }],
      });
      return;
    }
    const previous = before[i]!;
    const renamed = previous.name !== role.name;
    const changes: RoleLevelChange[] = [];
    if (renamed) changes.push({ kind: 'role-renamed', from: previous.name, to: role.name, line: role.line });
    changes.push(...matchedRoleChanges(previous, role));
    if (changes.length > 0) {
      result.push({ role: role.name, previousName: renamed ? previous.name : null, status: renamed ? 'renamed' : 'modified', changes });
    }
  });
  before.forEach((role, i) => {
    if (pairs.oldToNew.has(i)) return;
    result.push({
      role: role.name,
      previousName: null,
      status: 'removed',
      changes: [{ kind: 'role-removed', role: role.name, grade: role.grade, line: role.line }],
    });
  });
  return result;
}

function matchedRoleChanges(old: Role, next: Role): RoleLevelChange[] {
  const changes: RoleLevelChange[] = [];
  const scope: Scope = { role: next.name };
  if (old.grade !== next.grade) {
    changes.push({ kind: 'grade-changed', role: next.name, from: old.grade, to: next.grade, line: next.line });
  }
  changes.push(...listChanges('responsibilities', old.responsibilities, next.responsibilities, scope));
  changes.push(...listChanges('requirements', old.requirements, next.requirements, scope));
  // An inherited process is the page's: its changes are reported once, at page level. That covers a
  // role going from no process to the page's (a hiring section added) and back.
  const pageOwned = (role: Role) => role.hiringProcessInherited || role.hiringProcess.length === 0;
  if (!(pageOwned(old) && pageOwned(next))) {
    changes.push(...hiringChanges(old.hiringProcess, next.hiringProcess, scope));
  }
  changes.push(...specialtyChanges(next.name, old.specialties, next.specialties));
  return changes;
}

export function specialtyChanges(
  role: string | null,
  before: readonly Specialty[],
  after: readonly Specialty[],
): Array<SpecialtyAdded | SpecialtyRemoved | ListChanged> {
  const pairs = pairByKey(before, after, (specialty) => nameKey(specialty.name));
  const changes: Array<SpecialtyAdded | SpecialtyRemoved | ListChanged> = [];
  after.forEach((specialty, j) => {
    const i = pairs.newToOld.get(j);
    if (i === undefined) {
      changes.push({ kind: 'specialty-added', role, specialty: specialty.name });
      return;
    }
    const old = before[i]!;
    const scope: Scope = { role, specialty: specialty.name };
    changes.push(...listChanges('responsibilities', old.responsibilities, specialty.responsibilities, scope));
    changes.push(...listChanges('requirements', old.requirements, specialty.requirements, scope));
  });
  before.forEach((specialty, i) => {
    if (!pairs.oldToNew.has(i)) changes.push({ kind: 'specialty-removed', role, specialty: specialty.name });
  });
  return changes;
}

function roleSimilarity(a: Role, b: Role): number {
  const overlap =
    a.responsibilities.length > 0 || b.responsibilities.length > 0
      ? jaccard(a.responsibilities.map(normalizeText), b.responsibilities.map(normalizeText))
      : jaccard(a.requirements.map(normalizeText), b.requirements.map(normalizeText));
  if (overlap === 0) return 0;
  return 0.25 * (a.grade === b.grade ? 1 : 0) + 0.75 * overlap;
}
