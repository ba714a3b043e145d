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
  SUPERSEDED_NOTE_KIND,
} from './reconcile-plan.js';
import { attributeValue } from '../../gitlab/markers.js';
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
  /** The page as the branch holds it now; `null` when it is not there (removed). */
  page: JobFamilyPage | null;
  path: string;
  /**
   * For a page: the commit that last changed it (linked from the block); for a removal: the branch
   * head at which it was found missing.
   */
  commit: string;
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

export function desiredOkrIssue(ctx: ActionContext, input: OkrIssueInput): OkrDesired {
  const slug = pageSlug(input.path);
  if (input.page === null) return { kind: 'removed', slug, path: input.path, commit: input.commit };
  return {
    kind: 'present',
    plan: planOkrIssue(input.page, okrPlanOptions(ctx, input.handbookProject, input.path, input.commit)),
    assignees: ctx.config.okr.assignees,
  };
}

export function okrPlanOptions(ctx: ActionContext, handbookProject: ProjectId, path: string, commit: string): OkrPlanOptions {
  return {
    now: ctx.now(),
    fiscalYearStartMonth: ctx.config.okr.fiscalYearStartMonth,
    labels: ctx.config.okr.labels,
    pageUrl: pageUrlAt(ctx.config, handbookProject, commit, path),
    commit,
    slug: pageSlug(path),
  };
}

/**
 * The page's OKR issues: one list call filtered by the page's labels, every state. Only when that
 * finds nothing (people may remove labels) one search for the marker, so a missing label never causes
 * a duplicate; it costs a read only on the way to a create.
 */
async function findIssues(ctx: ActionContext, project: ProjectId, desired: OkrDesired): Promise<Issue[]> {
  const slug = desired.kind === 'present' ? desired.plan.model.slug : desired.slug;
  const found = (issues: readonly Issue[]) =>
    desired.kind === 'present'
      ? pickOkrIssue(issues, okrMarkerKey(slug, desired.plan.model.quarter.label)) !== null
      : pageOkrIssues(issues, slug).length > 0;
  return findPageIssues(ctx, project, slug, found);
}

/** The page's issues by label (one read); the marker search only when that finds none that `found` likes. */
export async function findPageIssues(
  ctx: ActionContext,
  project: ProjectId,
  slug: string,
  found: (issues: readonly Issue[]) => boolean,
): Promise<Issue[]> {
  const labels = [...ctx.config.okr.labels, jobFamilyLabel(slug)];
  const labelled = await ctx.gitlab.listIssues(project, { labels, state: 'all' });
  if (found(labelled)) return labelled;
  return ctx.gitlab.listIssues(project, { search: `handbook-bot:okr ${slug}`, state: 'all' });
}

export async function applyOkrOperations(ctx: ActionContext, project: ProjectId, operations: readonly OkrOperation[]): Promise<void> {
  let created: Issue | null = null;
  for (const op of operations) {
    switch (op.kind) {
      case 'ensure-labels':
        await ensureLabels(ctx, project, op.labels);
        break;
      case 'create-issue': {
        const ids = op.assignees.length === 0 ? [] : (await ctx.gitlab.findUsers(op.assignees)).map((user) => user.id);
        created = await ctx.gitlab.createIssue(project, { ...op.issue, ...(ids.length > 0 ? { assignee_ids: ids } : {}) });
        break;
      }
      case 'supersede': {
        const successor = op.successor ?? created?.iid;
        if (successor === undefined) throw new Error(`OKR issue #${op.iid}: its successor for ${op.quarter} was not created`);
        // The note first: a retry after a failed close finds it and only closes.
        await postNoteOnce(
          ctx,
          { project, kind: 'issues', iid: op.iid },
          SUPERSEDED_NOTE_KIND,
          attributeValue(op.quarter),
          `The fiscal quarter is over: key results are tracked for ${op.quarter} in #${successor}, which lists the ones still unticked here. This issue is closed.`,
        );
        await ctx.gitlab.editIssue(project, op.iid, op.edit);
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

/** Runs under the page's OKR lock (see `reconcileOkrIssue`); exported for callers that hold it already. */
export async function reconcileOkrIssueLocked(
  ctx: ActionContext,
  project: ProjectId,
  input: OkrIssueInput,
  desired: OkrDesired,
): Promise<OkrIssueResult> {
  const plan = planOkrReconcile(desired, await findIssues(ctx, project, desired));
  await applyOkrOperations(ctx, project, plan.operations);
  const operations = plan.operations.map((op) => op.kind);
  ctx.logger.info(
    { project, path: input.path, commit: input.commit, outcome: plan.outcome, iid: plan.iid, operations },
    `OKR issue: ${plan.outcome}`,
  );
  return { outcome: plan.outcome, project, iid: plan.iid, operations };
}

export async function reconcileOkrIssue(ctx: ActionContext, input: OkrIssueInput): Promise<OkrIssueResult> {
  const project = okrProject(ctx, input.handbookProject);
  const desired = desiredOkrIssue(ctx, input);
  const slug = desired.kind === 'present' ? desired.plan.model.slug : desired.slug;
  return withKeyedLock(
    ctx.redis,
    okrLockKey(ctx, project, slug),
    () => reconcileOkrIssueLocked(ctx, project, input, desired),
    ctx.lockOptions,
  );
}
