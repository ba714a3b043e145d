import type { StageName } from '../../jobfamily/model.js';
import type { ActionContext } from '../shared/context.js';
import type { HiringFamily } from './family.js';
import { ensureLabels } from '../shared/labels.js';
import { desiredHiringFor } from './stages-plan.js';
import { readAllFamilies } from '../shared/page-index.js';
import { recruitingProject } from './project.js';

/**
 * Makes sure the stage labels an issue update is about to add exist, with their colour and
 * description: `add_labels` would otherwise create them silently, grey and undescribed (DESIGN §6).
 * Only creates, so no lock is needed (a 409 means another writer was first); updating labels is
 * page-sync's job. One label listing, on the write path only.
 */
export async function ensureStageLabels(ctx: ActionContext, stages: readonly StageName[], family: HiringFamily): Promise<void> {
  const project = recruitingProject(ctx.config);
  const indexed = await readAllFamilies(ctx.redis, ctx.lockPrefix);
  const families = indexed.some((candidate) => candidate.slug === family.slug) ? indexed : [...indexed, family];
  const wanted = new Set(stages);
  const specs = desiredHiringFor(families, ctx.config).labels.filter((label) => wanted.has(label.stage));
  await ensureLabels(
    ctx,
    project,
    specs.map(({ name, color, description }) => ({ name, color, description })),
  );
}
