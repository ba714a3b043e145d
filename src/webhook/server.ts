import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RuntimeEnv } from '../config/types.js';
import type { Logger } from '../log.js';
import type { WebApp } from './app.js';

/**
 * Refuses to serve webhooks nobody can authenticate: without WEBHOOK_SECRET anyone could make the bot
 * write to GitLab. Only an explicit dry run (no GITLAB_TOKEN: nothing is ever written) may go without.
 */
export function assertCanServe(env: Pick<RuntimeEnv, 'webhookSecrets' | 'dryRun' | 'gitlabToken'>): void {
  if (env.webhookSecrets.some((secret) => secret.length > 0)) return;
  if (env.dryRun || env.gitlabToken === undefined) return;
  throw new Error(
    'WEBHOOK_SECRET is not set: refusing to accept unauthenticated webhooks with a GITLAB_TOKEN. ' +
      "Set WEBHOOK_SECRET to the hook's secret token (a comma-separated list while rotating), " +
      'or unset GITLAB_TOKEN for a dry run.',
  );
}

export interface ServeOptions {
  port: number;
  host?: string;
  logger?: Logger;
  /** How long /readyz answers 503 before the listener closes, so load balancers stop routing here. */
  drainDelayMs?: number;
  /** In-flight requests get this long to finish once the listener is closed; then sockets are cut. */
  shutdownTimeoutMs?: number;
}

export interface RunningServer {
  server: Server;
  port: number;
  /** Graceful: not ready → drain delay → stop accepting → in-flight requests finish → closed. */
  shutdown(): Promise<void>;
}

export async function serve(web: WebApp, options: ServeOptions): Promise<RunningServer> {
  // Answers not yet sent when the shutdown starts are told to close their connection once sent, so a
  // keep-alive client cannot hold the server open until the shutdown timeout.
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (draining) res.setHeader('connection', 'close');
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
    web.listener(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  options.logger?.info({ port }, 'listening');

  let closing: Promise<void> | undefined;
  const shutdown = () => {
    closing ??= (async () => {
      web.beginShutdown();
      // From now on every answer closes its connection: keep-alive clients reconnect (elsewhere).
      draining = true;
      const closeWhenSent = () => {
        for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
      };
      closeWhenSent();
      options.logger?.info({ drainDelayMs: options.drainDelayMs ?? 0 }, 'shutting down: not ready');
      if (options.drainDelayMs) await sleep(options.drainDelayMs);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timeout = sleep(options.shutdownTimeoutMs ?? 10_000, 'timeout' as const, { ref: false });
      if ((await Promise.race([closed, timeout])) === 'timeout') {
        options.logger?.warn('shutdown timeout: closing open connections');
        server.closeAllConnections();
        await closed;
      }
      options.logger?.info('server closed');
    })();
    return closing;
  };

  return { server, port, shutdown };
}
