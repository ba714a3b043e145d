import type { StageName } from '../../jobfamily/model.js';
import { withKeyedLock } from '../../queue/keyed-lock.js';
import type { ActionContext } from '../shared/context.js';
import { stageLabel, type HiringFamily } from './family.js';
import { hiringLabelsLockKey, reconcileStageLabels } from './stages-apply.js';
import { desiredHiringFor } from './stages-plan.js';
import { readAllFamilies } from '../shared/page-index.js';
import { recruitingProject } from './project.js';

/**
 * Makes sure the stage labels an issue update is about to add exist, with their colour and
 * description: `add_labels` would otherwise create them silently, grey and undescribed (DESIGN §6).
 * Only creates; updating labels is page-sync's job. One label listing, on the write path only.
 *
 * The listing is read without the project-wide labels lock: the labels nearly always exist, and
 * taking the lock for every recruiting issue would serialize all of them (and wait behind a page-sync
 * writing labels and board). Only a missing label takes the lock, and is listed again under it.
 */
export async function ensureStageLabels(ctx: ActionContext, stages: readonly StageName[], family: HiringFamily): Promise<void> {
  const project = recruitingProject(ctx.config);
  const present = new Set((await ctx.gitlab.listLabels(project)).map((label) => label.name));
  if (stages.every((stage) => present.has(stageLabel(stage)))) return;
  await withKeyedLock(ctx.redis, hiringLabelsLockKey(ctx.lockPrefix, project), async () => {
    const indexed = await readAllFamilies(ctx.redis, ctx.lockPrefix);
    const families = indexed.some((candidate) => candidate.slug === family.slug) ? indexed : [...indexed, family];
    const wanted = new Set(stages);
    const specs = desiredHiringFor(families, ctx.config).labels.filter((label) => wanted.has(label.stage));
    await reconcileStageLabels(ctx, project, specs, 'missing');
  }, ctx.lockOptions);
}
