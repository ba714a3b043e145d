import { badParam, notFound, SimHttpError } from '../http/errors.js';
import { paginate } from '../http/pagination.js';
import { json } from '../http/types.js';
import type { Route } from '../http/router.js';
import type { SimRequest } from '../http/types.js';
import { renderBoard, renderBoardList } from '../render.js';
import type { SimBoard, SimBoardList, SimProject } from '../types.js';
import { intParam, projectOf, requireAccess } from './common.js';

const REPORTER = 20;

function boardOf(req: SimRequest): { project: SimProject; board: SimBoard } {
  const project = projectOf(req);
  const id = intParam(req, 'board_id');
  const board = req.state.boards.find((b) => b.projectId === project.id && b.id === id);
  if (board === undefined) throw notFound('Board');
  return { project, board };
}

function listOf(req: SimRequest): { project: SimProject; board: SimBoard; list: SimBoardList } {
  const found = boardOf(req);
  const id = intParam(req, 'list_id');
  const list = found.board.lists.find((l) => l.id === id);
  if (list === undefined) throw notFound('List');
  return { ...found, list };
}

function renumber(board: SimBoard): void {
  board.lists.forEach((l, i) => {
    l.position = i;
  });
}

export const boardRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/projects/:id/boards',
    handler: (req) => {
      const project = projectOf(req);
      const boards = req.state.boards.filter((b) => b.projectId === project.id);
      return paginate(
        req,
        boards.map((b) => renderBoard(req.state, b)),
      );
    },
  },
  {
    method: 'GET',
    pattern: '/projects/:id/boards/:board_id',
    handler: (req) => json(renderBoard(req.state, boardOf(req).board)),
  },
  {
    method: 'POST',
    pattern: '/projects/:id/boards',
    handler: (req) => {
      const project = projectOf(req);
      requireAccess(req, project, REPORTER);
      const board = req.state.addBoard(project, req.input.requireString('name'));
      return json(renderBoard(req.state, board), 201);
    },
  },
  {
    method: 'GET',
    pattern: '/projects/:id/boards/:board_id/lists',
    handler: (req) =>
      paginate(
        req,
        boardOf(req).board.lists.map((l) => renderBoardList(req.state, l)),
      ),
  },
  {
    method: 'GET',
    pattern: '/projects/:id/boards/:board_id/lists/:list_id',
    handler: (req) => json(renderBoardList(req.state, listOf(req).list)),
  },
  {
    method: 'POST',
    pattern: '/projects/:id/boards/:board_id/lists',
    handler: (req) => {
      const { project, board } = boardOf(req);
      requireAccess(req, project, REPORTER);
      const kinds = ['label_id', 'assignee_id', 'milestone_id', 'iteration_id'].filter((k) => req.input.has(k));
      if (kinds.length !== 1)
        throw badParam('label_id, assignee_id, milestone_id, iteration_id are missing, exactly one parameter must be provided');
      // Assignee, milestone and iteration lists are paid features.
      if (kinds[0] !== 'label_id') throw new SimHttpError(400, { error: 'List type is not available' });
      const labelId = req.input.int('label_id');
      if (labelId === undefined || !req.state.availableLabels(project).some((l) => l.id === labelId))
        throw new SimHttpError(400, { error: 'Label not found!' });
      if (board.lists.some((l) => l.labelId === labelId)) throw new SimHttpError(400, { error: 'Label has already been taken' });
      const list: SimBoardList = { id: req.state.newListId(), labelId, position: board.lists.length };
      board.lists.push(list);
      return json(renderBoardList(req.state, list), 201);
    },
  },
  {
    method: 'PUT',
    pattern: '/projects/:id/boards/:board_id/lists/:list_id',
    handler: (req) => {
      const { project, board, list } = listOf(req);
      requireAccess(req, project, REPORTER);
      const position = req.input.int('position');
      if (position === undefined) throw badParam('position is missing');
      // GitLab's MoveService: a valid position moves the list and shifts the ones in between.
      if (position < 0 || position >= board.lists.length) throw new SimHttpError(400, { error: 'List could not be moved!' });
      board.lists.splice(board.lists.indexOf(list), 1);
      board.lists.splice(position, 0, list);
      renumber(board);
      return json(renderBoardList(req.state, list));
    },
  },
  {
    method: 'DELETE',
    pattern: '/projects/:id/boards/:board_id/lists/:list_id',
    handler: (req) => {
      const { project, board, list } = listOf(req);
      requireAccess(req, project, REPORTER);
      board.lists.splice(board.lists.indexOf(list), 1);
      renumber(board);
      return { status: 204 };
    },
  },
];
