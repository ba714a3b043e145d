import { marker, markerKeys, parseAttributes } from '../../gitlab/markers.js';

/**
 * What the bot keeps about a merge request, in a hidden marker at the end of its checklist note:
 * the commit the note was written for, the ids of the items that gate the merge, the errors `check`
 * found, pages that could not be reviewed, and the rule labels the bot itself added.
 *
 * It lives in GitLab rather than Redis so that it survives a Redis flush or a move to another
 * deployment, is read in the same call that finds the note, and can never disagree with the note the
 * people ticked. Pure.
 */

export const REVIEW_STATE_KIND = 'review-state';

export interface ReviewState {
  commit: string;
  /** Ids of the checklist items of `blocking: true` rules. */
  blocking: string[];
  /** Errors `check` found on the changed pages (a broken front matter is one). */
  errors: number;
  /** Pages whose review failed for good (`recheck` to try again). */
  unreviewed: number;
  /** Rule labels the bot added to the merge request and still owns; labels people add are never listed. */
  labels: string[];
}

/**
 * Label names may hold anything GitLab allows except commas; inside an HTML comment they must not hold
 * spaces (attribute separator), `>` or `--`. Those characters (and `%`, `,`, `<`, `=`) are
 * percent-encoded, `-` only after `-`; `job-family::grade-change` stays as it reads.
 */
function encodeLabel(name: string): string {
  return name.replace(/[%,<>=\s]|[^\x21-\x7e]/gu, (char) => encodeURIComponent(char)).replace(/-(?=-)/gu, '%2D');
}

function decodeLabel(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

const ID = /^[0-9a-f]{12}(?:-\d+)?$/u;

export function renderReviewState(state: ReviewState): string {
  const commit = state.commit.replace(/[^A-Za-z0-9]/gu, '');
  const parts = [
    `commit=${commit}`,
    `blocking=${state.blocking.filter((id) => ID.test(id)).join(',')}`,
    `errors=${Math.max(0, Math.trunc(state.errors))}`,
    `unreviewed=${Math.max(0, Math.trunc(state.unreviewed))}`,
    `labels=${state.labels.map(encodeLabel).join(',')}`,
  ];
  return marker(REVIEW_STATE_KIND, parts.join(' '));
}

/** The last state marker of a body (a person quoting an older note above it changes nothing), or `null`. */
export function parseReviewState(body: string | null | undefined): ReviewState | null {
  const key = markerKeys(body, REVIEW_STATE_KIND).at(-1);
  if (key === undefined) return null;
  const attributes = parseAttributes(key);
  const commit = attributes.commit;
  if (commit === undefined || commit === '') return null;
  const list = (value: string | undefined) => (value === undefined || value === '' ? [] : value.split(','));
  const count = (value: string | undefined) => {
    const n = Number(value ?? '0');
    return Number.isInteger(n) && n >= 0 ? n : 0;
  };
  return {
    commit,
    blocking: list(attributes.blocking).filter((id) => ID.test(id)),
    errors: count(attributes.errors),
    unreviewed: count(attributes.unreviewed),
    labels: list(attributes.labels)
      .map(decodeLabel)
      .filter((name): name is string => name !== null && name !== ''),
  };
}
