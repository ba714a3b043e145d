/**
 * What a dry-run would have written to GitLab. The client records each write here instead of sending
 * it, so `plan`, `sync` without a token and tests can show or assert the exact calls.
 */

export type WriteMethod = 'POST' | 'PUT' | 'DELETE';

export interface PlannedWrite {
  method: WriteMethod;
  /** API path relative to `/api/v4`, e.g. `/projects/acme%2Fhandbook/issues`. */
  path: string;
  /** The JSON body GitLab would receive (snake_case, as in GitLab's API documentation). */
  body: Record<string, unknown>;
}

export class DryRunRecorder {
  private readonly planned: PlannedWrite[] = [];

  record(write: PlannedWrite): void {
    this.planned.push(write);
  }

  /** The writes in the order they were planned (a copy). */
  get writes(): PlannedWrite[] {
    return [...this.planned];
  }

  clear(): void {
    this.planned.length = 0;
  }
}
