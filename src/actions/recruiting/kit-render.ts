import { createHash } from 'node:crypto';
import type { ProjectRef } from '../../config/schema.js';
import { marker } from '../../gitlab/markers.js';
import { sanitizeInline, sanitizeUrl } from '../../gitlab/sanitize.js';
import type { StageName } from '../../jobfamily/model.js';
import type { HiringFamily, HiringRole } from '../hiring/family.js';
import { stepFacts } from './kit-steps.js';
import { assumedRoleSentence, inline } from './stage-comments.js';

/**
 * The interview kit of a recruiting issue: one bot note listing the steps of the role in the
 * stage the issue is on (what, with whom, how long, and the page's own sentence), as a checklist.
 * Pure and deterministic. Each item ends with an invisible id (role, stage and step text), so a box
 * ticked in the previous body stays ticked while that step is still listed.
 */

export const KIT_MARKER_KIND = 'interview-kit';

export interface KitInput {
  family: HiringFamily;
  role: HiringRole;
  /** False when the title names no role and the family's first one was assumed. */
  roleMatched: boolean;
  stage: StageName;
  /** `handbook.project`: the page is linked at its commit when it is a path. */
  handbookProject: ProjectRef | undefined;
  /** The kit note's body as it is now, whose ticks are kept. */
  previousBody?: string;
}

export interface Kit {
  body: string;
  /**
   * What the kit says, without the commit it was read at: an issue event whose kit would say the same
   * writes nothing, even when the page has had unrelated commits since.
   */
  digest: string;
}

/** The steps of the role in that stage, in page order. */
export function stepsInStage(role: HiringRole, stage: StageName): string[] {
  return role.steps.filter((step) => step.stage === stage).map((step) => step.text);
}

export function kitDigest(input: Pick<KitInput, 'family' | 'role' | 'roleMatched' | 'stage'>): string {
  const content = [
    input.family.path,
    input.family.title,
    input.role.name,
    input.roleMatched,
    input.stage,
    stepsInStage(input.role, input.stage),
  ];
  return createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 16);
}

function itemId(role: string, stage: StageName, text: string): string {
  return createHash('sha256').update(`${role}\u0000${stage}\u0000${text}`).digest('hex').slice(0, 12);
}

const TICKED_ITEM = /^\s*[-*+]\s+\[[xX]\]\s.*<!-- handbook-bot:item ([0-9a-f]{12}(?:-\d+)?) -->\s*$/u;

function tickedIds(body: string): Set<string> {
  const ids = new Set<string>();
  for (const line of body.split(/\r?\n/u)) {
    const id = TICKED_ITEM.exec(line)?.[1];
    if (id !== undefined) ids.add(id);
  }
  return ids;
}

/** The page, linked at its commit when the handbook project is a path (GitLab resolves `/group/project/-/blob/…`). */
function pageReference(family: HiringFamily, project: ProjectRef | undefined): string {
  const commit = /^[0-9a-f]{7,64}$/iu.test(family.commit) ? family.commit : '';
  const path = inline(family.path);
  if (commit === '') return path;
  const url = typeof project === 'string' && !/^\d+$/u.test(project) ? sanitizeUrl(`/${project}/-/blob/${commit}/${family.path}`) : null;
  const at = `at commit ${commit.slice(0, 8)}`;
  return url === null ? `${path} ${at}` : `[${path}](${url}) ${at}`;
}

/** `**3 interviews** with cross-functional partners · 45–60 min`, or the sentence alone when it says neither. */
function itemText(text: string): { head: string; sentence: string | null } {
  const facts = stepFacts(text);
  const parts = [
    facts.what === null ? null : `**${inline(facts.what)}**`,
    facts.withWhom === null ? null : `with ${inline(facts.withWhom)}`,
  ].filter((part): part is string => part !== null);
  // The page's own sentence, whole (up to 500 characters), nobody mentioned.
  const sentence = sanitizeInline(text, { allowedMentions: new Set() });
  if (parts.length === 0) return { head: sentence, sentence: null };
  const head = facts.duration === null ? parts.join(' ') : `${parts.join(' ')} · ${inline(facts.duration)}`;
  return { head, sentence };
}

export function renderKit(input: KitInput): Kit {
  const { family, role, stage } = input;
  const ticked = tickedIds(input.previousBody ?? '');
  const steps = stepsInStage(role, stage);
  const lines = [
    marker(KIT_MARKER_KIND),
    `### Interview kit: ${inline(stage)}`,
    `The **${inline(stage)}** steps of *${inline(role.name)}* (${inline(family.title)}), from ${pageReference(family, input.handbookProject)}:`,
    '',
  ];
  const seen = new Map<string, number>();
  for (const text of steps) {
    const base = itemId(role.name, stage, text);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const id = n === 1 ? base : `${base}-${n}`;
    const { head, sentence } = itemText(text);
    lines.push(`- ${ticked.has(id) ? '[x]' : '[ ]'} ${head} ${marker('item', id)}`);
    if (sentence !== null) lines.push(`  - ${sentence}`);
  }
  if (steps.length === 0) lines.push(`- The page lists no step of this stage for this role.`);
  if (!input.roleMatched) lines.push('', assumedRoleSentence(role.name));
  lines.push(
    '',
    '<sub>Kept by handbook-bot: edited in place when the issue moves to another stage or the page changes. Tick the steps as they are done.</sub>',
  );
  return { body: lines.join('\n'), digest: kitDigest(input) };
}

/**
 * True when a page change alters what an interview kit of the family shows (a role's name or steps,
 * the family's title or path), so page-sync visits the family's open issues to edit their kits.
 */
export function kitsAffected(previous: HiringFamily | null, current: HiringFamily): boolean {
  if (previous === null) return false;
  const shown = (family: HiringFamily) => JSON.stringify([family.path, family.title, family.roles.map((role) => [role.name, role.steps])]);
  return shown(previous) !== shown(current);
}
