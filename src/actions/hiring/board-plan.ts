import type { Board } from '../../gitlab/api.js';

/**
 * The hiring board's plan: the board named by `recruiting.board`, one list per stage label, in stage
 * order. Pure. Lists are never deleted (people may have added their own, and a list's removal loses
 * nothing the bot could not add back): lists of other labels keep their relative order after the
 * stage lists.
 *
 * Moves use GitLab's list semantics (MoveService): moving a list to position p takes it out and
 * inserts it at p, shifting the lists in between; a new list is appended at the end. The planner
 * simulates exactly that, and moves as few lists as possible (those outside a longest run already in
 * order), so a board in order plans nothing.
 */

export type BoardOp =
  { kind: 'create-board'; name: string } | { kind: 'create-list'; label: string } | { kind: 'move-list'; label: string; position: number };

/** The board the bot manages: the oldest one with that exact name. */
export function findBoard(boards: readonly Board[], name: string): Board | null {
  const named = boards.filter((board) => board.name === name).sort((a, b) => a.id - b.id);
  return named[0] ?? null;
}

/** Label names of a board's label lists, by position (backlog and closed lists have no label). */
export function boardLabelOrder(board: Board): string[] {
  return board.lists
    .filter((list) => list.label !== null)
    .sort((a, b) => a.position - b.position || a.id - b.id)
    .map((list) => list.label?.name ?? '');
}

export function planBoard(board: Board | null, name: string, stageLabels: readonly string[]): BoardOp[] {
  const ops: BoardOp[] = [];
  if (board === null) ops.push({ kind: 'create-board', name });
  const current = board === null ? [] : boardLabelOrder(board);
  const present = new Set(current);
  const wanted = [...new Set(stageLabels)];
  for (const label of wanted) {
    if (present.has(label)) continue;
    ops.push({ kind: 'create-list', label });
    current.push(label);
  }
  const wantedSet = new Set(wanted);
  const target = [...wanted, ...current.filter((label) => !wantedSet.has(label))];
  for (const move of planMoves(current, target)) ops.push({ kind: 'move-list', label: move.item, position: move.position });
  return ops;
}

/**
 * The moves ("take out, insert at position") that turn `current` into `target` (a permutation of it).
 * Items in a longest increasing subsequence (by target index) stay; each other item, in target order,
 * goes right after its predecessor in the target.
 */
export function planMoves(current: readonly string[], target: readonly string[]): Array<{ item: string; position: number }> {
  const rank = new Map(target.map((item, index) => [item, index]));
  const kept = longestIncreasingRun(current.map((item) => rank.get(item) ?? -1)).map((index) => current[index] ?? '');
  const stay = new Set(kept);
  const array = [...current];
  const moves: Array<{ item: string; position: number }> = [];
  target.forEach((item, index) => {
    if (stay.has(item)) return;
    array.splice(array.indexOf(item), 1);
    const previous = index === 0 ? undefined : target[index - 1];
    const position = previous === undefined ? 0 : array.indexOf(previous) + 1;
    array.splice(position, 0, item);
    moves.push({ item, position });
  });
  return moves;
}

/** Indices (into `values`) of one longest strictly increasing subsequence. */
function longestIncreasingRun(values: readonly number[]): number[] {
  // Patience sorting: tails[k] = index of the smallest tail of an increasing run of length k + 1.
  const tails: number[] = [];
  const previous: number[] = new Array<number>(values.length).fill(-1);
  values.forEach((value, index) => {
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((values[tails[middle] ?? 0] ?? 0) < value) low = middle + 1;
      else high = middle;
    }
    if (low > 0) previous[index] = tails[low - 1] ?? -1;
    tails[low] = index;
  });
  const run: number[] = [];
  for (let index = tails.at(-1) ?? -1; index >= 0; index = previous[index] ?? -1) run.push(index);
  return run.reverse();
}
