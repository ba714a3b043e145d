import type { Issue } from '../../gitlab/api.js';
import type { JobFamilyPage } from '../../jobfamily/model.js';
import { jobFamilyLabel, pageSlug } from '../../jobfamily/okr.js';
import type { ProjectId, Trigger } from '../../queue/jobs.js';
import { withKeyedLock } from '../../queue/keyed-lock.js';
import type { ActionContext } from '../shared/context.js';
import { pageUrlAt } from './link.js';
import { ensureLabels } from '../shared/labels.js';
import { planOkrIssue, type OkrPlanOptions } from './issue-plan.js';
import {
  okrMarkerKey,
  pageOkrIssues,
  pickOkrIssue,
  planOkrReconcile,
  type OkrDesired,
  type OkrOperation,
  type OkrOutcome,
} from './reconcile-plan.js';
import { postNoteOnce } from '../shared/notes.js';

/**
 * The OKR tracking issue's I/O half (DESIGN §4): find the page's issue (one list call), plan with
 * `planOkrReconcile`, apply. Work on one page is serialized across workers by a lock on the issue's
 * identity (project and slug), so two jobs never both find nothing and both create.
 *
 * A create is never re-sent blindly: the client throws a retryable error after an uncertain POST, the
 * job runs again, and this starts over with the find, which sees the issue if GitLab made it.
 */

export interface OkrIssueInput {
  /** The page at `commit`; `null` when it does not exist there (removed). */
  page: JobFamilyPage | null;
  /** The page at the previous commit, when read (the title follows the page's only when it changed). */
  previousPage: JobFamilyPage | null;
  path: string;
  commit: string;
  /** ISO time of `commit`, so an older job never overwrites what a newer one wrote. */
  committedAt: string;
  /** Where the page lives (for the link to it). */
  handbookProject: ProjectId;
  trigger: Trigger;
}

export interface OkrIssueResult {
  outcome: OkrOutcome;
  project: ProjectId;
  iid: number | null;
  /** Kinds of the operations applied, in order (empty when nothing was written). */
  operations: OkrOperation['kind'][];
}

/** `okr.project`, else the handbook project (the loader defaults it so; a bare Config may not). */
export function okrProject(ctx: ActionContext, handbookProject: ProjectId): ProjectId {
  return ctx.config.okr.project ?? ctx.config.handbook.project ?? handbookProject;
}

export function okrLockKey(ctx: ActionContext, project: ProjectId, slug: string): string {
  return `${ctx.lockPrefix}okr-issue:${String(project)}:${slug}`;
}

/** Re-syncs of a page whose content may not have changed at all. */
function isResync(trigger: Trigger): boolean {
  return trigger === 'sync' || trigger === 'reconcile';
}

export function desiredOkrIssue(ctx: ActionContext, input: OkrIssueInput): OkrDesired {
  const slug = pageSlug(input.path);
  if (input.page === null) {
    return { kind: 'removed', slug, path: input.path, commit: input.commit, committedAt: input.committedAt };
  }
  const options: OkrPlanOptions = {
    now: ctx.now(),
    fiscalYearStartMonth: ctx.config.okr.fiscalYearStartMonth,
    labels: ctx.config.okr.labels,
    pageUrl: pageUrlAt(ctx.config, input.handbookProject, input.commit, input.path),
    commit: input.commit,
    committedAt: input.committedAt,
    slug,
  };
  return {
    kind: 'present',
    plan: planOkrIssue(input.page, options),
    committedAt: input.committedAt,
    previousTitle: input.previousPage === null ? null : planOkrIssue(input.previousPage, options).title,
    ignoreCommitOnlyChange: isResync(input.trigger),
    assignees: ctx.config.okr.assignees,
  };
}

/**
 * The page's OKR issues: one list call filtered by the page's labels, every state. Only when that
 * finds nothing (people may remove labels) one search for the marker, so a missing label never causes
 * a duplicate; it costs a read only on the way to a create.
 */
async function findIssues(ctx: ActionContext, project: ProjectId, desired: OkrDesired): Promise<Issue[]> {
  const slug = desired.kind === 'present' ? desired.plan.model.slug : desired.slug;
  const labels = [...ctx.config.okr.labels, jobFamilyLabel(slug)];
  const found = (issues: readonly Issue[]) =>
    desired.kind === 'present'
      ? pickOkrIssue(issues, okrMarkerKey(slug, desired.plan.model.quarter.label)) !== null
      : pageOkrIssues(issues, slug).length > 0;
  const labelled = await ctx.gitlab.listIssues(project, { labels, state: 'all' });
  if (found(labelled)) return labelled;
  return ctx.gitlab.listIssues(project, { search: `handbook-bot:okr ${slug}`, state: 'all' });
}

export async function applyOkrOperations(ctx: ActionContext, project: ProjectId, operations: readonly OkrOperation[]): Promise<void> {
  for (const op of operations) {
    switch (op.kind) {
      case 'ensure-labels':
        await ensureLabels(ctx, project, op.labels);
        break;
      case 'create-issue': {
        const ids = op.assignees.length === 0 ? [] : (await ctx.gitlab.findUsers(op.assignees)).map((user) => user.id);
        await ctx.gitlab.createIssue(project, { ...op.issue, ...(ids.length > 0 ? { assignee_ids: ids } : {}) });
        break;
      }
      case 'edit-issue':
        await ctx.gitlab.editIssue(project, op.iid, op.edit);
        break;
      case 'comment-once':
        await postNoteOnce(ctx, { project, kind: 'issues', iid: op.iid }, op.marker.kind, op.marker.key, op.body);
        break;
    }
  }
}

export async function reconcileOkrIssue(ctx: ActionContext, input: OkrIssueInput): Promise<OkrIssueResult> {
  const project = okrProject(ctx, input.handbookProject);
  const desired = desiredOkrIssue(ctx, input);
  const slug = desired.kind === 'present' ? desired.plan.model.slug : desired.slug;
  return withKeyedLock(ctx.redis, okrLockKey(ctx, project, slug), async () => {
    const plan = planOkrReconcile(desired, await findIssues(ctx, project, desired));
    await applyOkrOperations(ctx, project, plan.operations);
    const operations = plan.operations.map((op) => op.kind);
    ctx.logger.info(
      { project, path: input.path, commit: input.commit, outcome: plan.outcome, iid: plan.iid, operations },
      `OKR issue: ${plan.outcome}`,
    );
    return { outcome: plan.outcome, project, iid: plan.iid, operations };
  }, ctx.lockOptions);
}
