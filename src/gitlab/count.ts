/**
 * Counts the HTTP requests one client sends to GitLab, for figures such as "API calls per page
 * change". Every attempt counts (retries and pagination pages included): that is what GitLab's rate
 * limits see. Writes recorded in dry-run are counted apart, since they were never sent.
 */

export interface RequestStatsSnapshot {
  /** GET requests sent. */
  reads: number;
  /** POST, PUT, PATCH and DELETE requests sent. */
  writes: number;
  /** Of those, attempts that repeated an earlier failed one. */
  retries: number;
  /** Writes a dry-run recorded instead of sending. */
  dryRunWrites: number;
}

export class RequestStats {
  private counts: RequestStatsSnapshot = { reads: 0, writes: 0, retries: 0, dryRunWrites: 0 };

  sent(method: string, isRetry: boolean): void {
    if (method.toUpperCase() === 'GET') this.counts.reads += 1;
    else this.counts.writes += 1;
    if (isRetry) this.counts.retries += 1;
  }

  plannedWrite(): void {
    this.counts.dryRunWrites += 1;
  }

  snapshot(): RequestStatsSnapshot {
    return { ...this.counts };
  }

  reset(): void {
    this.counts = { reads: 0, writes: 0, retries: 0, dryRunWrites: 0 };
  }
}
