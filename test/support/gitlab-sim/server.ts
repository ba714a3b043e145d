import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAdmin } from './admin.js';
import { buildDump } from './dump.js';
import { FaultInjector } from './faults.js';
import { SimHttpError } from './http/errors.js';
import { Input } from './http/input.js';
import { readBody, send, sleep } from './http/io.js';
import type { SimResponse } from './http/types.js';
import { apiRouter } from './routes/index.js';
import { loadSeed } from './seed.js';
import { DEFAULT_TOKEN, SimState } from './state.js';
import type { FaultOptions, SimDump, SimToken } from './types.js';

export interface GitLabSimOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  faults?: FaultOptions;
  /** Base latency added to every API call. */
  latencyMs?: number;
  /** Seed of the fault PRNG (a `faults.seed` overrides it). */
  seed?: number;
  /** The bot's token (default `sim-bot-token`) and username (default `handbook-bot`). */
  token?: string;
  botUsername?: string;
  /** A seed (see `seed.ts`) loaded before listening. */
  initialState?: unknown;
  /**
   * Answer GET requests without a token as an anonymous, non-member user, as GitLab does for public
   * projects (the bot's dry run reads a public handbook with no token).
   */
  anonymousReads?: boolean;
}

export interface GitLabSim {
  /** `http://127.0.0.1:<port>`: what gitbeaker takes as `host`. */
  url: string;
  token: string;
  state: SimState;
  dump(): SimDump;
  setFaults(faults: FaultOptions): void;
  close(): Promise<void>;
}

const API_PREFIX = '/api/v4';
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function tokenOf(req: IncomingMessage, url: URL): string | undefined {
  const header = req.headers['private-token'];
  if (typeof header === 'string') return header;
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  return bearer ?? url.searchParams.get('private_token') ?? undefined;
}

function faultResponse(kind: '429' | 'action-429' | '500', retryAfter: number): SimResponse {
  if (kind === '429') {
    // Rack::Attack's throttle answer: plain text with Retry-After and RateLimit-* headers.
    return {
      status: 429,
      text: { content: 'Retry later\n', contentType: 'text/plain' },
      headers: {
        'retry-after': String(retryAfter),
        'ratelimit-name': 'throttle_authenticated_api',
        'ratelimit-limit': '2000',
        'ratelimit-observed': '2001',
        'ratelimit-remaining': '0',
        'ratelimit-reset': String(Math.floor(Date.now() / 1000) + retryAfter),
      },
    };
  }
  if (kind === 'action-429') {
    // Per-action limits (note and issue creation) answer without Retry-After.
    return { status: 429, body: { message: { error: 'This endpoint has been requested too many times. Try again later.' } } };
  }
  return { status: 500, body: { message: '500 Internal Server Error' } };
}

const ANONYMOUS_USERNAME = 'anonymous-reader';
const ANONYMOUS_CALLER: SimToken = { token: '', userId: -1, readOnly: true };

export async function startGitLabSim(options: GitLabSimOptions = {}): Promise<GitLabSim> {
  const token = options.token ?? DEFAULT_TOKEN;
  const state = new SimState({ token, botUsername: options.botUsername });
  if (options.initialState !== undefined) loadSeed(state, options.initialState);
  const faults = new FaultInjector(options.faults, options.seed ?? 1);
  const router = apiRouter();
  const baseLatency = options.latencyMs ?? 0;

  async function handleApi(req: IncomingMessage, url: URL, method: string): Promise<SimResponse> {
    const seq = ++state.requestTotal;
    const rawPath = url.pathname.slice(API_PREFIX.length);
    const match = router.match(method, rawPath);
    const routeKey = `${method} ${match?.route.pattern ?? '(unmatched)'}`;
    state.requestCounts.set(routeKey, (state.requestCounts.get(routeKey) ?? 0) + 1);
    const token = tokenOf(req, url);
    const anonymous = token === undefined && method === 'GET' && options.anonymousReads === true;
    const caller = token === undefined ? (anonymous ? ANONYMOUS_CALLER : undefined) : state.tokens.get(token);
    const user = anonymous
      ? (state.userByName(ANONYMOUS_USERNAME) ?? state.addUser({ username: ANONYMOUS_USERNAME }))
      : caller === undefined
        ? undefined
        : state.users.get(caller.userId);
    let body: Record<string, unknown> = {};
    let fault: string | undefined;

    const respond = async (): Promise<SimResponse> => {
      body = await readBody(req);
      const delay = baseLatency + faults.latencyMs;
      if (delay > 0) {
        state.faultCounters.delayedRequests += 1;
        await sleep(delay);
      }
      const decision = faults.before(method, match?.route.actionLimited ?? false);
      if (decision !== 'none') {
        fault = decision;
        if (decision === '429') state.faultCounters.injected429 += 1;
        else if (decision === 'action-429') state.faultCounters.injectedActionLimit429 += 1;
        else state.faultCounters.injected500 += 1;
        return faultResponse(decision, faults.retryAfterSeconds);
      }
      if (caller === undefined || user === undefined) return { status: 401, body: { message: '401 Unauthorized' } };
      if (caller.readOnly && WRITE_METHODS.has(method)) {
        return {
          status: 403,
          body: {
            error: 'insufficient_scope',
            error_description: 'The request requires higher privileges than provided by the access token.',
            scope: 'api',
          },
        };
      }
      if (match === undefined) {
        return router.hasPath(rawPath)
          ? { status: 405, body: { error: '405 Method Not Allowed' } }
          : { status: 404, body: { error: '404 Not Found' } };
      }
      const response = match.route.handler({
        method,
        url,
        params: match.params,
        input: new Input(url.searchParams, body),
        user,
        token: caller,
        seq,
        state,
      });
      if (response.status < 300 && faults.afterApply(method)) {
        fault = '502-after-apply';
        state.faultCounters.injected502AfterApply += 1;
        return { status: 502, text: { content: '<html><body><h1>502 Bad Gateway</h1></body></html>\n', contentType: 'text/html' } };
      }
      return response;
    };

    let response: SimResponse;
    try {
      response = await respond();
    } catch (err) {
      if (!(err instanceof SimHttpError)) console.error('[gitlab-sim] handler failed', err);
      response =
        err instanceof SimHttpError
          ? { status: err.status, body: err.body }
          : { status: 500, body: { message: '500 Internal Server Error' } };
    }
    if (WRITE_METHODS.has(method)) {
      state.writes.push({
        seq,
        method,
        route: match?.route.pattern ?? rawPath,
        path: rawPath,
        status: response.status,
        user: user?.username ?? null,
        body,
        ...(fault === undefined ? {} : { fault }),
      });
    }
    return response;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const method = (req.method ?? 'GET').toUpperCase();
    let response: SimResponse;
    if (url.pathname.startsWith('/__sim/')) {
      try {
        response = handleAdmin(state, faults, method, url, await readBody(req));
      } catch (err) {
        response = err instanceof SimHttpError ? { status: err.status, body: err.body } : { status: 500, body: { error: String(err) } };
      }
    } else if (url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`)) {
      response = await handleApi(req, url, method);
    } else {
      response = { status: 404, body: { error: '404 Not Found' } };
    }
    send(res, response);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      console.error('[gitlab-sim] request failed', err);
      if (!res.headersSent) send(res, { status: 500, body: { message: '500 Internal Server Error' } });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  state.baseUrl = url;

  return {
    url,
    token,
    state,
    dump: () => buildDump(state),
    setFaults: (next) => faults.set(next),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err === undefined ? resolve() : reject(err)));
        server.closeAllConnections();
      }),
  };
}
