import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from '../log.js';
import type { Producer } from '../queue/producer.js';
import { answers, type Answer } from './answers.js';
import { BodyAbortedError, BodyTooLargeError, declaredTooLarge, unsupportedMediaType } from './body.js';
import { deliveryId, type DeliveryDedupe } from './dedupe.js';
import type { WebMetrics } from './metrics.js';
import { isHandledEvent, type Router } from './routes.js';
import type { SignatureCheck } from './verify.js';

/**
 * One delivery, from headers and raw body to its Answer: verify, parse, route, dedupe, enqueue. It knows
 * nothing about express or node:http, so the lean path and the express route share it whole.
 */

export interface DeliveryDeps {
  router: Router;
  producer: Producer;
  dedupe: DeliveryDedupe;
  logger: Logger;
  metrics: WebMetrics;
  bodyLimit: number;
  /** Undefined when no secret is configured (an explicit dry run, see assertCanServe). */
  verifyToken: ((token: string | undefined) => boolean) | undefined;
  verifySignature: ((headers: IncomingHttpHeaders, rawBody: Buffer) => SignatureCheck) | undefined;
}

export interface DeliveryHandler {
  /** Checks that need only the headers, before a byte of the body is read. */
  preflight(headers: IncomingHttpHeaders): Answer | undefined;
  process(headers: IncomingHttpHeaders, rawBody: Buffer): Promise<Answer>;
  /** The answer to an error thrown while reading the body (or, a bug, while processing it). */
  failure(err: unknown): Answer;
  /** The delivery's one log line and its metrics. */
  record(headers: IncomingHttpHeaders, answer: Answer, startedAt: number): void;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Sender-controlled text in a log line: bounded. */
function clip(value: string | undefined): string | undefined {
  return value !== undefined && value.length > 128 ? `${value.slice(0, 128)}…` : value;
}

export function createDeliveryHandler(deps: DeliveryDeps): DeliveryHandler {
  const { router, producer, dedupe, logger, metrics, verifyToken, verifySignature } = deps;

  /**
   * The dedupe key and the jobs go out together, in one round trip (auto-pipelined on the producer
   * connection); the answer waits for both. `duplicate` is only said once this delivery's own add
   * succeeded: for a delivery seen before the add is a no-op (deterministic job ids), and whatever
   * happened to the first attempt, the jobs are in Redis (see dedupe.ts).
   */
  async function enqueue(headers: IncomingHttpHeaders, jobs: Parameters<Producer['enqueue']>[0], project: string): Promise<Answer> {
    const started = performance.now();
    const id = deliveryId(headers);
    const [first, queued] = await Promise.allSettled([id === undefined ? true : dedupe.remember(id), producer.enqueue(jobs)]);
    if (queued.status === 'rejected') {
      // Not remembered after all, so GitLab's redelivery is answered 202 (best effort: Redis is probably
      // why we are here; a redelivery queues its jobs either way).
      if (id !== undefined && first.status === 'fulfilled' && first.value) dedupe.forget(id).catch(() => undefined);
      return { ...answers.unavailable(), project, cause: (queued.reason as Error).message };
    }
    metrics.observeEnqueue((performance.now() - started) / 1000);
    if (first.status === 'fulfilled' && !first.value) return { ...answers.duplicate(), project };
    // First seen, or the key could not be written (a Redis hiccup) while the jobs were queued: 202.
    return { ...answers.queued(queued.value), project };
  }

  return {
    preflight(headers) {
      if (verifyToken && !verifyToken(header(headers, 'x-gitlab-token'))) {
        return answers.unauthorized(headers['x-gitlab-token'] ? 'invalid X-Gitlab-Token' : 'missing X-Gitlab-Token');
      }
      if (!header(headers, 'x-gitlab-event')) return answers.invalid('missing X-Gitlab-Event header');
      const unsupported = unsupportedMediaType(headers);
      if (unsupported) return answers.unsupported(unsupported);
      if (declaredTooLarge(headers, deps.bodyLimit)) return answers.tooLarge(deps.bodyLimit);
      return undefined;
    },

    async process(headers, rawBody) {
      if (verifySignature) {
        const check = verifySignature(headers, rawBody);
        if (!check.ok) return answers.unauthorized(check.reason);
      }
      const event = header(headers, 'x-gitlab-event') ?? '';
      // Pipeline and job hooks can be frequent and large: not even parsed when nothing would be queued.
      if (!isHandledEvent(event)) return answers.ignored(`event "${event}" is not handled`);
      if (rawBody.length === 0) return answers.invalid('empty body');
      let body: unknown;
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch (err) {
        // V8's message quotes the body: only the position goes back to the sender.
        const position = /position (\d+)/.exec((err as Error).message)?.[1];
        return answers.invalid(position ? `malformed JSON at position ${position}` : 'malformed JSON');
      }
      const route = router(event, body, deliveryId(headers));
      if (route.kind === 'invalid') return answers.invalid(route.message);
      if (route.kind === 'ignored') return { ...answers.ignored(route.reason), ...(route.project ? { project: route.project } : {}) };
      return enqueue(headers, route.jobs, route.project);
    },

    failure(err) {
      if (err instanceof BodyTooLargeError) return answers.tooLarge(deps.bodyLimit);
      if (err instanceof BodyAbortedError) return { ...answers.invalid('request aborted'), outcome: 'aborted' };
      return { ...answers.internal(), cause: err instanceof Error ? (err.stack ?? err.message) : String(err) };
    },

    record(headers, answer, startedAt) {
      metrics.recordDelivery(header(headers, 'x-gitlab-event'), answer.outcome);
      const line = {
        event: clip(header(headers, 'x-gitlab-event')),
        project: answer.project,
        delivery: clip(deliveryId(headers)),
        outcome: answer.outcome,
        status: answer.status,
        jobs: answer.body.jobs,
        reason: answer.body.reason ?? answer.body.message,
        cause: answer.cause,
        ms: Math.round((performance.now() - startedAt) * 100) / 100,
      };
      if (answer.outcome === 'error') logger.error(line, 'webhook delivery');
      else if (answer.status >= 500) logger.warn(line, 'webhook delivery');
      else logger.info(line, 'webhook delivery');
    },
  };
}
