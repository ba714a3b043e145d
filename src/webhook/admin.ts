import { createHash, timingSafeEqual } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import type { WorkQueue } from '../queue/queues.js';

/**
 * `/admin/queues`: bull-board on the bot's queue. It exists only when ADMIN_TOKEN is set (the caller
 * does not mount it otherwise), answers only to that token (Bearer, or Basic with the token as the
 * password so a browser can log in), and is read-only unless `admin.readOnly: false`.
 */

export const ADMIN_PATH = '/admin/queues';

export interface AdminOptions {
  queue: WorkQueue;
  adminToken: string;
  readOnly: boolean;
}

export function mountAdmin(app: Express, options: AdminOptions): void {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(ADMIN_PATH);
  createBullBoard({
    queues: [new BullMQAdapter(options.queue, { readOnlyMode: options.readOnly, allowRetries: !options.readOnly })],
    serverAdapter,
  });
  app.use(ADMIN_PATH, requireAdminToken(options.adminToken), serverAdapter.getRouter() as RequestHandler);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** The presented credential: a Bearer token, or the password of Basic auth (any user name). */
function presentedToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const [scheme, value] = header.split(' ', 2);
  if (value === undefined) return undefined;
  if (scheme?.toLowerCase() === 'bearer') return value.trim();
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value.trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon === -1 ? undefined : decoded.slice(colon + 1);
  }
  return undefined;
}

export function requireAdminToken(adminToken: string) {
  // Digests compare in constant time whatever the lengths.
  const expected = digest(adminToken);
  return (req: Request, res: Response, next: NextFunction): void => {
    const token = presentedToken(req.headers.authorization);
    if (token !== undefined && timingSafeEqual(digest(token), expected)) {
      next();
      return;
    }
    res
      .status(401)
      .set('WWW-Authenticate', 'Basic realm="handbook-bot admin", charset="UTF-8"')
      .json({ status: 'unauthorized', message: 'send ADMIN_TOKEN as a Bearer token, or as the password of Basic auth' });
  };
}
