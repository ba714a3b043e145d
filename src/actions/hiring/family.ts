import { DEFAULT_STAGE_COLORS } from '../../config/schema.js';
import type { Config } from '../../config/types.js';
import { DEFAULT_STAGE_ORDER, type HiringStep, type JobFamilyPage, type StageName } from '../../jobfamily/model.js';
import { pageSlug } from '../../jobfamily/okr.js';
import { inStageOrder } from '../../jobfamily/stages.js';

/**
 * What the hiring machinery needs to know about one job family: its roles and, for each, the
 * canonical stages of its hiring process in board order. Small and JSON-safe, so it is also what the
 * page index keeps in Redis (page-index.ts): a recruiting issue finds its family's stages there without
 * reading the page from GitLab again.
 */

export interface HiringRole {
  name: string;
  /** Distinct canonical stages of the role's process, in configured order. */
  stages: StageName[];
  /** The steps as written on the page (text only), for label descriptions. */
  steps: Array<{ stage: StageName; text: string }>;
}

export interface HiringFamily {
  slug: string;
  path: string;
  title: string;
  /** The commit that last changed the page as applied (the branch head when found through the tree fallback). */
  commit: string;
  roles: HiringRole[];
}

export const STAGE_LABEL_PREFIX = 'hiring-stage::';

/** `hiring-stage::<stage>`. */
export function stageLabel(stage: StageName): string {
  return `${STAGE_LABEL_PREFIX}${stage}`;
}

/** The stage of a `hiring-stage::*` label, or `null` for any other label. */
export function stageOfLabel(label: string): StageName | null {
  return label.startsWith(STAGE_LABEL_PREFIX) ? label.slice(STAGE_LABEL_PREFIX.length) : null;
}

/** Board and canonical order: the configured stages when given, else the built-in ones. */
export function stageOrder(config: Config): StageName[] {
  const configured = config.recruiting.stages;
  return configured === undefined ? [...DEFAULT_STAGE_ORDER] : configured.map((stage) => stage.name);
}

/** A stage's label colour: configured, else the built-in colour of that name, else "other"'s grey. */
export function stageColor(stage: StageName, config: Config): string {
  const configured = config.recruiting.stages?.find((candidate) => candidate.name === stage)?.color;
  if (configured !== undefined) return configured;
  const builtIn: Record<string, string> = DEFAULT_STAGE_COLORS;
  return builtIn[stage] ?? DEFAULT_STAGE_COLORS.other;
}

function hiringRole(name: string, steps: readonly HiringStep[], order: readonly StageName[]): HiringRole {
  return {
    name,
    stages: inStageOrder(
      steps.map((step) => step.stage),
      order,
    ),
    steps: steps.map((step) => ({ stage: step.stage, text: step.text })),
  };
}

/**
 * The family as the hiring machinery sees it. A page with a hiring process but no role headings
 * describes one role, named after the page.
 */
export function hiringFamilyFromPage(
  page: JobFamilyPage,
  input: { path: string; commit: string; order: readonly StageName[] },
): HiringFamily {
  const roles = page.roles.map((role) => hiringRole(role.name, role.hiringProcess, input.order));
  if (roles.length === 0 && page.hiringProcess.length > 0) roles.push(hiringRole(page.title, page.hiringProcess, input.order));
  return {
    slug: pageSlug(input.path),
    path: input.path,
    title: page.title,
    commit: input.commit,
    roles,
  };
}
