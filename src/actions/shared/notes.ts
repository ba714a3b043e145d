import type { Note } from '../../gitlab/api.js';
import { hasMarker, marker } from '../../gitlab/markers.js';
import type { ProjectId } from '../../queue/jobs.js';
import type { ActionContext } from './context.js';

/**
 * Notes the bot writes once: each carries a marker, and before writing the bot looks for a note of
 * its own with that marker (all pages of the notes list, DESIGN §6). A retried job or a redelivered
 * event therefore never comments twice, even when the first try failed after GitLab saved the note.
 */

export type NoteTarget = { project: ProjectId; kind: 'issues' | 'merge_requests'; iid: number };

export async function findBotNote(ctx: ActionContext, target: NoteTarget, kind: string, key: string): Promise<Note | null> {
  const me = await ctx.gitlab.currentUser();
  const notes = await ctx.gitlab.listNotes(target.project, target.kind, target.iid);
  return notes.find((note) => note.author.id === me.id && hasMarker(note.body, kind, key)) ?? null;
}

/** The marker on its own first line, then the body. */
export function withMarker(kind: string, key: string, body: string): string {
  return `${marker(kind, key)}\n${body}`;
}

/** Posts the note unless the bot's note with that marker exists; `true` when it posted. */
export async function postNoteOnce(ctx: ActionContext, target: NoteTarget, kind: string, key: string, body: string): Promise<boolean> {
  if ((await findBotNote(ctx, target, kind, key)) !== null) return false;
  await ctx.gitlab.createNote(target.project, target.kind, target.iid, withMarker(kind, key, body));
  return true;
}
