import type { CommitState, CommitStatus } from '../../gitlab/api.js';
import { hasMarker } from '../../gitlab/markers.js';
import type { MrGateData } from '../../queue/jobs.js';
import { withKeyedLock } from '../../queue/keyed-lock.js';
import type { ActionContext } from '../shared/context.js';
import { CHECKLIST_MARKER_KIND, tickedIds } from './checklist-render.js';
import { parseReviewState, type ReviewState } from './review-state.js';

/**
 * The merge gate: a commit status `handbook-bot/review` on the merge request's head, decided by the
 * checklist note alone (its ticks and its review state), so a tick needs no diff, no page read and no
 * note rewrite to re-evaluate it:
 *
 * - `failed` when `check` found an error on a changed page;
 * - `pending` while a page could not be reviewed, or an item of a `blocking: true` rule is unticked;
 * - `success` otherwise.
 *
 * GitLab refuses to set the state a status already has (400 "Cannot transition status"), so the
 * current status is read first and the status is only set when its state changes. The descriptions
 * therefore carry no counts: a description written with the state stays true while the state holds.
 */

export const GATE_STATUS_NAME = 'handbook-bot/review';

export type GateState = Extract<CommitState, 'pending' | 'failed' | 'success'>;

export interface GateVerdict {
  state: GateState;
  description: string;
}

/** Pure: the verdict for a review state and the ticks of the note that carries it. */
export function gateVerdict(state: ReviewState, ticked: ReadonlySet<string>): GateVerdict {
  if (state.errors > 0) return { state: 'failed', description: 'handbook-bot check found an error on a changed page' };
  if (state.unreviewed > 0) return { state: 'pending', description: 'A changed page could not be reviewed: recheck' };
  if (state.blocking.some((id) => !ticked.has(id))) return { state: 'pending', description: 'Blocking checklist items are not ticked yet' };
  return {
    state: 'success',
    description: state.blocking.length > 0 ? 'Every blocking checklist item is ticked' : 'No blocking checklist item',
  };
}

/** Pure: the commit and verdict a checklist note body calls for, or `null` when it has no review state. */
export function gateOfNote(body: string): { commit: string; verdict: GateVerdict } | null {
  const state = parseReviewState(body);
  return state === null ? null : { commit: state.commit, verdict: gateVerdict(state, tickedIds(body)) };
}

export interface GateTarget {
  project: string | number;
  sha: string;
  /** The checklist note, linked from the status ('' when unknown: no link). */
  targetUrl: string;
  /** The merge request's source branch. */
  ref?: string;
}

/** The read `applyGate` needs, for callers that make it alongside their own reads. */
export function readGate(ctx: ActionContext, project: string | number, sha: string): Promise<CommitStatus[]> {
  return ctx.gitlab.listCommitStatuses(project, sha, GATE_STATUS_NAME);
}

/**
 * Sets the status when its state differs from the one read (`statuses`, else read now): 1 read, plus
 * 1 write on a change. Callers hold the merge request's lock, so nothing sets it in between.
 */
export async function applyGate(
  ctx: ActionContext,
  target: GateTarget,
  verdict: GateVerdict,
  read?: readonly CommitStatus[],
): Promise<'set' | 'unchanged'> {
  const statuses = read ?? (await readGate(ctx, target.project, target.sha));
  const current = statuses.find((status) => status.name === GATE_STATUS_NAME);
  if (current?.status === verdict.state) return 'unchanged';
  await ctx.gitlab.setCommitStatus(target.project, target.sha, {
    name: GATE_STATUS_NAME,
    state: verdict.state,
    description: verdict.description,
    ...(target.targetUrl === '' ? {} : { target_url: target.targetUrl }),
    ...(target.ref === undefined ? {} : { ref: target.ref }),
  });
  return 'set';
}

export interface GateRefreshResult {
  outcome: 'set' | 'unchanged' | 'no-checklist';
  state: GateState | null;
}

/**
 * The `mr-gate` job (a person ticked or unticked a box: Note Hook `update` on the checklist note).
 * Reads the bot's checklist note as it is now (level-triggered: an older event reads the same note)
 * and sets the status of the commit the note was written for. Never edits the note. Runs under the
 * merge request's lock, so it never interleaves with a checklist write.
 */
export async function refreshMergeGate(ctx: ActionContext, data: MrGateData, lockKey: string): Promise<GateRefreshResult> {
  return withKeyedLock(
    ctx.redis,
    lockKey,
    async () => {
      const me = await ctx.gitlab.currentUser();
      const notes = await ctx.gitlab.listNotes(data.projectId, 'merge_requests', data.mrIid);
      const note = notes.find(
        (candidate) => candidate.author.id === me.id && !candidate.system && hasMarker(candidate.body, CHECKLIST_MARKER_KIND),
      );
      const gate = note === undefined ? null : gateOfNote(note.body);
      if (note === undefined || gate === null) {
        ctx.logger.info({ mr: data.mrIid }, 'merge gate: no checklist note with a review state');
        return { outcome: 'no-checklist' as const, state: null };
      }
      const targetUrl = (data.noteUrl ?? '').replace(/#note_\d+$/u, `#note_${note.id}`);
      const outcome = await applyGate(
        ctx,
        { project: data.projectId, sha: gate.commit, targetUrl, ...(data.sourceBranch === undefined ? {} : { ref: data.sourceBranch }) },
        gate.verdict,
      );
      ctx.logger.info({ mr: data.mrIid, state: gate.verdict.state, outcome }, `merge gate: ${gate.verdict.state} (${outcome})`);
      return { outcome, state: gate.verdict.state };
    },
    ctx.lockOptions,
  );
}

/** `https://gitlab.example.com/acme/handbook/-/merge_requests/12#note_71`. */
export function noteUrl(mrUrl: string, noteId: number): string {
  return mrUrl === '' ? '' : `${mrUrl}#note_${noteId}`;
}
