import type { FlowProducer } from 'bullmq';
import type { ActionContext } from '../actions/shared/context.js';
import { runCommand } from '../actions/commands/run.js';
import { resolvePush } from '../actions/sync/push-resolve.js';
import { reconcileRecruitingIssue } from '../actions/recruiting/issue.js';
import { checklistSteps, mrLockKey, reviewPage } from '../actions/review/checklist.js';
import { refreshMergeGate } from '../actions/review/merge-gate.js';
import { syncPage } from '../actions/sync/page-sync.js';
import { syncAll } from '../actions/sync/sync-all.js';
import { rollQuarter } from '../actions/okr/rollover.js';
import { runMrChecklist } from '../queue/mr-flow.js';
import type { Processors } from '../queue/worker.js';

/** The real processors: each job name to its action (src/actions/), all sharing one context. */
export function createProcessors(ctx: ActionContext, deps: { flows: FlowProducer }): Processors {
  return {
    'page-sync': (job) => syncPage(ctx, job.data),
    'push-resolve': (job) => resolvePush(ctx, job.data),
    'mr-checklist': (job, token) => runMrChecklist(job, token, checklistSteps(ctx), { flows: deps.flows }),
    'page-review': (job) => reviewPage(ctx, job.data),
    'mr-gate': (job) => refreshMergeGate(ctx, job.data, mrLockKey(ctx, job.data.projectId, job.data.mrIid)),
    'recruiting-issue': (job) => reconcileRecruitingIssue(ctx, job.data),
    command: (job) => runCommand(ctx, job.data),
    'sync-all': (job) => syncAll(ctx, job.data),
    'quarter-rollover': (job) => rollQuarter(ctx, job.data),
  };
}
