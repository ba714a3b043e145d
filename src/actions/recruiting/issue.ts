import type { Issue } from '../../gitlab/api.js';
import type { StageName } from '../../jobfamily/model.js';
import { jobFamilyLabel } from '../../jobfamily/okr.js';
import type { ProjectId, RecruitingIssueData } from '../../queue/jobs.js';
import { withKeyedLock } from '../../queue/keyed-lock.js';
import type { ActionContext } from '../shared/context.js';
import { stageOfLabel, stageOrder, type HiringFamily, type HiringRole } from '../hiring/family.js';
import { ensureStageLabels } from '../hiring/labels-ensure.js';
import { familyOfIssue, isOkrIssue } from './family.js';
import { isNoop, issueStages, planIssueStage, roleForTitle, type IssueStagePlan } from './issue-plan.js';
import { postNoteOnce } from '../shared/notes.js';
import { kitOutdated, syncInterviewKit, type KitOutcome } from './kit.js';
import { renderStageComment, stageCommentMarker } from './stage-comments.js';

/**
 * The recruiting-issue worker (DESIGN §4): keeps exactly one `hiring-stage::*` label on every issue of
 * a job family, and its interview kit note (kit.ts) in step with that stage. Triggered by Issue Hooks
 * (`reconcileRecruitingIssue`) and, for all the family's open issues, by page-sync and sync
 * (`reconcileFamilyIssues`). Work on one issue is serialized by a lock, and an issue already right
 * causes no write at all.
 */

export function recruitingIssueLockKey(lockPrefix: string, project: ProjectId, iid: number): string {
  return `${lockPrefix}recruiting-issue:${String(project)}:${iid}`;
}

export interface RecruitingIssueResult {
  iid: number;
  outcome: 'closed' | 'not-recruiting' | IssueStagePlan['reason'];
  /** True when the bot wrote something (label update, comment or interview kit). */
  changed: boolean;
  stage: StageName | null;
  /** The interview kit note: absent when the issue was not looked at (closed, not recruiting). */
  kit?: KitOutcome;
}

/** Stages dropped per role name (lower case), plus those dropped by the whole family (`*`). */
export type DroppedStages = ReadonlyMap<string, readonly StageName[]>;

export const FAMILY_WIDE = '*';

export interface IssueStageOptions {
  addedLabels: readonly string[];
  dropped?: DroppedStages;
  /** The page commit that caused the run (page-sync), named in a migration comment. */
  commit?: string;
}

function droppedFor(dropped: DroppedStages | undefined, role: HiringRole | null): StageName[] {
  if (dropped === undefined) return [];
  const own = role === null ? [] : (dropped.get(role.name.toLowerCase()) ?? []);
  return [...new Set([...own, ...(dropped.get(FAMILY_WIDE) ?? [])])];
}

interface IssuePlanned {
  plan: IssueStagePlan;
  role: HiringRole | null;
  roleMatched: boolean;
}

export function planForIssue(ctx: ActionContext, issue: Issue, family: HiringFamily, options: IssueStageOptions): IssuePlanned {
  const { role, matched } = roleForTitle(issue.title, family.roles);
  const plan = planIssueStage({
    labels: issue.labels,
    stages: issueStages(role, family.roles),
    order: stageOrder(ctx.config),
    dropped: droppedFor(options.dropped, role),
    addedLabels: options.addedLabels,
  });
  return { plan, role, roleMatched: matched };
}

/** Plans and applies; the caller holds the issue's lock and passes the issue as GitLab has it now. */
export async function applyIssueStage(
  ctx: ActionContext,
  project: ProjectId,
  issue: Issue,
  family: HiringFamily,
  options: IssueStageOptions,
): Promise<RecruitingIssueResult> {
  const { plan, role, roleMatched } = planForIssue(ctx, issue, family, options);
  const result: RecruitingIssueResult = { iid: issue.iid, outcome: plan.reason, changed: false, stage: plan.stage };
  if (!isNoop(plan)) await applyPlan(ctx, project, issue, family, options, { plan, role, roleMatched }, result);
  // After the labels: a retry after a failed kit write finds the stage right and only writes the kit.
  result.kit = await syncInterviewKit(ctx, project, issue, { family, role, roleMatched, stage: plan.stage });
  if (result.kit === 'created' || result.kit === 'edited') result.changed = true;
  return result;
}

