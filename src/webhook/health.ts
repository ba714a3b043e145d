import type { Request, Response } from 'express';
import type { RedisClient } from '../queue/connection.js';

const PING_TIMEOUT_MS = 1_000;

/** `GET /healthz`: the process is alive and its event loop turns. */
export function healthz(_req: Request, res: Response): void {
  res.json({ status: 'ok' });
}

export interface ReadinessDeps {
  redis: RedisClient;
  isShuttingDown: () => boolean;
}

/**
 * `GET /readyz`: send traffic here. Not ready while shutting down (so the load balancer drains this
 * instance before it stops accepting connections) or while Redis does not answer a PING (every
 * delivery would be answered 503).
 */
export function createReadyz({ redis, isShuttingDown }: ReadinessDeps) {
  return async (_req: Request, res: Response): Promise<void> => {
    if (isShuttingDown()) {
      res.status(503).json({ status: 'unavailable', reason: 'shutting down' });
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        redis.ping(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
        }),
      ]);
      res.json({ status: 'ready' });
    } catch (err) {
      res.status(503).json({ status: 'unavailable', reason: `redis: ${(err as Error).message}` });
    } finally {
      clearTimeout(timer);
    }
  };
}
