import type { LabelWrite } from '../../gitlab/api.js';
import type { ActionContext } from './context.js';
import type { ProjectId } from '../../queue/jobs.js';

/**
 * Names of `wanted` the project (or its groups) lacks, in order. Pure. Exact names: a label that differs
 * only in case would not be the one `labels` applies, so it is created (GitLab answers 409 if it minds).
 */
export function missingLabels(wanted: readonly string[], existing: readonly { name: string }[]): string[] {
  const have = new Set(existing.map((label) => label.name));
  return [...new Set(wanted)].filter((name) => !have.has(name));
}

/**
 * Creates the labels the project lacks, with their colour and description, before anything applies them:
 * `labels`/`add_labels` would otherwise create them silently, grey and unexplained (DESIGN §6). A 409
 * (created meanwhile, or a group label) counts as present. Only creates: existing labels are left alone.
 */
export async function ensureLabels(ctx: ActionContext, project: ProjectId, labels: readonly LabelWrite[]): Promise<string[]> {
  const missing = missingLabels(
    labels.map((label) => label.name),
    await ctx.gitlab.listLabels(project),
  );
  const created: string[] = [];
  for (const label of labels) {
    if (!missing.includes(label.name)) continue;
    if ((await ctx.gitlab.createLabel(project, label)) !== null) created.push(label.name);
  }
  return created;
}
