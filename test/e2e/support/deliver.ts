import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Delivers webhooks as GitLab does: the secret token, the event name, the same `Idempotency-Key` and
 * `X-Gitlab-Event-UUID` on every retry of one event. A delivery that fails (connection refused or
 * reset, a 5xx) is redelivered, here to the next web process, with a growing pause, within a bound.
 */

export interface Delivery {
  /** The event it belongs to (DayEvent.id). */
  eventId: string;
  event: string;
  body: string;
  /** Shared by every copy of one event. */
  uuid: string;
  /** Which web process to try first. */
  web: number;
}

export interface DeliveryResult {
  delivery: Delivery;
  status: number;
  /** `queued`, `duplicate`, `ignored`, or the error status. */
  answer: string;
  jobs: string[];
  attempts: number;
  /** performance.now() when the first attempt was sent. */
  sentAt: number;
}

export interface DelivererStats {
  deliveries: number;
  attempts: number;
  /** Attempts that failed (refused, reset, 5xx) and were sent again. */
  redeliveries: number;
  byAnswer: Record<string, number>;
}

export interface DelivererOptions {
  webUrls: () => readonly string[];
  secret: string;
  /** Give up on one delivery after this long (GitLab keeps retrying for much longer). */
  deadlineMs?: number;
}

const RETRYABLE = (status: number) => status >= 500;

export class Deliverer {
  readonly results: DeliveryResult[] = [];
  readonly stats: DelivererStats = { deliveries: 0, attempts: 0, redeliveries: 0, byAnswer: {} };

  constructor(private readonly options: DelivererOptions) {}

  static uuid(): string {
    return randomUUID();
  }

  async send(delivery: Delivery): Promise<DeliveryResult> {
    const deadline = Date.now() + (this.options.deadlineMs ?? 60_000);
    const sentAt = performance.now();
    let attempts = 0;
    let lastError: string;
    for (let web = delivery.web; ; web += 1) {
      const urls = this.options.webUrls();
      const url = urls[web % urls.length];
      if (url === undefined) throw new Error('no web process to deliver to');
      attempts += 1;
      this.stats.attempts += 1;
      try {
        const response = await fetch(`${url}/webhooks/gitlab`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-gitlab-event': delivery.event,
            'x-gitlab-token': this.options.secret,
            'x-gitlab-event-uuid': delivery.uuid,
            'idempotency-key': delivery.uuid,
            'x-gitlab-instance': 'https://gitlab.example.com',
            'user-agent': 'GitLab/18.0.0',
          },
          body: delivery.body,
          signal: AbortSignal.timeout(10_000),
        });
        const text = await response.text();
        if (!RETRYABLE(response.status)) {
          const parsed = JSON.parse(text) as { status?: string; jobs?: string[] };
          const answer = response.status < 300 ? (parsed.status ?? 'ok') : `error ${response.status}`;
          return this.record({ delivery, status: response.status, answer, jobs: parsed.jobs ?? [], attempts, sentAt });
        }
        lastError = `${response.status} ${text}`;
      } catch (err) {
        lastError = err instanceof Error ? `${err.message} ${err.cause instanceof Error ? err.cause.message : ''}` : String(err);
      }
      if (Date.now() > deadline) throw new Error(`delivery of ${delivery.eventId} failed ${attempts} times; last: ${lastError}`);
      this.stats.redeliveries += 1;
      await sleep(Math.min(100 * 2 ** Math.min(attempts, 5), 2_000));
    }
  }

  private record(result: DeliveryResult): DeliveryResult {
    this.results.push(result);
    this.stats.deliveries += 1;
    this.stats.byAnswer[result.answer] = (this.stats.byAnswer[result.answer] ?? 0) + 1;
    return result;
  }
}

/** Runs `work` over `items` with at most `limit` at once, in order of start. */
export async function inParallel<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index] as T, index);
    }
  });
  await Promise.all(runners);
}
