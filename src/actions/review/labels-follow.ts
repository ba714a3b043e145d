/**
 * Rule labels that follow the change (pure). The bot adds a rule's labels while the change that
 * triggers the rule is in the merge request, and removes them when that change is gone (a reverted
 * grade change) — but only labels it added itself (`owned`, kept in the note's review state). A label
 * that was on the merge request before the bot wanted it is a person's, and is never removed.
 */

export interface RuleLabelPlan {
  add: string[];
  remove: string[];
  /** What the bot owns once the plan is applied. */
  owned: string[];
}

export function planRuleLabels(wanted: readonly string[], mrLabels: readonly string[], owned: readonly string[]): RuleLabelPlan {
  const on = new Set(mrLabels);
  const want = new Set(wanted);
  const add = [...want].filter((label) => !on.has(label));
  const remove = [...new Set(owned)].filter((label) => on.has(label) && !want.has(label));
  // A label the bot added that a person took off is no longer the bot's: it is added again only if wanted.
  const kept = [...new Set(owned)].filter((label) => on.has(label) && want.has(label));
  return { add, remove, owned: [...new Set([...kept, ...add])].sort() };
}
