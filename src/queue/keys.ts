/**
 * Every Redis key the bot writes, built from the deployment's queue prefix (`HANDBOOK_BOT_QUEUE_PREFIX`)
 * under one Redis Cluster hash tag, `{prefix}`: BullMQ's queue keys, the delivery dedupe keys, the
 * per-page/per-MR locks, the page and hiring indexes, the GitLab request budget. All of them hash to
 * one slot, so every multi-key Lua script and MULTI stays on one node, and deployments sharing a Redis
 * never share a key.
 */

/** `{name}`: the hash tag, and BullMQ's queue prefix (BullMQ requires it braced on a Cluster). */
export function hashTag(prefix: string): string {
  return prefix.startsWith('{') && prefix.endsWith('}') ? prefix : `{${prefix}}`;
}

export interface DeploymentKeys {
  /** `{handbook-bot}`: BullMQ's `prefix` option; its keys are `{handbook-bot}:<queue>:…`. */
  queuePrefix: string;
  /** A delivery's dedupe key, from the hashed delivery id. */
  delivery(hashedId: string): string;
  /** Before each lock and index key of the actions (`{handbook-bot}:lock:pages`, `…:lock:okr-issue:…`). */
  lockPrefix: string;
  /** rate-limiter-flexible's key prefix for one GitLab budget (`{handbook-bot}:gitlab-requests`). */
  budget(kind: 'gitlab-requests' | 'gitlab-creates'): string;
}

export function deploymentKeys(prefix: string): DeploymentKeys {
  const tag = hashTag(prefix);
  return {
    queuePrefix: tag,
    delivery: (hashedId) => `${tag}:delivery:${hashedId}`,
    lockPrefix: `${tag}:lock:`,
    budget: (kind) => `${tag}:${kind}`,
  };
}
