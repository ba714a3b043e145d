import { conflict, invalid, notFound } from '../http/errors.js';
import { paginate } from '../http/pagination.js';
import { json } from '../http/types.js';
import type { Route } from '../http/router.js';
import type { SimRequest } from '../http/types.js';
import { renderLabel } from '../render.js';
import type { SimLabel, SimProject } from '../types.js';
import { projectOf, requireAccess, requireSome } from './common.js';

const REPORTER = 20;
const NAMED_COLORS = new Set(['red', 'green', 'blue', 'yellow', 'orange', 'purple', 'black', 'white', 'gray', 'grey', 'pink', 'brown']);

function validColor(color: string): boolean {
  return /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(color) || NAMED_COLORS.has(color.toLowerCase());
}

/** `:label_id` is an id or a (URL-encoded) name; only the project's own labels are editable. */
function projectLabelOf(req: SimRequest, project: SimProject): SimLabel {
  const ref = req.params.label_id ?? '';
  const own = [...req.state.labels.values()].filter((l) => l.projectId === project.id);
  const label = /^\d+$/.test(ref) ? own.find((l) => l.id === Number(ref)) : own.find((l) => l.name === ref);
  if (label === undefined) throw notFound('Label');
  return label;
}

export const labelRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/projects/:id/labels',
    handler: (req) => {
      const project = projectOf(req);
      const search = req.input.string('search')?.toLowerCase();
      const labels = req.state
        .availableLabels(project, req.input.bool('include_ancestor_groups') ?? true)
        .filter((l) => search === undefined || l.name.toLowerCase().includes(search))
        .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()) || a.id - b.id);
      return paginate(
        req,
        labels.map((l) => renderLabel(l, project)),
      );
    },
  },
  {
    method: 'GET',
    pattern: '/projects/:id/labels/:label_id',
    handler: (req) => {
      const project = projectOf(req);
      const ref = req.params.label_id ?? '';
      const label = req.state.availableLabels(project).find((l) => (/^\d+$/.test(ref) ? l.id === Number(ref) : l.name === ref));
      if (label === undefined) throw notFound('Label');
      return json(renderLabel(label, project));
    },
  },
  {
    method: 'POST',
    pattern: '/projects/:id/labels',
    handler: (req) => {
      const project = projectOf(req);
      requireAccess(req, project, REPORTER);
      const name = req.input.requireString('name').trim();
      const color = req.input.requireString('color');
      // GitLab looks among the project's and its ancestor groups' labels.
      if (req.state.availableLabels(project).some((l) => l.name.toLowerCase() === name.toLowerCase()))
        throw conflict('Label already exists');
      if (!validColor(color)) throw invalid('color', 'must be a valid color code');
      const label = req.state.addLabel(project, { name, color, description: req.input.nullableString('description') ?? null });
      return json(renderLabel(label, project), 201);
    },
  },
  {
    method: 'PUT',
    pattern: '/projects/:id/labels/:label_id',
    handler: (req) => {
      const project = projectOf(req);
      requireAccess(req, project, REPORTER);
      const label = projectLabelOf(req, project);
      requireSome(req, ['new_name', 'color', 'description', 'priority']);
      const newName = req.input.string('new_name')?.trim();
      const color = req.input.string('color');
      if (color !== undefined && !validColor(color)) throw invalid('color', 'must be a valid color code');
      if (
        newName !== undefined &&
        req.state.availableLabels(project).some((l) => l.id !== label.id && l.name.toLowerCase() === newName.toLowerCase())
      ) {
        throw invalid('title', 'has already been taken');
      }
      if (newName !== undefined) label.name = newName;
      if (color !== undefined) label.color = color;
      const description = req.input.nullableString('description');
      if (description !== undefined) label.description = description;
      return json(renderLabel(label, project));
    },
  },
];
