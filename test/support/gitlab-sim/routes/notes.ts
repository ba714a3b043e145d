import { badParam, forbidden, notFound } from '../http/errors.js';
import { paginate } from '../http/pagination.js';
import { json } from '../http/types.js';
import type { Route } from '../http/router.js';
import type { SimRequest, SimResponse } from '../http/types.js';
import { renderNote } from '../render.js';
import { stripQuickActions } from '../text-checks.js';
import type { NoteableKind, SimNote, SimProject } from '../types.js';
import { actorOf, byOrder, intParam, projectOf, sortParam, visibleIssue } from './common.js';

interface Noteable {
  project: SimProject;
  noteable: { id: number; iid: number };
  target: string;
}

function noteableOf(req: SimRequest, kind: NoteableKind): Noteable {
  const project = projectOf(req);
  const iid = intParam(req, 'noteable_iid');
  if (kind === 'issues') return { project, noteable: visibleIssue(req, project, iid), target: `issues/${iid}/notes` };
  const mr = req.state.findMergeRequest(project, iid);
  if (mr === undefined) throw notFound('Merge Request');
  return { project, noteable: mr, target: `merge_requests/${iid}/notes` };
}

function noteOf(req: SimRequest, kind: NoteableKind): Noteable & { note: SimNote } {
  const found = noteableOf(req, kind);
  const id = intParam(req, 'note_id');
  const note = req.state.notesOf(found.project, kind, found.noteable.iid).find((n) => n.id === id);
  if (note === undefined) throw notFound('Note');
  return { ...found, note };
}

/** GitLab's answer when a note held only quick actions: 202 and nothing saved. */
function commandsOnly(commands: readonly string[]): SimResponse {
  return json({ commands_changes: {}, summary: commands.map((c) => `Ran ${c.split(/\s/)[0] ?? c}`) }, 202);
}

function routesFor(kind: NoteableKind): Route[] {
  const base = `/projects/:id/${kind}/:noteable_iid/notes`;
  return [
    {
      method: 'GET',
      pattern: base,
      handler: (req) => {
        const { project, noteable } = noteableOf(req, kind);
        const orderBy = req.input.string('order_by') ?? 'created_at';
        if (orderBy !== 'created_at' && orderBy !== 'updated_at') throw badParam('order_by does not have a valid value');
        const notes = req.state
          .notesOf(project, kind, noteable.iid)
          .sort(
            byOrder(
              (n) => `${orderBy === 'created_at' ? n.createdAt : n.updatedAt}#${String(n.id).padStart(10, '0')}`,
              sortParam(req, 'desc'),
            ),
          );
        return paginate(
          req,
          notes.map((n) => renderNote(req.state, n)),
        );
      },
    },
    {
      method: 'GET',
      pattern: `${base}/:note_id`,
      handler: (req) => json(renderNote(req.state, noteOf(req, kind).note)),
    },
    {
      method: 'POST',
      pattern: base,
      actionLimited: true,
      handler: (req) => {
        const { project, noteable, target } = noteableOf(req, kind);
        const body = req.input.requireString('body');
        req.state.checkText(actorOf(req), project, target, body);
        const stripped = stripQuickActions(body);
        if (stripped.commands.length > 0 && stripped.text.trim() === '') return commandsOnly(stripped.commands);
        return json(renderNote(req.state, req.state.addNote(project, kind, noteable, req.user.id, stripped.text)), 201);
      },
    },
    {
      method: 'PUT',
      pattern: `${base}/:note_id`,
      handler: (req) => {
        const { project, note, target } = noteOf(req, kind);
        const body = req.input.requireString('body');
        if (note.authorId !== req.user.id || note.system) throw forbidden();
        req.state.checkText(actorOf(req), project, target, body);
        const stripped = stripQuickActions(body);
        if (stripped.commands.length > 0 && stripped.text.trim() === '') {
          // GitLab's update service deletes a note edited down to commands only.
          req.state.notes.splice(req.state.notes.indexOf(note), 1);
          return commandsOnly(stripped.commands);
        }
        note.body = stripped.text;
        note.updatedAt = req.state.now();
        return json(renderNote(req.state, note));
      },
    },
    {
      method: 'DELETE',
      pattern: `${base}/:note_id`,
      handler: (req) => {
        const { project, note } = noteOf(req, kind);
        if (note.authorId !== req.user.id && req.state.accessLevel(project, req.user.id) < 40) throw forbidden();
        req.state.notes.splice(req.state.notes.indexOf(note), 1);
        return { status: 204 };
      },
    },
  ];
}

export const noteRoutes: Route[] = [...routesFor('issues'), ...routesFor('merge_requests')];