async function applyPlan(
  ctx: ActionContext,
  project: ProjectId,
  issue: Issue,
  family: HiringFamily,
  options: IssueStageOptions,
  { plan, role, roleMatched }: IssuePlanned,
  result: RecruitingIssueResult,
): Promise<void> {
  // The comment first: if the update then fails, the retry finds the comment by its marker and only
  // updates; the other way round, a retry would see a valid stage and the comment would be lost.
  if (plan.comment !== null) {
    const { kind, key } = stageCommentMarker(plan.comment, options.commit);
    const body = renderStageComment(plan.comment, {
      family,
      role,
      roleMatched,
      commandWord: ctx.config.bot.commandWord,
      ...(options.commit === undefined ? {} : { commit: options.commit }),
    });
    result.changed = await postNoteOnce(ctx, { project, kind: 'issues', iid: issue.iid }, kind, key, body);
  }
  if (plan.edit !== null) {
    const adding = plan.edit.add.map(stageOfLabel).filter((stage): stage is StageName => stage !== null);
    if (adding.length > 0) await ensureStageLabels(ctx, adding, family);
    await ctx.gitlab.editIssue(project, issue.iid, {
      ...(plan.edit.add.length > 0 ? { add_labels: plan.edit.add } : {}),
      ...(plan.edit.remove.length > 0 ? { remove_labels: plan.edit.remove } : {}),
    });
    result.changed = true;
  }
  ctx.logger.info({ project, iid: issue.iid, family: family.slug, role: role?.name, ...plan }, 'recruiting issue: stage reconciled');
}

/** The `recruiting-issue` job (Issue Hook, confidential ones included). */
export async function reconcileRecruitingIssue(ctx: ActionContext, data: RecruitingIssueData): Promise<RecruitingIssueResult> {
  return withKeyedLock(
    ctx.redis,
    recruitingIssueLockKey(ctx.lockPrefix, data.projectId, data.issueIid),
    async () => {
      const issue = await ctx.gitlab.getIssue(data.projectId, data.issueIid);
      const base = { iid: issue.iid, changed: false, stage: null };
      if (issue.state === 'closed') return { ...base, outcome: 'closed' };
      const family = await familyOfIssue(ctx, issue);
      if (family === null) return { ...base, outcome: 'not-recruiting' };
      return applyIssueStage(ctx, data.projectId, issue, family, { addedLabels: data.addedLabels });
    },
    ctx.lockOptions,
  );
}

/**
 * Every open issue labelled with the family (page-sync, sync): first stages applied, duplicates
 * collapsed, issues on dropped stages migrated, interview kits following the page. An issue that looks
 * right in the listing, kit included (its recorded digest), costs nothing more; one that needs a change
 * is read again under its lock, since an Issue Hook job may be at it.
 */
export async function reconcileFamilyIssues(
  ctx: ActionContext,
  project: ProjectId,
  family: HiringFamily,
  options: { dropped: DroppedStages; commit: string },
): Promise<RecruitingIssueResult[]> {
  const issues = await ctx.gitlab.listIssues(project, { labels: [jobFamilyLabel(family.slug)], state: 'opened' });
  const results: RecruitingIssueResult[] = [];
  for (const listed of issues) {
    if (isOkrIssue(listed, ctx.config.okr.labels)) continue;
    const stageOptions = { addedLabels: [], dropped: options.dropped, commit: options.commit };
    const { plan, role, roleMatched } = planForIssue(ctx, listed, family, stageOptions);
    const issueProject = listed.project_id;
    if (isNoop(plan) && !(await kitOutdated(ctx, issueProject, listed.iid, { family, role, roleMatched, stage: plan.stage }))) {
      results.push({ iid: listed.iid, outcome: plan.reason, changed: false, stage: plan.stage });
      continue;
    }
    results.push(
      await withKeyedLock(
        ctx.redis,
        recruitingIssueLockKey(ctx.lockPrefix, issueProject, listed.iid),
        async () => {
          const issue = await ctx.gitlab.getIssue(issueProject, listed.iid);
          if (issue.state === 'closed') return { iid: issue.iid, outcome: 'closed' as const, changed: false, stage: null };
          return applyIssueStage(ctx, issueProject, issue, family, stageOptions);
        },
        ctx.lockOptions,
      ),
    );
  }
  return results;
}
