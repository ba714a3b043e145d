import type { StageName } from '../../jobfamily/model.js';
import { withKeyedLock } from '../../queue/keyed-lock.js';
import type { ActionContext } from '../shared/context.js';
import type { HiringFamily } from './family.js';
import { hiringLabelsLockKey, reconcileStageLabels } from './stages-apply.js';
import { desiredHiringFor } from './stages-plan.js';
import { readAllFamilies } from '../shared/page-index.js';
import { recruitingProject } from './project.js';

/**
 * Makes sure the stage labels an issue update is about to add exist, with their colour and
 * description: `add_labels` would otherwise create them silently, grey and undescribed (DESIGN §6).
 * Only creates; updating labels is page-sync's job. One label listing, on the write path only.
 */
export async function ensureStageLabels(ctx: ActionContext, stages: readonly StageName[], family: HiringFamily): Promise<void> {
  const project = recruitingProject(ctx.config);
  await withKeyedLock(ctx.redis, hiringLabelsLockKey(ctx.lockPrefix, project), async () => {
    const indexed = await readAllFamilies(ctx.redis, ctx.lockPrefix);
    const families = indexed.some((candidate) => candidate.slug === family.slug) ? indexed : [...indexed, family];
    const wanted = new Set(stages);
    const specs = desiredHiringFor(families, ctx.config).labels.filter((label) => wanted.has(label.stage));
    await reconcileStageLabels(ctx, project, specs, 'missing');
  }, ctx.lockOptions);
}
