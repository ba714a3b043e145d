/**
 * Whether a role-part heading such as "Director, Security Assurance Responsibilities" speaks of
 * the role itself or of one of its specialties, and the specialty's name ("Security Assurance").
 */
import { trimName } from './section-kind.js';

// Words that qualify a role's level or a section without naming anything new.
const FILLER = new Set([
  'a',
  'an',
  'the',
  'of',
  'for',
  'and',
  'to',
  'in',
  'at',
  'on',
  'role',
  'roles',
  'level',
  'levels',
  'job',
  'basic',
  'base',
  'general',
  'primary',
  'additional',
  'key',
  'core',
  'all',
  'across',
  'team',
  'position',
  'junior',
  'associate',
  'intermediate',
  'senior',
  'sr',
  'staff',
  'principal',
  'lead',
  'distinguished',
  'fellow',
  'manager',
  'managers',
  'director',
  'directors',
  'vp',
  'this',
  'these',
  'our',
  'your',
]);

function words(text: string): string[] {
  return text
    .replace(/\([^)]*\)/g, ' ')
    .toLowerCase()
    .split(/[^\p{L}\p{N}+#&]+/u)
    .filter((w) => w.length > 0 && w !== '&');
}

/** "pmm" abbreviates a run of the role's words ("product marketing manager"). */
function isAcronymOf(word: string, roleWords: readonly string[]): boolean {
  if (word.length < 2) return false;
  for (let start = 0; start + word.length <= roleWords.length; start++) {
    let ok = true;
    for (let k = 0; k < word.length && ok; k++) ok = roleWords[start + k]?.[0] === word[k];
    if (ok) return true;
  }
  return false;
}

/** Loose singular so "Managers" matches "Manager". */
function stem(word: string): string {
  return word.length > 3 && word.endsWith('s') ? word.slice(0, -1) : word;
}

/**
 * `null` when the heading prefix names the role itself (or only a level word, or nothing);
 * otherwise the specialty's name: the prefix without the role's title words ("Director,") or,
 * for roles without a comma, without the words it shares with the role's name.
 */
export function specialtyName(prefix: string, roleName: string): string | null {
  const roleWords = words(roleName);
  const roleSet = new Set(roleWords.map(stem));
  const own = words(prefix).filter((w) => !FILLER.has(w) && !roleSet.has(stem(w)) && !isAcronymOf(w, roleWords));
  if (own.length === 0) return null;

  const comma = roleName.indexOf(',');
  if (comma > 0) {
    // "Director, Security" → specialties are written "Director, <Specialty>".
    const title = roleName.slice(0, comma).trim();
    if (prefix.toLowerCase().startsWith(title.toLowerCase())) {
      const rest = trimName(prefix.slice(title.length));
      if (rest) return rest;
    }
  }
  // "Senior Backend Engineer, Gitaly" under "Senior Backend Engineer" → "Gitaly".
  const prefixTokens = prefix.split(/\s+/);
  let k = 0;
  while (k < prefixTokens.length && k < roleWords.length && words(prefixTokens[k] ?? '').join(' ') === roleWords[k]) k++;
  return trimName(prefixTokens.slice(k).join(' ')) || trimName(prefix);
}
