import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Answer } from './answers.js';
import { sendAnswer } from './answers.js';
import { readBody } from './body.js';
import type { DeliveryHandler } from './delivery.js';

export const WEBHOOK_PATH = '/webhooks/gitlab';

/**
 * The webhook served straight from node:http, before express's router; everything else stays in
 * express (which also keeps the same route, for mounting elsewhere, sharing DeliveryHandler). Measured
 * with bench/ingest.ts (2 vCPU, loopback; BENCH_EXPRESS=1 serves the webhook through express instead):
 * 370–526 µs CPU a delivery through express's router, body-parser and response helpers against
 * 234–281 µs on this path, bot/bare throughput 0.13–0.22 against 0.20–0.25 in the same runs. Of what
 * remains, BullMQ's add is ~60–80 µs and node's HTTP ~35 µs.
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
