import { STAGE_LABEL_PREFIX } from '../hiring/family.js';

/**
 * The bot's commands, from the text after the command word (CommandData.commandText). Only the first
 * line counts: the rest of the comment is the person's own words. Pure.
 */

export type Command =
  | { kind: 'help' }
  | { kind: 'recheck' }
  /** `stage` is `''` when no name was given. */
  | { kind: 'stage'; stage: string; written: string }
  | { kind: 'unknown'; word: string };

/**
 * A stage as people write it: `offer`, `Team interviews`, `hiring-stage::offer`, or GitLab's label
 * reference `~"hiring-stage::offer"`.
 */
export function normalizeStageName(text: string): string {
  let name = text
    .trim()
    .replace(/^~/u, '')
    .replace(/^["'`]+|["'`]+$/gu, '')
    .trim()
    .toLowerCase();
  if (name.startsWith(STAGE_LABEL_PREFIX)) name = name.slice(STAGE_LABEL_PREFIX.length);
  return name.replace(/[\s_]+/gu, '-').replace(/^-+|-+$/gu, '');
}

export function parseCommand(commandText: string): Command {
  const line = commandText.split(/\r?\n/u, 1)[0]?.trim() ?? '';
  const [word = '', ...rest] = line.split(/\s+/u);
  const verb = word.toLowerCase();
  if (verb === '' || verb === 'help') return { kind: 'help' };
  if (verb === 'recheck') return { kind: 'recheck' };
  if (verb === 'stage') {
    const written = rest.join(' ');
    return { kind: 'stage', stage: normalizeStageName(written), written };
  }
  return { kind: 'unknown', word };
}
