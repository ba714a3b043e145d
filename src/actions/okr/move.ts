import type { Issue, IssueEdit } from '../../gitlab/api.js';
import type { JobFamilyPage } from '../../jobfamily/model.js';
import { jobFamilyLabel, pageSlug } from '../../jobfamily/okr.js';
import { sanitizeInline } from '../../gitlab/sanitize.js';
import type { ProjectId } from '../../queue/jobs.js';
import { withKeyedLock } from '../../queue/keyed-lock.js';
import type { ActionContext } from '../shared/context.js';
import { ensureLabels } from '../shared/labels.js';
import { okrLabelSpec } from './labels.js';
import { postNoteOnce } from '../shared/notes.js';
import { planOkrIssue, updateDescription } from './issue-plan.js';
import { findPageIssues, okrLockKey, okrPlanOptions, okrProject } from './issue.js';
import { okrMarkerKey, pageOkrIssues, pickOkrIssue } from './reconcile-plan.js';

/**
 * A page renamed to another slug: its OKR issue of the current quarter follows it (block re-keyed to
 * the new slug with ticks kept, title while it is the bot's, `job-family::` label swapped, one note
 * saying where the page moved) instead of being closed while a new one opens. When the new slug has
 * an issue for the quarter already (a job of the new path ran before the rename was known), the older
 * of the two (lowest iid, the one lookups pick) keeps the page and the other is closed with a note
 * naming it. Idempotent: once moved, the old key is gone.
 */

export type OkrMoveOutcome = 'moved' | 'merged-into-existing' | 'nothing-to-move';

export interface OkrMoveInput {
  fromPath: string;
  toPath: string;
  /** The page at its new path, as the branch holds it. */
  page: JobFamilyPage;
  /** The commit that last changed the page. */
  commit: string;
  handbookProject: ProjectId;
}

export const MOVED_NOTE_KIND = 'okr-moved';

export async function moveOkrIssue(ctx: ActionContext, input: OkrMoveInput): Promise<{ outcome: OkrMoveOutcome; iid: number | null }> {
  const project = okrProject(ctx, input.handbookProject);
  const fromSlug = pageSlug(input.fromPath);
  const toSlug = pageSlug(input.toPath);
  if (fromSlug === toSlug) return { outcome: 'nothing-to-move', iid: null };
  const plan = planOkrIssue(input.page, okrPlanOptions(ctx, input.handbookProject, input.toPath, input.commit));
  const quarter = plan.model.quarter.label;
  const [first, second] = [okrLockKey(ctx, project, fromSlug), okrLockKey(ctx, project, toSlug)].sort();
  return withKeyedLock(
    ctx.redis,
    first ?? '',
    () =>
      withKeyedLock(
        ctx.redis,
        second ?? '',
        async () => {
          const fromIssues = await findPageIssues(ctx, project, fromSlug, (issues) => pageOkrIssues(issues, fromSlug).length > 0);
          const current = pickOkrIssue(fromIssues, okrMarkerKey(fromSlug, quarter));
          if (current === null || current.state === 'closed') return { outcome: 'nothing-to-move' as const, iid: null };
          const toIssues = await findPageIssues(
            ctx,
            project,
            toSlug,
            (issues) => pickOkrIssue(issues, okrMarkerKey(toSlug, quarter)) !== null,
          );
          const existing = pickOkrIssue(toIssues, okrMarkerKey(toSlug, quarter));
          const safe = (path: string) => sanitizeInline(path, { allowedMentions: new Set() });
          const target = { project, kind: 'issues' as const, iid: current.iid };
          if (existing !== null && existing.iid !== current.iid && existing.iid < current.iid) {
            await postNoteOnce(
              ctx,
              target,
              MOVED_NOTE_KIND,
              `${fromSlug}.${toSlug}`,
              `The job-family page moved from ${safe(input.fromPath)} to ${safe(input.toPath)}. Its OKRs for ${quarter} are tracked in #${existing.iid}, so this issue is closed.`,
            );
            await ctx.gitlab.editIssue(project, current.iid, { state_event: 'close' });
            return { outcome: 'merged-into-existing' as const, iid: existing.iid };
          }
          // The note first: a retry after a failed edit finds it and only edits.
          await postNoteOnce(
            ctx,
            target,
            MOVED_NOTE_KIND,
            `${fromSlug}.${toSlug}`,
            `The job-family page moved from ${safe(input.fromPath)} to ${safe(input.toPath)}; this OKR tracking issue follows it.`,
          );
          await ensureLabels(ctx, project, plan.labels.map(okrLabelSpec));
          await ctx.gitlab.editIssue(
            project,
            current.iid,
            movedEdit(current, plan.block, plan.title, plan.labels, jobFamilyLabel(fromSlug)),
          );
          ctx.logger.info({ project, iid: current.iid, from: input.fromPath, to: input.toPath }, 'OKR issue: moved with its page');
          // A job of the new path ran before the rename was known and opened an issue of its own: the older
          // issue (lowest iid, the one every lookup picks) keeps the page and its history; the newer closes.
          if (existing !== null && existing.iid !== current.iid && existing.state === 'opened') {
            await postNoteOnce(
              ctx,
              { project, kind: 'issues', iid: existing.iid },
              MOVED_NOTE_KIND,
              `${fromSlug}.${toSlug}`,
              `The job-family page ${safe(input.toPath)} was renamed from ${safe(input.fromPath)}, whose OKR tracking issue #${current.iid} now follows it. This duplicate is closed.`,
            );
            await ctx.gitlab.editIssue(project, existing.iid, { state_event: 'close' });
          }
          return { outcome: 'moved' as const, iid: current.iid };
        },
        ctx.lockOptions,
      ),
    ctx.lockOptions,
  );
}

function movedEdit(issue: Issue, block: string, title: string, labels: readonly string[], oldFamilyLabel: string): IssueEdit {
  const edit: IssueEdit = { description: updateDescription(issue.description, block) };
  // Only a title in the bot's pattern follows the page; people's own titles stay.
  if (issue.title.startsWith('OKRs: ') && issue.title !== title) edit.title = title;
  const add = labels.filter((label) => !issue.labels.includes(label));
  if (add.length > 0) edit.add_labels = add;
  if (issue.labels.includes(oldFamilyLabel)) edit.remove_labels = [oldFamilyLabel];
  return edit;
}
