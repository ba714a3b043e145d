import { ACCESS_LEVEL } from '../../gitlab/api.js';
import { mrChecklistJob, rerunNonce } from '../../queue/job-specs.js';
import type { CommandData } from '../../queue/jobs.js';
import { parseCommand, type Command } from './parse.js';
import {
  NOT_ALLOWED_REPLY,
  RECHECK_ON_ISSUE_REPLY,
  STAGE_ON_MERGE_REQUEST_REPLY,
  helpText,
  recheckQueuedReply,
  stageMoveReply,
  unknownCommandReply,
} from './reply.js';
import type { ActionContext } from '../shared/context.js';
import { findBotNote, withMarker, type NoteTarget } from '../shared/notes.js';
import { moveIssueToStage } from '../recruiting/stage-move.js';

/**
 * The `command` job (Note Hook): `help`, `recheck`, `stage <name>`; anything else gets the help.
 *
 * Every command is answered by one reply carrying `<!-- handbook-bot:command-reply <note id> -->`. The
 * reply is looked for first: when it exists the command ran already (a redelivered event, or a retry
 * after the reply was saved) and nothing happens again. The command's own effect is idempotent too
 * (`stage` to the current stage writes nothing), so a retry between effect and reply is harmless.
 */

export const REPLY_MARKER_KIND = 'command-reply';

export interface CommandResult {
  command: Command['kind'];
  outcome: 'already-answered' | 'answered' | 'refused';
  /** Ids of jobs queued (recheck). */
  queued: string[];
}

interface Answer {
  body: string;
  refused: boolean;
  queued?: string[];
}

async function isReporter(ctx: ActionContext, data: CommandData): Promise<boolean> {
  const member = await ctx.gitlab.getMember(data.projectId, data.authorId);
  return member !== null && member.access_level >= ACCESS_LEVEL.reporter;
}

async function recheck(ctx: ActionContext, data: CommandData): Promise<Answer> {
  if (data.noteableKind !== 'MergeRequest') return { body: RECHECK_ON_ISSUE_REPLY, refused: true };
  let mr: { headSha: string; targetBranch: string };
  if (data.mergeRequest !== undefined) mr = data.mergeRequest;
  else {
    const found = await ctx.gitlab.getMergeRequest(data.projectId, data.noteableIid);
    mr = { headSha: found.sha, targetBranch: found.target_branch };
  }
  // A re-run id (unique nonce): the flow runs again even at a commit whose checklist job finished.
  const spec = mrChecklistJob(
    { projectId: data.projectId, mrIid: data.noteableIid, headSha: mr.headSha, targetBranch: mr.targetBranch, trigger: 'recheck', step: 'list-pages' },
    rerunNonce(),
  );
  const queued = await ctx.enqueue([spec]);
  ctx.logger.info({ project: data.projectId, mr: data.noteableIid, job: spec.id }, 'recheck: checklist queued again');
  return { body: recheckQueuedReply(mr.headSha), refused: false, queued };
}

async function stage(ctx: ActionContext, data: CommandData, name: string): Promise<Answer> {
  if (data.noteableKind !== 'Issue') return { body: STAGE_ON_MERGE_REQUEST_REPLY, refused: true };
  if (!(await isReporter(ctx, data))) return { body: NOT_ALLOWED_REPLY, refused: true };
  const outcome = await moveIssueToStage(ctx, data.projectId, data.noteableIid, name);
  return { body: stageMoveReply(outcome, ctx.config), refused: outcome.kind === 'not-recruiting' || outcome.kind === 'unknown-stage' };
}

async function execute(ctx: ActionContext, data: CommandData, command: Command): Promise<Answer> {
  switch (command.kind) {
    case 'help':
      return { body: helpText(ctx.config), refused: false };
    case 'recheck':
      return recheck(ctx, data);
    case 'stage':
      return stage(ctx, data, command.stage);
    case 'unknown':
      return { body: unknownCommandReply(command.word, ctx.config), refused: true };
  }
}

export async function runCommand(ctx: ActionContext, data: CommandData): Promise<CommandResult> {
  const command = parseCommand(data.commandText);
  const target: NoteTarget = { project: data.projectId, kind: data.noteableKind === 'MergeRequest' ? 'merge_requests' : 'issues', iid: data.noteableIid };
  const key = String(data.noteId);
  if ((await findBotNote(ctx, target, REPLY_MARKER_KIND, key)) !== null) {
    ctx.logger.info({ project: data.projectId, note: data.noteId }, 'command answered already');
    return { command: command.kind, outcome: 'already-answered', queued: [] };
  }
  const answer = await execute(ctx, data, command);
  await ctx.gitlab.createNote(target.project, target.kind, target.iid, withMarker(REPLY_MARKER_KIND, key, answer.body));
  ctx.logger.info({ project: data.projectId, note: data.noteId, command: command.kind, refused: answer.refused }, 'command answered');
  return { command: command.kind, outcome: answer.refused ? 'refused' : 'answered', queued: answer.queued ?? [] };
}
