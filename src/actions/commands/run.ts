import { mrChecklistJob, rerunNonce } from '../../queue/job-specs.js';
import type { CommandData } from '../../queue/jobs.js';
import { parseCommand, type Command } from './parse.js';
import { COMMAND_WINDOW_SECONDS, COMMANDS_PER_WINDOW, claimRefusalReply, isReporter, takeCommand, type RefusalKind } from './gate.js';
import {
  NOT_ALLOWED_REPLY,
  RECHECK_NOT_ALLOWED_REPLY,
  RECHECK_ON_ISSUE_REPLY,
  STAGE_ON_MERGE_REQUEST_REPLY,
  helpText,
  rateLimitedReply,
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
 *
 * Before any of that (gate.ts): the user's command allowance is taken (Redis only), and `recheck` and
 * `stage` need the Reporter role (one membership read, cached). A refusal is answered once per user
 * and hour; the same refusal again is logged and left unanswered, at no GitLab call.
 */

export const REPLY_MARKER_KIND = 'command-reply';

export interface CommandResult {
  command: Command['kind'];
  /** `refused-quietly`: refused again within the hour, so not answered (see gate.ts). */
  outcome: 'already-answered' | 'answered' | 'refused' | 'refused-quietly';
  /** Ids of jobs queued (recheck). */
  queued: string[];
}

interface Answer {
  body: string;
  refused: boolean;
  queued?: string[];
}

/** The commands that change something for others: they need the Reporter role on the project. */
function needsReporter(command: Command): boolean {
  return command.kind === 'recheck' || command.kind === 'stage';
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
    {
      projectId: data.projectId,
      mrIid: data.noteableIid,
      headSha: mr.headSha,
      targetBranch: mr.targetBranch,
      trigger: 'recheck',
      step: 'list-pages',
    },
    rerunNonce(),
  );
  const queued = await ctx.enqueue([spec]);
  ctx.logger.info({ project: data.projectId, mr: data.noteableIid, job: spec.id }, 'recheck: checklist queued again');
  return { body: recheckQueuedReply(mr.headSha), refused: false, queued };
}

async function stage(ctx: ActionContext, data: CommandData, name: string): Promise<Answer> {
  if (data.noteableKind !== 'Issue') return { body: STAGE_ON_MERGE_REQUEST_REPLY, refused: true };
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

/** Why the command is refused before it runs, with the answer to give; `null` when it may run. */
async function gate(ctx: ActionContext, data: CommandData, command: Command): Promise<{ kind: RefusalKind; body: string } | null> {
  const rate = await takeCommand(ctx, data.authorId);
  if (!rate.allowed)
    return { kind: 'rate-limited', body: rateLimitedReply(COMMANDS_PER_WINDOW, COMMAND_WINDOW_SECONDS, rate.retryInSeconds) };
  if (needsReporter(command) && !(await isReporter(ctx, data.projectId, data.authorId))) {
    return { kind: 'not-allowed', body: command.kind === 'recheck' ? RECHECK_NOT_ALLOWED_REPLY : NOT_ALLOWED_REPLY };
  }
  return null;
}

export async function runCommand(ctx: ActionContext, data: CommandData): Promise<CommandResult> {
  const command = parseCommand(data.commandText);
  const target: NoteTarget = {
    project: data.projectId,
    kind: data.noteableKind === 'MergeRequest' ? 'merge_requests' : 'issues',
    iid: data.noteableIid,
  };
  const key = String(data.noteId);
  const log = { project: data.projectId, note: data.noteId, user: data.authorUsername, command: command.kind };

  const refusal = await gate(ctx, data, command);
  if (refusal !== null && !(await claimRefusalReply(ctx, refusal.kind, data.authorId, data.noteId))) {
    ctx.logger.info({ ...log, refusal: refusal.kind }, 'command refused again within the hour: not answered');
    return { command: command.kind, outcome: 'refused-quietly', queued: [] };
  }
  if ((await findBotNote(ctx, target, REPLY_MARKER_KIND, key)) !== null) {
    ctx.logger.info(log, 'command answered already');
    return { command: command.kind, outcome: 'already-answered', queued: [] };
  }
  const answer: Answer = refusal === null ? await execute(ctx, data, command) : { body: refusal.body, refused: true };
  await ctx.gitlab.createNote(target.project, target.kind, target.iid, withMarker(REPLY_MARKER_KIND, key, answer.body));
  ctx.logger.info({ ...log, refused: answer.refused, refusal: refusal?.kind }, 'command answered');
  return { command: command.kind, outcome: answer.refused ? 'refused' : 'answered', queued: answer.queued ?? [] };
}
