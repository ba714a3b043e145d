import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Answer } from './answers.js';
import { sendAnswer } from './answers.js';
import { readBody } from './body.js';
import type { DeliveryHandler } from './delivery.js';

export const WEBHOOK_PATH = '/webhooks/gitlab';

/**
 * The webhook served straight from node:http, before express's router. Measured on this host (2 vCPU,
 * loopback, bench/ingest.ts): express 5's router and response helpers cost ~95 µs a request, about as
 * much as everything the delivery itself needs (token, HMAC, JSON.parse, zod, routing, one Redis round
 * trip); skipping them is the single biggest lever on the hot route. Everything else stays in express.
 */
export function isWebhookRequest(req: IncomingMessage): boolean {
  if (req.method !== 'POST') return false;
  const url = req.url ?? '';
  // Same matching as express's default router: query ignored, one trailing slash, any case.
  const query = url.indexOf('?');
  const path = query < 0 ? url : url.slice(0, query);
  if (path.length !== WEBHOOK_PATH.length && path.length !== WEBHOOK_PATH.length + 1) return false;
  const lower = path.toLowerCase();
  return lower === WEBHOOK_PATH || lower === `${WEBHOOK_PATH}/`;
}

/** Headers for an answer sent before the body was read: closing beats draining up to 25 MB. */
export const CLOSE = { connection: 'close' } as const;

export function createFastWebhookHandler(
  delivery: DeliveryHandler,
  bodyLimit: number,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const startedAt = performance.now();
    const finish = (answer: Answer, close = false) => {
      if (answer.outcome !== 'aborted') sendAnswer(res, answer, close ? CLOSE : undefined);
      delivery.record(req.headers, answer, startedAt);
    };
    const early = delivery.preflight(req.headers);
    if (early) return finish(early, true);
    readBody(req, bodyLimit).then(
      (raw) =>
        delivery.process(req.headers, raw).then(
          (answer) => finish(answer),
          (err: unknown) => finish(delivery.failure(err)),
        ),
      (err: unknown) => finish(delivery.failure(err), true),
    );
  };
}
