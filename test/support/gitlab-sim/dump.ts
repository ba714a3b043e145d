import type { SimState } from './state.js';
import type { DumpNote, NoteableKind, SimDump, SimProject } from './types.js';

/** A JSON-serialisable snapshot of the world: what the bot left behind, and how it got there. */
export function buildDump(state: SimState): SimDump {
  const username = (id: number): string => state.users.get(id)?.username ?? `user${id}`;
  const notesOf = (project: SimProject, kind: NoteableKind, iid: number): DumpNote[] =>
    state
      .notesOf(project, kind, iid)
      .sort((a, b) => a.id - b.id)
      .map((n) => ({
        id: n.id,
        body: n.body,
        author: username(n.authorId),
        system: n.system,
        created_at: n.createdAt,
        updated_at: n.updatedAt,
      }));

  const projects = [...state.projects.values()]
    .sort((a, b) => a.id - b.id)
    .map((project) => ({
      id: project.id,
      path: project.path,
      default_branch: project.defaultBranch,
      branches: Object.fromEntries([...project.repo.branches.entries()].sort(([a], [b]) => (a < b ? -1 : 1))),
      labels: state
        .availableLabels(project)
        .sort((a, b) => a.id - b.id)
        .map((l) => ({ id: l.id, name: l.name, color: l.color, description: l.description, group: l.groupPath })),
      issues: state.issues
        .filter((i) => i.projectId === project.id)
        .sort((a, b) => a.iid - b.iid)
        .map((i) => ({
          iid: i.iid,
          title: i.title,
          description: i.description,
          state: i.state,
          labels: state.labelNames(i.labelIds),
          assignees: i.assigneeIds.map(username),
          author: username(i.authorId),
          due_date: i.dueDate,
          confidential: i.confidential,
          notes: notesOf(project, 'issues', i.iid),
        })),
      merge_requests: state.mergeRequests
        .filter((m) => m.projectId === project.id)
        .sort((a, b) => a.iid - b.iid)
        .map((m) => ({
          iid: m.iid,
          title: m.title,
          state: m.state,
          source_branch: m.sourceBranch,
          target_branch: m.targetBranch,
          sha: state.mergeRequestSha(m),
          labels: state.labelNames(m.labelIds),
          reviewers: (m.reviewerIds ?? []).map(username),
          notes: notesOf(project, 'merge_requests', m.iid),
        })),
      boards: state.boards
        .filter((b) => b.projectId === project.id)
        .map((b) => ({ id: b.id, name: b.name, lists: b.lists.map((l) => state.labels.get(l.labelId)?.name ?? `label ${l.labelId}`) })),
      statuses: state.statuses
        .filter((s) => s.projectId === project.id)
        .sort((a, b) => a.id - b.id)
        .map((s) => ({ sha: s.sha, name: s.name, status: s.status, description: s.description, target_url: s.targetUrl, ref: s.ref })),
    }));

  // Round-trip through JSON so callers get plain data, never live state.
  return JSON.parse(
    JSON.stringify({
      users: [...state.users.values()].map((u) => ({ id: u.id, username: u.username })),
      projects,
      violations: state.violations,
      requests: {
        total: state.requestTotal,
        byRoute: Object.fromEntries([...state.requestCounts.entries()].sort(([a], [b]) => (a < b ? -1 : 1))),
        writes: state.writes,
      },
      faults: state.faultCounters,
    }),
  ) as SimDump;
}
