import { z } from 'zod';

/**
 * Just the fields the router reads of each event, so a payload of the wrong shape is answered 400 with
 * the field named (`commits[0].added: expected array`) instead of failing somewhere downstream. Built
 * once at import; `z.object` drops every other field, so the rest of the payload is never copied.
 */

const project = z.object({
  id: z.number().int(),
  path_with_namespace: z.string(),
  default_branch: z.string().nullish(),
});

const user = z.object({ id: z.number().int(), username: z.string() });

const pathList = z.array(z.string());

export const pushPayload = z.object({
  before: z.string(),
  after: z.string(),
  ref: z.string(),
  user_id: z.number().int().nullish(),
  user_username: z.string().nullish(),
  project,
  commits: z.array(
    z.object({
      id: z.string(),
      timestamp: z.string().nullish(),
      added: pathList,
      modified: pathList,
      removed: pathList,
    }),
  ),
  total_commits_count: z.number().int().nonnegative(),
});

export const mergeRequestPayload = z.object({
  user: user.nullish(),
  project,
  object_attributes: z.object({
    iid: z.number().int(),
    action: z.string().nullish(),
    oldrev: z.string().nullish(),
    target_branch: z.string(),
    // Absent or null for a merge request without commits: ignored by the router, never a 400.
    last_commit: z.object({ id: z.string() }).nullish(),
  }),
});

const labels = z.array(z.object({ title: z.string() }));

export const issuePayload = z.object({
  user: user.nullish(),
  project,
  /** The issue's labels after the event (GitLab sends them at the top level and in object_attributes). */
  labels: labels.nullish(),
  object_attributes: z.object({
    iid: z.number().int(),
    action: z.string().nullish(),
    updated_at: z.string(),
    description: z.string().nullish(),
    labels: labels.nullish(),
  }),
  changes: z.object({ labels: z.object({ previous: labels.nullish(), current: labels.nullish() }).nullish() }).nullish(),
});

export const notePayload = z.object({
  user: user,
  project,
  object_attributes: z.object({
    id: z.number().int(),
    note: z.string(),
    noteable_type: z.string(),
    action: z.string().nullish(),
    system: z.boolean().nullish(),
    // Read only for a tick in the checklist (job id, status link): a malformed value is dropped, not a 400.
    updated_at: z.string().nullish().catch(null),
    url: z.string().nullish().catch(null),
  }),
  merge_request: z
    .object({
      iid: z.number().int(),
      target_branch: z.string(),
      source_branch: z.string().nullish().catch(null),
      last_commit: z.object({ id: z.string() }).nullish(),
    })
    .nullish(),
  issue: z.object({ iid: z.number().int() }).nullish(),
});

export type PushPayload = z.output<typeof pushPayload>;
export type MergeRequestPayload = z.output<typeof mergeRequestPayload>;
export type IssuePayload = z.output<typeof issuePayload>;
export type NotePayload = z.output<typeof notePayload>;

export type Parsed<T> = { ok: true; data: T } | { ok: false; message: string };

/** `commits[0].added` from zod's path. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  return out || 'body';
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** Validates and names the first offending field: "is required" when absent, the expected type otherwise. */
export function parsePayload<T>(schema: z.ZodType<T>, body: unknown): Parsed<T> {
  const result = schema.safeParse(body);
  if (result.success) return { ok: true, data: result.data };
  const issue = result.error.issues[0];
  if (issue === undefined) return { ok: false, message: 'body: invalid payload' };
  const field = fieldPath(issue.path);
  if (issue.code === 'invalid_type') {
    const missing = valueAt(body, issue.path) === undefined && issue.path.length > 0;
    return { ok: false, message: missing ? `${field}: required (expected ${issue.expected})` : `${field}: expected ${issue.expected}` };
  }
  return { ok: false, message: `${field}: ${issue.message}` };
}
