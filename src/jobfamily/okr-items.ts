/**
 * Responsibilities that speak of OKRs: "Drive quarterly Objectives and Key Results (OKRs)",
 * "Identify, document and track team quarterly goals (OKRs)."
 */
import type { Item } from './items.js';

const OKR = /\bOKRs?\b|\bobjectives?,? and key results?\b|\bquarterly (?:team )?(?:goals|objectives|okrs?|key results|targets)\b/i;

export function isOkrItem(text: string): boolean {
  return OKR.test(text);
}

/** OKR items among `items`, in page order, each text once. */
export function okrItems(items: readonly Item[]): string[] {
  const sorted = [...items].sort((a, b) => a.line - b.line);
  const seen = new Set<string>();
  const okrs: string[] = [];
  for (const { text } of sorted) {
    if (!seen.has(text) && isOkrItem(text)) {
      seen.add(text);
      okrs.push(text);
    }
  }
  return okrs;
}
