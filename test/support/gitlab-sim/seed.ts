import { z } from 'zod';
import type { SimState } from './state.js';

/**
 * The seed file format (`main.ts --state seed.json`, `POST /__sim/seed`): users, tokens and projects
 * with their files, commits, members, labels, issues and merge requests. Validated, so a typo in a
 * seed fails loudly instead of producing an empty world.
 */

const label = z.strictObject({ name: z.string().min(1), color: z.string().optional(), description: z.string().nullable().optional() });

const commit = z.strictObject({
  branch: z.string().optional(),
  parent: z.string().optional(),
  message: z.string().optional(),
  date: z.string().optional(),
  files: z.record(z.string(), z.string()).optional(),
  remove: z.array(z.string()).optional(),
  replace: z.boolean().optional(),
});

const project = z.strictObject({
  id: z.number().int().positive().optional(),
  path: z.string().min(1),
  name: z.string().optional(),
  defaultBranch: z.string().optional(),
  files: z.record(z.string(), z.record(z.string(), z.string())).optional(),
  commits: z.array(commit).optional(),
  members: z.record(z.string(), z.number().int()).optional(),
  inheritedMembers: z.record(z.string(), z.number().int()).optional(),
  labels: z.array(label).optional(),
  issues: z
    .array(
      z.strictObject({
        title: z.string(),
        description: z.string().nullable().optional(),
        labels: z.array(z.string()).optional(),
        author: z.string().optional(),
        assignees: z.array(z.string()).optional(),
        state: z.enum(['opened', 'closed']).optional(),
        confidential: z.boolean().optional(),
        dueDate: z.string().nullable().optional(),
      }),
    )
    .optional(),
  mergeRequests: z
    .array(
      z.strictObject({
        sourceBranch: z.string(),
        targetBranch: z.string().optional(),
        title: z.string().optional(),
        description: z.string().nullable().optional(),
        labels: z.array(z.string()).optional(),
        author: z.string().optional(),
        state: z.enum(['opened', 'closed', 'merged']).optional(),
      }),
    )
    .optional(),
});

export const simSeedSchema = z.strictObject({
  users: z
    .array(
      z.strictObject({
        username: z.string().min(1),
        name: z.string().optional(),
        id: z.number().int().positive().optional(),
        bot: z.boolean().optional(),
      }),
    )
    .optional(),
  tokens: z.array(z.strictObject({ token: z.string().min(1), username: z.string().min(1), readOnly: z.boolean().optional() })).optional(),
  groupLabels: z.array(label.extend({ group: z.string().min(1) })).optional(),
  projects: z.array(project).optional(),
});

export type SimSeed = z.infer<typeof simSeedSchema>;

export function parseSeed(input: unknown): SimSeed {
  const parsed = simSeedSchema.safeParse(input);
  if (!parsed.success) throw new Error(`invalid simulator seed: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Adds a seed to the state (call `state.reset()` first to replace the world). */
export function loadSeed(state: SimState, input: unknown): void {
  const seed = parseSeed(input);
  for (const user of seed.users ?? []) state.addUser(user);
  for (const token of seed.tokens ?? []) state.addToken(token.token, token.username, { readOnly: token.readOnly ?? false });
  for (const { group, ...rest } of seed.groupLabels ?? []) state.addGroupLabel(group, rest);
  for (const { inheritedMembers, labels, issues, mergeRequests, ...input } of seed.projects ?? []) {
    const added = state.addProject(input);
    for (const [username, level] of Object.entries(inheritedMembers ?? {})) state.addMember(added, username, level, { inherited: true });
    for (const l of labels ?? []) state.addLabel(added, l);
    for (const issue of issues ?? []) state.addIssue(added, issue);
    for (const mr of mergeRequests ?? []) state.addMergeRequest(added, mr);
  }
}
