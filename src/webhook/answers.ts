import type { ServerResponse } from 'node:http';
import type { DeliveryOutcome } from './metrics.js';

/**
 * What the webhook answers (DESIGN §5), as data: the lean path and the express route both send an
 * Answer, so their responses are the same bytes.
 */

export interface Answer {
  status: number;
  outcome: DeliveryOutcome;
  body: Record<string, unknown>;
  /** For the delivery's log line only, never sent. */
  project?: string;
  cause?: string;
}

export const answers = {
  queued: (jobs: string[]): Answer => ({ status: 202, outcome: 'queued', body: { status: 'queued', jobs } }),
  duplicate: (): Answer => ({ status: 200, outcome: 'duplicate', body: { status: 'duplicate' } }),
  ignored: (reason: string): Answer => ({ status: 200, outcome: 'ignored', body: { status: 'ignored', reason } }),
  unauthorized: (message: string): Answer => error(401, 'unauthorized', message),
  invalid: (message: string): Answer => error(400, 'invalid', message),
  tooLarge: (limit: number): Answer => error(413, 'too-large', `request body is larger than ${limit} bytes`),
  unsupported: (message: string): Answer => error(415, 'unsupported', message),
  unavailable: (): Answer => error(503, 'unavailable', 'queue unavailable, try again later'),
  internal: (): Answer => error(500, 'error', 'internal error'),
};

function error(status: number, outcome: DeliveryOutcome, message: string): Answer {
  return { status, outcome, body: { status: 'error', message } };
}

export function sendAnswer(res: ServerResponse, answer: Answer, extraHeaders?: Record<string, string>): void {
  if (res.headersSent) return;
  const json = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
    ...extraHeaders,
  });
  res.end(json);
}
