import type { StageName } from '../../jobfamily/model.js';
import type { ProjectId } from '../../queue/jobs.js';
import { withKeyedLock } from '../../queue/keyed-lock.js';
import type { ActionContext } from '../shared/context.js';
import { stageLabel, stageOfLabel, type HiringFamily, type HiringRole } from '../hiring/family.js';
import { ensureStageLabels } from '../hiring/labels-ensure.js';
import { familyOfIssue } from './family.js';
import { recruitingIssueLockKey } from './issue.js';
import { roleForTitle } from './issue-plan.js';
import { syncInterviewKit } from './kit.js';

/**
 * `stage <name>` on a recruiting issue: the same rules as the recruiting-issue worker (the stage must
 * be in the role's process; one `hiring-stage::*` label at the end, swapped in ONE update; the
 * interview kit follows), under the same per-issue lock.
 */

export type StageMoveOutcome =
  | { kind: 'not-recruiting' }
  | { kind: 'unknown-stage'; stage: string; family: HiringFamily; role: HiringRole | null; roleMatched: boolean }
  | { kind: 'already'; stage: StageName }
  | { kind: 'moved'; from: StageName[]; to: StageName };

export async function moveIssueToStage(ctx: ActionContext, project: ProjectId, iid: number, stage: string): Promise<StageMoveOutcome> {
  return withKeyedLock(
    ctx.redis,
    recruitingIssueLockKey(ctx.lockPrefix, project, iid),
    async () => {
      const issue = await ctx.gitlab.getIssue(project, iid);
      const family = await familyOfIssue(ctx, issue);
      if (family === null) return { kind: 'not-recruiting' };
      const { role, matched } = roleForTitle(issue.title, family.roles);
      if (role === null || !role.stages.includes(stage)) return { kind: 'unknown-stage', stage, family, role, roleMatched: matched };

      const onIssue = issue.labels.filter((label) => stageOfLabel(label) !== null);
      const target = stageLabel(stage);
      // The bot's own label edit raises an Issue Hook the router ignores: the kit follows here.
      const kit = () => syncInterviewKit(ctx, project, issue, { family, role, roleMatched: matched, stage });
      if (onIssue.length === 1 && onIssue[0] === target) {
        await kit();
        return { kind: 'already', stage };
      }
      const remove = onIssue.filter((label) => label !== target);
      if (!onIssue.includes(target)) await ensureStageLabels(ctx, [stage], family);
      await ctx.gitlab.editIssue(project, iid, {
        ...(onIssue.includes(target) ? {} : { add_labels: [target] }),
        ...(remove.length > 0 ? { remove_labels: remove } : {}),
      });
      await kit();
      ctx.logger.info({ project, iid, to: stage, removed: remove }, 'stage command: issue moved');
      return { kind: 'moved', from: remove.map((label) => stageOfLabel(label) ?? label), to: stage };
    },
    ctx.lockOptions,
  );
}
