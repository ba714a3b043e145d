/**
 * What GitLab does to text the API writes: it runs quick actions (and strips the recognised ones)
 * and notifies mass mentions. The bot must never trigger either, so the simulator records them.
 */

/** The spec's conservative test: any line that merely looks like a command is a violation. */
const QUICK_ACTION_LIKE = /^\s*\/[a-z_]+/;

/** GitLab's extractor: a known command at the very start of a line, then a space or the end. */
const COMMAND = /^\/([a-z_]+)(?:[ \t].*)?$/;

/** GitLab's quick actions (issues, merge requests, epics); unknown `/words` stay as text. */
const KNOWN_COMMANDS = new Set([
  'add_child',
  'add_contacts',
  'approve',
  'assign',
  'assign_reviewer',
  'award',
  'blocked_by',
  'blocks',
  'board_move',
  'cc',
  'checkin_reminder',
  'clear_health_status',
  'clear_weight',
  'clone',
  'close',
  'confidential',
  'convert_to_ticket',
  'copy_metadata',
  'create_merge_request',
  'done',
  'draft',
  'due',
  'duplicate',
  'epic',
  'estimate',
  'estimate_time',
  'health_status',
  'invite_email',
  'iteration',
  'label',
  'lock',
  'merge',
  'milestone',
  'move',
  'parent_epic',
  'promote',
  'promote_to',
  'promote_to_incident',
  'publish',
  'q',
  'react',
  'ready',
  'reassign',
  'reassign_reviewer',
  'rebase',
  'relabel',
  'relate',
  'remove_child',
  'remove_contacts',
  'remove_due_date',
  'remove_email',
  'remove_epic',
  'remove_estimate',
  'remove_iteration',
  'remove_milestone',
  'remove_parent',
  'remove_parent_epic',
  'remove_time_estimate',
  'remove_time_spent',
  'remove_weight',
  'remove_zoom',
  'reopen',
  'request_review',
  'reviewer',
  'set_parent',
  'severity',
  'shrug',
  'spend',
  'spend_time',
  'status',
  'submit_review',
  'subscribe',
  'tableflip',
  'target_branch',
  'timeline',
  'title',
  'todo',
  'type',
  'unapprove',
  'unassign',
  'unassign_reviewer',
  'unlabel',
  'unlink',
  'unlock',
  'unsubscribe',
  'weight',
  'wip',
  'zoom',
]);

/** Yields each line with whether it sits inside a ``` / ~~~ fence or a `>>>` blockquote fence. */
function* linesOutsideFences(text: string): Generator<{ line: string; inFence: boolean }> {
  let fence: string | null = null;
  for (const line of text.split('\n')) {
    const marker = /^\s*(```|~~~|>>>)/.exec(line)?.[1] ?? null;
    if (fence === null && marker !== null) {
      fence = marker;
      yield { line, inFence: true };
    } else if (fence !== null && marker === fence) {
      fence = null;
      yield { line, inFence: true };
    } else {
      yield { line, inFence: fence !== null };
    }
  }
}

export function quickActionLines(text: string): string[] {
  const found: string[] = [];
  for (const { line, inFence } of linesOutsideFences(text)) {
    if (!inFence && QUICK_ACTION_LIKE.test(line)) found.push(line.trim());
  }
  return found;
}

export interface StrippedText {
  text: string;
  commands: string[];
}

/** Removes the lines GitLab would execute, as it does before saving a note or description. */
export function stripQuickActions(text: string): StrippedText {
  const kept: string[] = [];
  const commands: string[] = [];
  for (const { line, inFence } of linesOutsideFences(text)) {
    const name = inFence ? undefined : COMMAND.exec(line.replace(/\r$/, ''))?.[1];
    if (name !== undefined && KNOWN_COMMANDS.has(name)) commands.push(line.trim());
    else kept.push(line);
  }
  return { text: kept.join('\n'), commands };
}

/** `@all`, `@here` and mentions of a group (which notify every member). Code is not scanned. */
export function massMentions(text: string, groupPaths: readonly string[]): string[] {
  const groups = new Set(groupPaths.map((g) => g.toLowerCase()));
  const found: string[] = [];
  for (const { line, inFence } of linesOutsideFences(text)) {
    if (inFence) continue;
    const prose = line.replace(/`[^`]*`/g, '');
    for (const m of prose.matchAll(/(?:^|[^\w`])@([\w][\w.\-/]*)/g)) {
      const name = (m[1] ?? '').replace(/[./-]+$/, '').toLowerCase();
      if (name === 'all' || name === 'here' || groups.has(name)) found.push(`@${name}`);
    }
  }
  return found;
}
