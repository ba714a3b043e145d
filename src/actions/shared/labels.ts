import type { LabelWrite } from '../../gitlab/api.js';
import { JOB_FAMILY_LABEL_PREFIX } from '../../jobfamily/okr.js';
import type { ActionContext } from './context.js';
import type { ProjectId } from '../../queue/jobs.js';

/**
 * The OKR issue's labels, created deliberately (colour, description) before an issue carries them:
 * GitLab's `labels`/`add_labels` would otherwise create them silently, grey and unexplained (DESIGN §6).
 */

const OKR_COLOR = '#428bca';
const FAMILY_COLOR = '#a8d695';

/** What the bot creates for a label name; the slug is `[a-z0-9-]` by construction (pageSlug). */
export function okrLabelSpec(name: string): LabelWrite {
  if (name.startsWith(JOB_FAMILY_LABEL_PREFIX)) {
    const slug = name.slice(JOB_FAMILY_LABEL_PREFIX.length);
    return {
      name,
      color: FAMILY_COLOR,
      description: `Issues about the job-family page "${slug}": its OKR tracking issue and recruiting issues (handbook-bot)`,
    };
  }
  return { name, color: OKR_COLOR, description: 'OKR tracking issue of a job-family page, kept in step with the page by handbook-bot' };
}

/**
 * Names of `wanted` the project (or its groups) lacks, in order. Pure. Exact names: a label that differs
 * only in case would not be the one `labels` applies, so it is created (GitLab answers 409 if it minds).
 */
export function missingLabels(wanted: readonly string[], existing: readonly { name: string }[]): string[] {
  const have = new Set(existing.map((label) => label.name));
  return [...new Set(wanted)].filter((name) => !have.has(name));
}

/** Creates the labels the project lacks; a 409 (created meanwhile, or a group label) counts as present. */
export async function ensureOkrLabels(ctx: ActionContext, project: ProjectId, labels: readonly LabelWrite[]): Promise<string[]> {
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
