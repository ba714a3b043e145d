import type { Config } from '../../config/types.js';
import { assumedRoleSentence, commandExample, inline, stageList } from '../recruiting/stage-comments.js';
import type { StageMoveOutcome } from '../recruiting/stage-move.js';

/**
 * What the bot answers to a command. Every command gets an answer, refusals included, so a person is
 * never left wondering whether the bot saw it. Text the person typed is sanitized; nobody is mentioned.
 */

export function helpText(config: Config): string {
  const command = (rest: string) => commandExample(config.bot.commandWord, rest);
  return [
    'I keep recruiting in step with the hiring process written in each job-family page of the handbook:',
    `the \`hiring-stage::*\` labels, the *${inline(config.recruiting.board)}* board, one hiring stage per recruiting issue,`,
    'and a review checklist on merge requests that change job-family pages.',
    '',
    'Commands (a comment that starts with one of these):',
    '',
    `- ${command('help')}: this message.`,
    `- ${command('recheck')}: on a merge request, review its job-family pages again (even at the same commit; needs the Reporter role or higher).`,
    `- ${command('stage <name>')}: on a recruiting issue, move it to that hiring stage of its role's process (needs the Reporter role or higher).`,
  ].join('\n');
}

export function unknownCommandReply(word: string, config: Config): string {
  return [`I do not know the command "${inline(word)}".`, '', helpText(config)].join('\n');
}

export const NOT_ALLOWED_REPLY =
  'Sorry, only members of this project with the Reporter role or higher can move recruiting issues between hiring stages. Please ask one of them, or the recruiting team.';

export const RECHECK_NOT_ALLOWED_REPLY =
  'Sorry, only members of this project with the Reporter role or higher can ask for a new review of a merge request. Please ask one of them, or push a new commit.';

/** Said once per user and hour; further commands within the window get no answer. */
export function rateLimitedReply(perWindow: number, windowSeconds: number, retryInSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryInSeconds / 60));
  return `You have sent more than ${perWindow} commands in ${Math.round(windowSeconds / 60)} minutes, so I am not running more of them for now. Please try again in about ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}

export const STAGE_ON_MERGE_REQUEST_REPLY =
  'The stage command moves recruiting issues between hiring stages; it does nothing on a merge request.';

export const RECHECK_ON_ISSUE_REPLY =
  'The recheck command reviews the job-family pages of a merge request again; it does nothing on an issue.';

export function recheckQueuedReply(headSha: string): string {
  return `Queued a new review of this merge request at commit ${inline(headSha.slice(0, 8))}. The checklist note will be updated in place.`;
}

export function stageMoveReply(outcome: StageMoveOutcome, config: Config): string {
  switch (outcome.kind) {
    case 'not-recruiting':
      return 'This issue belongs to no job family (no `job-family::<slug>` label and no link to a job-family page), so it has no hiring stages to move between.';
    case 'already':
      return `This issue is already on the hiring stage **${inline(outcome.stage)}**.`;
    case 'moved':
      return outcome.from.length === 0
        ? `Moved this issue to the hiring stage **${inline(outcome.to)}**.`
        : `Moved this issue to the hiring stage **${inline(outcome.to)}** (it was on ${outcome.from.map((stage) => `**${inline(stage)}**`).join(', ')}).`;
    case 'unknown-stage': {
      const whose =
        outcome.role === null ? `*${inline(outcome.family.title)}*` : `*${inline(outcome.role.name)}* (${inline(outcome.family.title)})`;
      const asked =
        outcome.stage === '' ? 'No stage was given.' : `The hiring process of ${whose} has no stage **${inline(outcome.stage)}**.`;
      const lines = [
        asked,
        `Valid stages: ${stageList(outcome.role?.stages ?? [])}.`,
        '',
        `For example: ${commandExample(config.bot.commandWord, `stage ${outcome.role?.stages[0] ?? '<name>'}`)}`,
      ];
      if (!outcome.roleMatched && outcome.role !== null) {
        lines.push('', assumedRoleSentence(outcome.role.name));
      }
      return lines.join('\n');
    }
  }
}
