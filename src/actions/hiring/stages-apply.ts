import type { Board, Label } from '../../gitlab/api.js';
import type { ProjectId } from '../../queue/jobs.js';
import type { ActionContext } from '../shared/context.js';
import { findBoard, planBoard } from './board-plan.js';
import { findLabel, planStageLabels, type StageLabelSpec } from './stages-plan.js';

/**
 * The I/O half of the hiring stages: read labels and boards, write what the planners say. Callers hold
 * the labels lock (`hiringLabelsLockKey`), so two workers never both create the same label or list.
 */

export function hiringLabelsLockKey(lockPrefix: string, project: ProjectId): string {
  return `${lockPrefix}hiring-labels:${String(project)}`;
}

export interface StageLabelsResult {
  created: string[];
  updated: string[];
  /** Creates answered 409: the label exists already (a group label, or another writer). Success. */
  existed: string[];
  /** The project's labels after the writes (listed again when a create met a 409). */
  labels: Label[];
}

/** Creates and updates the stage labels to match the desired ones (page-sync). */
export async function reconcileStageLabels(
  ctx: ActionContext,
  project: ProjectId,
  desired: readonly StageLabelSpec[],
): Promise<StageLabelsResult> {
  const existing = await ctx.gitlab.listLabels(project);
  const ops = planStageLabels(desired, existing);
  const result: StageLabelsResult = { created: [], updated: [], existed: [], labels: [...existing] };
  for (const op of ops) {
    if (op.kind === 'create-label') {
      const label = await ctx.gitlab.createLabel(project, op.label);
      if (label === null) result.existed.push(op.label.name);
      else {
        result.created.push(op.label.name);
        result.labels.push(label);
      }
    } else {
      const label = await ctx.gitlab.editLabel(project, op.labelId, { color: op.color, description: op.description });
      result.updated.push(op.name);
      result.labels = result.labels.map((candidate) =>
        candidate.id === op.labelId ? { ...candidate, ...label, name: candidate.name } : candidate,
      );
    }
  }
  if (ops.length > 0)
    ctx.logger.info(
      { project, created: result.created, updated: result.updated, existed: result.existed },
      'hiring-stage labels reconciled',
    );
  // A 409 label is not in our list (a group label not yet visible, or a race): its id is needed for the board.
  if (result.existed.length > 0) result.labels = await ctx.gitlab.listLabels(project);
  return result;
}

export interface BoardResult {
  boardId: number;
  created: boolean;
  listsAdded: string[];
  listsMoved: string[];
}

export async function reconcileHiringBoard(
  ctx: ActionContext,
  project: ProjectId,
  desired: { name: string; lists: readonly string[] },
  labels: readonly Label[],
): Promise<BoardResult> {
  let board: Board | null = findBoard(await ctx.gitlab.listBoards(project), desired.name);
  const created = board === null;
  // A new board is planned from what GitLab answered, in case it came with lists of its own.
  board ??= await ctx.gitlab.createBoard(project, desired.name);
  const boardId = board.id;
  const listIds = new Map(board.lists.flatMap((list) => (list.label === null ? [] : [[list.label.name, list.id] as const])));
  const result: BoardResult = { boardId, created, listsAdded: [], listsMoved: [] };

  for (const op of planBoard(board, desired.name, desired.lists)) {
    if (op.kind === 'create-board') continue; // created above
    if (op.kind === 'create-list') {
      const label = findLabel(labels, op.label);
      if (label === undefined) throw new Error(`cannot add the board list for ${op.label}: the label does not exist in the project`);
      const list = await ctx.gitlab.createBoardList(project, boardId, label.id);
      listIds.set(op.label, list.id);
      result.listsAdded.push(op.label);
    } else {
      const listId = listIds.get(op.label);
      if (listId === undefined) throw new Error(`cannot move the board list of ${op.label}: it is not on board ${boardId}`);
      await ctx.gitlab.moveBoardList(project, boardId, listId, op.position);
      result.listsMoved.push(op.label);
    }
  }
  if (created || result.listsAdded.length > 0 || result.listsMoved.length > 0) {
    ctx.logger.info({ project, board: desired.name, ...result }, 'hiring board reconciled');
  }
  return result;
}
