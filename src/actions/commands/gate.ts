import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RedisClient as Redis } from '../../queue/connection.js';
import { ACCESS_LEVEL } from '../../gitlab/api.js';
import type { ProjectId } from '../../queue/jobs.js';
import type { ActionContext } from '../shared/context.js';

/**
 * Who may run a command, and how often (issue 12, "Commands and fairness"). All state is in Redis under
 * the deployment's prefix, with a TTL, so every worker process agrees and nothing grows forever:
 *
 * - membership: one `members/all/:user` read per project and user, cached `MEMBER_TTL_SECONDS`;
 * - rate: `COMMANDS_PER_WINDOW` commands per user per `COMMAND_WINDOW_SECONDS`, counted with
 *   rate-limiter-flexible in Redis, as the shared GitLab budget is (src/gitlab/budget.ts);
 * - refusals: a user refused (not allowed, or over the rate) is answered once; further refusals of the
 *   same kind within `REFUSAL_QUIET_SECONDS` are not answered, so a refused user cannot make the bot
 *   spend its notes budget (or flood an issue) by repeating the command.
 */

export const MEMBER_TTL_SECONDS = 600;
export const COMMANDS_PER_WINDOW = 10;
export const COMMAND_WINDOW_SECONDS = 300;
export const REFUSAL_QUIET_SECONDS = 3600;

export type RefusalKind = 'not-allowed' | 'rate-limited';

export function memberKey(lockPrefix: string, project: ProjectId, userId: number): string {
  return `${lockPrefix}member:${String(project)}:${userId}`;
}

export function refusalKey(lockPrefix: string, kind: RefusalKind, userId: number): string {
  return `${lockPrefix}command-refused:${kind}:${userId}`;
}

/** The user's access level on the project (0: not a member), from Redis when read in the last 10 minutes. */
export async function accessLevel(ctx: ActionContext, project: ProjectId, userId: number): Promise<number> {
  const key = memberKey(ctx.lockPrefix, project, userId);
  const cached = await ctx.redis.get(key);
  if (cached !== null && /^\d+$/u.test(cached)) return Number(cached);
  const member = await ctx.gitlab.getMember(project, userId);
  const level = member?.access_level ?? 0;
  await ctx.redis.set(key, String(level), 'EX', MEMBER_TTL_SECONDS);
  return level;
}

export async function isReporter(ctx: ActionContext, project: ProjectId, userId: number): Promise<boolean> {
  return (await accessLevel(ctx, project, userId)) >= ACCESS_LEVEL.reporter;
}

const limiters = new WeakMap<Redis, Map<string, RateLimiterRedis>>();

function commandLimiter(redis: Redis, lockPrefix: string): RateLimiterRedis {
  let byPrefix = limiters.get(redis);
  if (byPrefix === undefined) limiters.set(redis, (byPrefix = new Map<string, RateLimiterRedis>()));
  let limiter = byPrefix.get(lockPrefix);
  if (limiter === undefined) {
    limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${lockPrefix}command-rate`,
      points: COMMANDS_PER_WINDOW,
      duration: COMMAND_WINDOW_SECONDS,
    });
    byPrefix.set(lockPrefix, limiter);
  }
  return limiter;
}

export type RateVerdict = { allowed: true } | { allowed: false; retryInSeconds: number };

/** Takes one command from the user's allowance. Redis trouble lets the command through (GitLab's limits still apply). */
export async function takeCommand(ctx: ActionContext, userId: number): Promise<RateVerdict> {
  try {
    await commandLimiter(ctx.redis, ctx.lockPrefix).consume(String(userId), 1);
    return { allowed: true };
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes)
      return { allowed: false, retryInSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
    ctx.logger.warn(
      { err: rejection instanceof Error ? rejection.message : String(rejection) },
      'command rate limit unavailable; allowing the command',
    );
    return { allowed: true };
  }
}

/**
 * True when this refusal is to be answered: the first of its kind for the user within the quiet hour,
 * or a retry of the very command that was answered (the key holds its note id, so a job retried after
 * its reply failed still answers).
 */
export async function claimRefusalReply(ctx: ActionContext, kind: RefusalKind, userId: number, noteId: number): Promise<boolean> {
  const key = refusalKey(ctx.lockPrefix, kind, userId);
  if ((await ctx.redis.set(key, String(noteId), 'EX', REFUSAL_QUIET_SECONDS, 'NX')) === 'OK') return true;
  return (await ctx.redis.get(key)) === String(noteId);
}
