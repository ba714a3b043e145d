import { createHash } from 'node:crypto';
import { attributeValue, beginMarker, endMarker, extractBlock, marker } from '../../gitlab/markers.js';
import { sanitizeInline, sanitizeTitle, sanitizeUrl, type SanitizeOptions } from '../../gitlab/sanitize.js';
import type { JobFamilyPage } from '../../jobfamily/model.js';
import { okrIssueModel, type OkrIssueModel, type OkrOptions } from '../../jobfamily/okr.js';

/**
 * The OKR tracking issue of a page as GitLab will hold it (DESIGN §4): title, labels, due date, and the
 * bot-owned block of its description. Pure: the reconciler (okr-issue.ts) finds the issue by its key
 * marker and writes what this plans. Page text is sanitized here and nowhere else.
 */

export interface OkrIssuePlan {
  /** The issue's stable identity: `<!-- handbook-bot:okr <slug> <FYxx-Qn> -->`, inside the block. */
  key: string;
  title: string;
  labels: string[];
  dueDate: string;
  /** The bot-owned block, markers included. */
  block: string;
  model: OkrIssueModel;
}

export interface OkrPlanOptions extends OkrOptions {
  /** Usernames that may be mentioned; none by default (owners are roles, not people). */
  allowedMentions?: ReadonlySet<string>;
}

export function planOkrIssue(page: JobFamilyPage, options: OkrPlanOptions): OkrIssuePlan {
  const model = okrIssueModel(page, options);
  const sanitize: SanitizeOptions = { allowedMentions: options.allowedMentions ?? new Set() };
  const title = `OKRs: ${sanitizeTitle(model.pageTitle, { ...sanitize, maxLength: 200 })} — ${model.quarter.label}`;
  return {
    key: okrIssueKey(model.slug, model.quarter.label),
    title,
    labels: model.labels,
    dueDate: model.dueDate,
    // The title's digest is recorded so a later sync can tell the bot's title from one people gave.
    block: renderOkrBlock(model, sanitize, { title: titleDigest(title) }),
    model,
  };
}

/** The marker that finds a page's issue for a quarter again; the slug is `[a-z0-9-]` by construction. */
export function okrIssueKey(slug: string, quarterLabel: string): string {
  return marker('okr', `${slug} ${quarterLabel}`);
}

/** The digest recorded as `title=` in the begin marker: short, and safe as an attribute value. */
export function titleDigest(title: string): string {
  return createHash('sha256').update(title).digest('hex').slice(0, 12);
}

export function renderOkrBlock(model: OkrIssueModel, sanitize: SanitizeOptions, extra: Record<string, string> = {}): string {
  const inline = (text: string) => sanitizeInline(text, sanitize);
  const link = (text: string, url: string | null) => {
    const safe = url === null ? null : sanitizeUrl(url);
    return safe === null ? inline(text) : `[${inline(text)}](${safe})`;
  };
  const attributes: Record<string, string> = { commit: attributeValue(model.commit) };
  for (const [name, value] of Object.entries(extra)) attributes[name] = attributeValue(value);

  const lines: string[] = [
    beginMarker(attributes),
    okrIssueKey(model.slug, model.quarter.label),
    `**Job family:** ${link(model.pageTitle, model.pageUrl)} at commit \`${attributeValue(model.commit).slice(0, 8)}\` · ${inline(model.pagePath)}`,
    `**Quarter:** ${model.quarter.label}, due ${model.dueDate}`,
    '',
  ];

  if (model.owners.scope === 'none') {
    lines.push('**Roles that own OKRs:** none yet: the page names no OKR responsibility.');
  } else {
    const why =
      model.owners.scope === 'page'
        ? 'every role, because an OKR responsibility is page-level'
        : 'the roles whose responsibilities include one';
    lines.push(`**Roles that own OKRs** (${why}):`);
    lines.push(...(model.owners.roles.length > 0 ? model.owners.roles.map((role) => `- ${inline(role)}`) : ['- (the page has no roles)']));
  }
  if (model.okrs.length > 0) {
    lines.push('', '**OKR responsibilities:**', ...model.okrs.map((okr) => `- ${inline(okr)}`));
  }

  lines.push('', '**Key results** (one per performance indicator):');
  if (model.keyResults.length === 0) lines.push('- The page lists no performance indicators yet.');
  for (const kr of model.keyResults) {
    const owner = kr.owner === null ? 'unassigned' : inline(kr.owner);
    lines.push(`- [ ] ${link(kr.name, kr.url)} — target: to be set — owner: ${owner}`);
  }
  lines.push(endMarker);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------
// Keeping people's ticks and text.

const TASK = /^(\s*[-*+]\s+)\[([ xX])\](\s+)(.*)$/u;

/**
 * The new block with the boxes ticked that were ticked in the old block for an item that still exists.
 * Items are matched by their text up to the first " — " (the key result itself, not its target or
 * owner, which may change), never by position.
 */
export function mergeChecklist(oldBlock: string, newBlock: string): string {
  const checked = new Set<string>();
  for (const line of oldBlock.split('\n')) {
    const task = TASK.exec(line);
    if (task && task[2] !== ' ') checked.add(itemKey(task[4] ?? ''));
  }
  return newBlock
    .split('\n')
    .map((line) => {
      const task = TASK.exec(line);
      if (!task || task[2] !== ' ' || !checked.has(itemKey(task[4] ?? ''))) return line;
      return `${task[1]}[x]${task[3]}${task[4]}`;
    })
    .join('\n');
}

function itemKey(text: string): string {
  const head = text.split(' — ')[0] ?? text;
  return head.replace(/\s+/gu, ' ').trim();
}

export interface BlockLocation {
  start: number;
  end: number;
  block: string;
}

/** The bot-owned block of a description, markers included, or `null` (the format is markers.ts'). */
export function findBlock(description: string): BlockLocation | null {
  const found = extractBlock(description);
  return found === null ? null : { start: found.start, end: found.end, block: description.slice(found.start, found.end) };
}

/**
 * The description with its block replaced by `block` (ticks kept), or the block appended below the
 * existing text when there is none. Text outside the block is people's and stays as it is.
 */
export function updateDescription(current: string | null, block: string): string {
  const text = current ?? '';
  const found = findBlock(text);
  if (found === null) return text.trim() === '' ? block : `${text.replace(/\s+$/u, '')}\n\n${block}`;
  return `${text.slice(0, found.start)}${mergeChecklist(found.block, block)}${text.slice(found.end)}`;
}
