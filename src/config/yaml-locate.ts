import { isAlias, isMap, isNode, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

/**
 * Finds the line of a key path in a parsed YAML document, so a schema error can point at the line the
 * user has to change. Lines are 1-based; when nothing better is known the answer is line 1.
 */
export class YamlLocator {
  constructor(
    private readonly document: Document,
    private readonly lineCounter: LineCounter,
  ) {}

  /** The line of a value (wrong type, out of range); the key's line when the value is empty. */
  valueLine(path: readonly PropertyKey[]): number {
    const steps = this.walk(path);
    const last = steps[steps.length - 1];
    if (steps.length === path.length) {
      if (last === undefined) return this.lineOf(this.document.contents) ?? 1;
      // An empty value has no text of its own: its key (or, in a list, the "-") is what to point at.
      const valueIsEmpty = last.value === null || (isScalar(last.value) && last.value.value === null);
      const line = valueIsEmpty ? (this.lineOf(last.key) ?? this.lineOf(last.value)) : (this.lineOf(last.value) ?? this.lineOf(last.key));
      return line ?? this.stepLine(steps[steps.length - 2]);
    }
    return this.stepLine(last);
  }

  /** The line of a key inside the mapping at `path` (for unknown keys). */
  keyLine(path: readonly PropertyKey[], key: string): number {
    // When the key cannot be found (a merged alias), the mapping's own line is the next best.
    const steps = this.walk([...path, key]);
    return this.stepLine(steps[steps.length - 1]);
  }

  /** For a key that is missing: the line of the mapping that should hold it, or 1. */
  parentLine(path: readonly PropertyKey[]): number {
    const steps = this.walk(path.slice(0, -1));
    return this.stepLine(steps[steps.length - 1]);
  }

  private stepLine(step: Step | undefined): number {
    if (step === undefined) return 1;
    return this.lineOf(step.key) ?? this.lineOf(step.value) ?? 1;
  }

  /** Follows the path as far as the document goes; one step per segment found. */
  private walk(path: readonly PropertyKey[]): Step[] {
    const steps: Step[] = [];
    let node: unknown = this.document.contents;
    for (const segment of path) {
      const step = this.descend(node, segment);
      if (step === undefined) break;
      steps.push(step);
      node = step.value;
    }
    return steps;
  }

  private descend(node: unknown, segment: PropertyKey): Step | undefined {
    const resolved = isAlias(node) ? node.resolve(this.document) : node;
    if (isMap(resolved)) {
      for (const pair of resolved.items) {
        const keyValue = isScalar(pair.key) ? pair.key.value : pair.key;
        if (String(keyValue) === String(segment)) {
          return { key: isNode(pair.key) ? pair.key : undefined, value: isNode(pair.value) ? pair.value : null };
        }
      }
      return undefined;
    }
    if (isSeq(resolved) && typeof segment === 'number') {
      const item = resolved.items[segment];
      if (item === undefined) return undefined;
      return { key: undefined, value: isNode(item) ? item : null };
    }
    return undefined;
  }

  private lineOf(node: unknown): number | undefined {
    if (!isNode(node)) return undefined;
    const range = node.range;
    if (range === undefined || range === null) return undefined;
    return this.lineCounter.linePos(range[0]).line;
  }
}

interface Step {
  /** The key node; absent for a sequence item. */
  key: Node | undefined;
  value: Node | null;
}
