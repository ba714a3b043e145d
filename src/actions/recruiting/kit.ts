import type { Issue } from '../../gitlab/api.js';
import { hasMarker } from '../../gitlab/markers.js';
import type { StageName } from '../../jobfamily/model.js';
import type { ProjectId } from '../../queue/jobs.js';
import type { HiringFamily, HiringRole } from '../hiring/family.js';
import type { ActionContext } from '../shared/context.js';
import { KIT_MARKER_KIND, kitDigest, renderKit } from './kit-render.js';

/**
 * Keeps the interview kit note of a recruiting issue (kit-render.ts) in step with the issue's stage and
 * the page. The caller holds the issue's lock, so two jobs never both create the kit.
 *
 * What the kit last said is recorded in Redis (its digest, per issue): an event that changes nothing
 * the kit shows (a title edit, the bot's own label change coming back, a redelivery) reads nothing
 * from GitLab. Otherwise the bot's kit is looked for by its marker and author across all notes, then
 * created, or edited in place with its ticks kept; duplicates (left by a lost record) are deleted.
 * A kit deleted by hand comes back at the issue's next stage change or page change.
 */

export type KitOutcome = 'none' | 'unchanged' | 'created' | 'edited' | 'same';

const KIT_RECORD_TTL_SECONDS = 30 * 24 * 3600;

export function kitRecordKey(lockPrefix: string, project: ProjectId, iid: number): string {
  return `${lockPrefix}kit:${String(project)}:${iid}`;
}

export interface KitSubject {
  family: HiringFamily;
  role: HiringRole | null;
  roleMatched: boolean;
  /** The stage the issue is on once its labels are right; `null` when it has none. */
  stage: StageName | null;
}

/** Only a stage of the role's process has steps to list; anything else leaves the kit as it is. */
function hasKit(subject: KitSubject): subject is KitSubject & { role: HiringRole; stage: StageName } {
  return subject.role !== null && subject.stage !== null && subject.role.stages.includes(subject.stage);
}

/** True when the kit may need a write: the recorded digest differs (no GitLab call). */
export async function kitOutdated(ctx: ActionContext, project: ProjectId, iid: number, subject: KitSubject): Promise<boolean> {
  if (!hasKit(subject)) return false;
  return (await ctx.redis.get(kitRecordKey(ctx.lockPrefix, project, iid))) !== kitDigest(subject);
}

export async function syncInterviewKit(ctx: ActionContext, project: ProjectId, issue: Issue, subject: KitSubject): Promise<KitOutcome> {
  if (!hasKit(subject)) return 'none';
  const recordKey = kitRecordKey(ctx.lockPrefix, project, issue.iid);
  const digest = kitDigest(subject);
  if ((await ctx.redis.get(recordKey)) === digest) return 'unchanged';

  const me = await ctx.gitlab.currentUser();
  const notes = await ctx.gitlab.listNotes(project, 'issues', issue.iid);
  const [current, ...extras] = notes.filter((note) => note.author.id === me.id && hasMarker(note.body, KIT_MARKER_KIND));
  const kit = renderKit({
    ...subject,
    handbookProject: ctx.config.handbook.project,
    ...(current === undefined ? {} : { previousBody: current.body }),
  });

  let outcome: KitOutcome;
  if (current === undefined) {
    await ctx.gitlab.createNote(project, 'issues', issue.iid, kit.body);
    outcome = 'created';
  } else if (current.body !== kit.body) {
    await ctx.gitlab.editNote(project, 'issues', issue.iid, current.id, kit.body);
    outcome = 'edited';
  } else {
    outcome = 'same';
  }
  for (const extra of extras) await ctx.gitlab.deleteNote(project, 'issues', issue.iid, extra.id);
  await ctx.redis.set(recordKey, digest, 'EX', KIT_RECORD_TTL_SECONDS);
  ctx.logger.info(
    { project, iid: issue.iid, stage: subject.stage, role: subject.role.name, outcome, duplicates: extras.length },
    'interview kit reconciled',
  );
  return outcome;
}
