import type { Config } from '../../config/types.js';
import type { Label, LabelWrite } from '../../gitlab/api.js';
import type { JobFamilyPage, StageName } from '../../jobfamily/model.js';
import { hiringFamilyFromPage, stageColor, stageLabel, stageOrder, type HiringFamily } from './family.js';
import { inStageOrder } from '../../jobfamily/stages.js';
import { stageLabelDescription } from './label-description.js';

/**
 * The hiring-stage labels and board the job families want (DESIGN §4, "Hiring stages"), and the label
 * writes that bring GitLab there. Pure: `hiring-stages-apply.ts` does the I/O, and a second run against
 * what the first one wrote plans nothing.
 */

export interface StageLabelSpec {
  stage: StageName;
  name: string;
  color: string;
  description: string;
}

export interface DesiredHiring {
  /** One label per stage any role has, in stage order. */
  labels: StageLabelSpec[];
  /** The board's name and its lists' labels, in order. */
  board: { name: string; lists: string[] };
}

/** Labels and board for a set of families (the whole page index, in the workers). */
export function desiredHiringFor(families: readonly HiringFamily[], config: Config): DesiredHiring {
  // A fixed order (path, then slug), so descriptions never depend on which page reached the index first.
  const key = (family: HiringFamily) => `${family.path}\u0000${family.slug}`;
  const sorted = [...families].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const labels = inStageOrder(
    sorted.flatMap((family) => family.roles.flatMap((role) => role.stages)),
    stageOrder(config),
  ).map((stage) => ({
    stage,
    name: stageLabel(stage),
    color: stageColor(stage, config),
    description: stageLabelDescription(stage, sorted),
  }));
  return { labels, board: { name: config.recruiting.board, lists: labels.map((label) => label.name) } };
}

/** What one page alone wants (the `plan` command: no GitLab, no other pages). */
export function desiredStageLabels(page: JobFamilyPage, config: Config): DesiredHiring {
  return desiredHiringFor([hiringFamilyFromPage(page, { path: page.path, commit: '', order: stageOrder(config) })], config);
}

export type StageLabelOp =
  { kind: 'create-label'; label: LabelWrite } | { kind: 'update-label'; labelId: number; name: string; color: string; description: string };

/** The existing label a desired one corresponds to: same name, else same name ignoring case (GitLab's uniqueness). */
export function findLabel(existing: readonly Label[], name: string): Label | undefined {
  return existing.find((label) => label.name === name) ?? existing.find((label) => label.name.toLowerCase() === name.toLowerCase());
}

/**
 * Create what is missing, update what differs in colour or description, leave the rest alone. A group
 * label of the same name cannot be edited through the project: it is used as it is.
 */
export function planStageLabels(desired: readonly StageLabelSpec[], existing: readonly Label[]): StageLabelOp[] {
  const ops: StageLabelOp[] = [];
  for (const spec of desired) {
    const label = findLabel(existing, spec.name);
    if (label === undefined) {
      ops.push({ kind: 'create-label', label: { name: spec.name, color: spec.color, description: spec.description } });
      continue;
    }
    if (label.is_project_label === false) continue;
    const sameColor = label.color.toLowerCase() === spec.color.toLowerCase();
    const sameDescription = (label.description ?? '') === spec.description;
    if (!sameColor || !sameDescription) {
      ops.push({ kind: 'update-label', labelId: label.id, name: label.name, color: spec.color, description: spec.description });
    }
  }
  return ops;
}
