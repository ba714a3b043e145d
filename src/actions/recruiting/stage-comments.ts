import { createHash } from 'node:crypto';
import { sanitizeInline, type SanitizeOptions } from '../../gitlab/sanitize.js';
import type { StageName } from '../../jobfamily/model.js';
import type { HiringFamily, HiringRole } from '../hiring/family.js';
import type { IssueStageComment } from './issue-plan.js';

/**
 * The bot's comments on recruiting issues about their stage. Page text (family title, role name) and
 * label text (a person may type any `hiring-stage::…` label) are sanitized; stage names are shown in
 * bold, never as code, because the sanitizer escapes backticks.
 */

const NO_MENTIONS: SanitizeOptions = { allowedMentions: new Set() };

export function inline(text: string): string {
  return sanitizeInline(text, { ...NO_MENTIONS, maxLength: 120 });
}

/**
 * A marker key from free text: kept when it is already a safe token, hashed otherwise (a label typed
 * by a person may contain anything, and markers.ts refuses keys that could end the HTML comment).
 */
export function safeMarkerKey(text: string): string {
  return /^[A-Za-z0-9_.:-]{1,80}$/u.test(text) && !text.includes('--')
    ? text
    : createHash('sha256').update(text).digest('hex').slice(0, 16);
}

export function stageList(stages: readonly StageName[]): string {
  return stages.length === 0 ? '(none: the page describes no hiring process)' : stages.map((stage) => `**${inline(stage)}**`).join(', ');
}

/**
 * A command as a code span, copyable as is: GitLab neither mentions nor runs quick actions inside code
 * spans. The command word is validated by the config schema; anything else is sanitized as text.
 */
export function commandExample(commandWord: string, rest: string): string {
  const word = /^@[A-Za-z0-9_.-]+$/u.test(commandWord) ? commandWord : '@handbook-bot';
  return `\`${word} ${rest.replace(/`/gu, '')}\``;
}

export interface StageCommentContext {
  family: HiringFamily;
  role: HiringRole | null;
  /** False when the title names no role and the family's first role was assumed. */
  roleMatched: boolean;
  commandWord: string;
  /** The commit of the page version that caused the change, when known. */
  commit?: string;
}

function whose(context: StageCommentContext): string {
  const family = inline(context.family.title);
  return context.role === null ? `the job family *${family}*` : `*${inline(context.role.name)}* (${family})`;
}

function assumedRole(context: StageCommentContext): string[] {
  if (context.roleMatched || context.role === null) return [];
  return ['', assumedRoleSentence(context.role.name)];
}

/** Said whenever an issue's title named no role and the family's first role was used. */
export function assumedRoleSentence(roleName: string): string {
  return `The title names no role of this job family, so the first one, *${inline(roleName)}*, was assumed. Put the role's name in the title to choose another.`;
}

/** Marker kind and key of a stage comment: the same situation is commented on once. */
export function stageCommentMarker(comment: IssueStageComment, commit?: string): { kind: string; key: string } {
  if (comment.kind === 'stage-invalid') return { kind: 'stage-invalid', key: safeMarkerKey(comment.stage) };
  if (comment.kind === 'stage-collapsed')
    return { kind: 'stage-collapsed', key: safeMarkerKey([comment.kept, ...comment.removed].join('.')) };
  if (comment.kind === 'no-stage') return { kind: 'no-stage', key: 'none' };
  const at = commit === undefined || commit === '' ? '' : `.${commit.slice(0, 12)}`;
  return { kind: 'stage-moved', key: safeMarkerKey(`${comment.from}.${comment.to}${at}`) };
}

export function renderStageComment(comment: IssueStageComment, context: StageCommentContext): string {
  const stages = context.role?.stages ?? [];
  const command = commandExample(context.commandWord, 'stage <name>');
  if (comment.kind === 'no-stage') {
    return [
      `This issue has no hiring stage, and none can be chosen: the page of the job family *${inline(context.family.title)}* (${inline(context.family.path)}) describes no hiring process.`,
      'Add a "Hiring Process" section to the page; the issue then gets its first stage.',
    ].join('\n');
  }
  if (comment.kind === 'stage-invalid') {
    return [
      `This issue is on the hiring stage **${inline(comment.stage)}**, which the hiring process of ${whose(context)} does not have.`,
      `Its stages are: ${stageList(stages)}.`,
      '',
      `To move the issue, comment ${command}.`,
      ...assumedRole(context),
    ].join('\n');
  }
  if (comment.kind === 'stage-collapsed') {
    const why = comment.because === 'just-added' ? 'the one just added' : 'the furthest in the hiring process';
    return [
      `This issue had more than one hiring stage. Kept **${inline(comment.kept)}**, ${why}, and removed ${stageList(comment.removed)}: a recruiting issue is on one stage at a time.`,
      '',
      `To move it, drag it to another list of the hiring board, or comment ${command}.`,
    ].join('\n');
  }
  const at = context.commit === undefined || context.commit === '' ? '' : ` at commit ${inline(context.commit.slice(0, 8))}`;
  return [
    `Moved this issue from the hiring stage **${inline(comment.from)}** to **${inline(comment.to)}**: the hiring process of ${whose(context)} no longer has the ${inline(comment.from)} stage (${inline(context.family.path)}${at}).`,
    `Its stages are now: ${stageList(stages)}.`,
    ...assumedRole(context),
  ].join('\n');
}
