import {
  createRequesterFn,
  type FormattedResponse,
  type RequesterType,
  type ResourceOptions,
  type ResponseBodyTypes,
} from '@gitbeaker/requester-utils';
import type { Logger } from '../log.js';
import type { BudgetKind, RequestBudget } from './budget.js';
import type { RequestStats } from './count.js';
import { PermanentGitLabError, RetryableGitLabError, UnexpectedResponseError, permanentMessage } from './errors.js';
import { decideRetry, isServerError, parseRetryAfter, type AttemptFailure, type RetryDecision, type RetryPolicy } from './retry.js';

/**
 * The HTTP layer under gitbeaker. `@gitbeaker/rest`'s default requester retries 429 and 502 a few
 * milliseconds apart, ignores `Retry-After` and would re-send a POST after a 502; this one replaces it
 * (same `createRequesterFn` plumbing, so gitbeaker still builds URLs, bodies and pagination) and
 * applies the bot's policy: the shared request budget, `retry.ts`, clear errors, request counts.
 */

export interface TransportOptions {
  logger: Logger;
  budget: RequestBudget;
  retry: RetryPolicy;
  stats: RequestStats;
  hasToken: boolean;
  /** In dry-run the client never hands a write to the requester; this is the safety net. */
  dryRun: boolean;
  /** Per attempt, so a retry gets a fresh timeout. */
  timeoutMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  now: () => number;
}

export type RequesterFn = (resourceOptions: ResourceOptions) => RequesterType;

export function createBotRequesterFn(transport: TransportOptions): RequesterFn {
  return createRequesterFn(
    (_resource, requestOptions) => Promise.resolve(requestOptions),
    (endpoint, requestOptions) => send(transport, endpoint, readOptions(requestOptions ?? {})),
  );
}

interface OutgoingRequest {
  method: string;
  prefixUrl: string;
  headers: Record<string, string>;
  searchParams: string;
  body: string | FormData | undefined;
  asStream: boolean;
}

function readOptions(options: Record<string, unknown>): OutgoingRequest {
  const headers: Record<string, string> = {};
  if (typeof options.headers === 'object' && options.headers !== null) {
    for (const [name, value] of Object.entries(options.headers)) {
      if (typeof value === 'string') headers[name] = value;
    }
  }
  // Lets GitLab administrators tell the bot's traffic apart in their logs.
  headers['user-agent'] ??= 'handbook-bot';
  const body = options.body;
  return {
    method: typeof options.method === 'string' ? options.method.toUpperCase() : 'GET',
    prefixUrl: typeof options.prefixUrl === 'string' ? options.prefixUrl : '',
    headers,
    searchParams: typeof options.searchParams === 'string' ? options.searchParams : '',
    body: typeof body === 'string' || body instanceof FormData ? body : undefined,
    asStream: options.asStream === true,
  };
}

/** A file's raw content is text whatever its type (a `.json` page must not come back parsed). */
const RAW_ENDPOINT = /\/raw$/;

/** Creating an issue or a note: the requests GitLab limits per action and the creates budget counts. */
const CREATE_ENDPOINT = /^\/projects\/[^/]+\/(?:issues|(?:issues|merge_requests)\/\d+\/notes)$/;

async function send(transport: TransportOptions, endpoint: string, request: OutgoingRequest): Promise<FormattedResponse> {
  const { method } = request;
  const base = request.prefixUrl.endsWith('/') ? request.prefixUrl : `${request.prefixUrl}/`;
  const url = new URL(endpoint.replace(/^\/+/, ''), base);
  url.search = request.searchParams;
  // The path under /api/v4 whatever the resource's own prefix (notes and labels resources add
  // `projects` to the prefix, not to the endpoint): what errors, logs and the budget look at.
  const path = url.pathname.replace(/^.*?\/api\/v4(?=\/)/, '');

  if (transport.dryRun && method !== 'GET') {
    throw new Error(`dry-run: ${method} ${path} reached the requester; writes must go through the dry-run recorder`);
  }
  const kind: BudgetKind = method === 'POST' && CREATE_ENDPOINT.test(path) ? 'create' : 'request';
  const secrets = Object.entries(request.headers)
    .filter(([name]) => /^(private-token|authorization|job-token)$/i.test(name))
    .map(([, value]) => value)
    .filter((value) => value.length > 0);

  let waitedMs = 0;
  for (let attempt = 1; ; attempt += 1) {
    await transport.budget.take(kind, { method, path });
    transport.stats.sent(method, attempt > 1);

    let response: Response | undefined;
    let networkError: unknown;
    try {
      response = await fetch(url, {
        method,
        headers: request.headers,
        body: request.body ?? null,
        signal: AbortSignal.timeout(transport.timeoutMs),
      });
    } catch (error) {
      networkError = error;
    }

    let failure: AttemptFailure;
    let gitlabMessage: string | undefined;
    if (response === undefined) {
      failure = { kind: 'network', reachedServer: !neverConnected(networkError) };
    } else {
      if (response.ok) return parseResponse(response, url, request.asStream, { method, path, rawText: RAW_ENDPOINT.test(path) });
      const status = response.status;
      gitlabMessage = scrub(await readMessage(response), secrets);
      if (status === 429) {
        failure = { kind: 'rate-limited', retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), transport.now()) };
      } else if (isServerError(status)) {
        failure = { kind: 'server-error', status };
      } else if (status === 409) {
        // A conflict is about the state, not the request: callers may read it as "already exists".
        throw new RetryableGitLabError(`GitLab answered 409 Conflict for ${method} ${path}: ${gitlabMessage ?? 'no message'}`, {
          method,
          path,
          status,
          ...(gitlabMessage === undefined ? {} : { gitlabMessage }),
        });
      } else {
        throw new PermanentGitLabError(
          scrub(
            permanentMessage({
              method,
              path,
              status,
              hasToken: transport.hasToken,
              ...(gitlabMessage === undefined ? {} : { gitlabMessage }),
            }),
            secrets,
          ),
          { method, path, status, ...(gitlabMessage === undefined ? {} : { gitlabMessage }) },
        );
      }
    }

    const decision = decideRetry(transport.retry, { method, failure, attempt, waitedMs, random: transport.random });
    const what = describeFailure(failure, networkError, secrets);
    if (!decision.retry) {
      throw new RetryableGitLabError(
        giveUpMessage(decision, what, method, path, attempt),
        {
          method,
          path,
          delayMs: decision.delayMs,
          ...(response === undefined ? {} : { status: response.status }),
          ...(gitlabMessage === undefined ? {} : { gitlabMessage }),
        },
        networkError === undefined ? undefined : { cause: scrubbedCause(networkError, secrets) },
      );
    }
    transport.logger.warn(
      { method, path, status: response?.status, attempt, delayMs: decision.delayMs },
      `gitlab: ${method} ${path} ${what}; retrying in ${decision.delayMs} ms`,
    );
    await transport.sleep(decision.delayMs);
    waitedMs += decision.delayMs;
  }
}

function giveUpMessage(
  decision: Extract<RetryDecision, { retry: false }>,
  what: string,
  method: string,
  path: string,
  attempt: number,
): string {
  const later = `the job will be retried in about ${Math.ceil(decision.delayMs / 1000)} s`;
  switch (decision.reason) {
    case 'unsafe-to-resend':
      return `${method} ${path} ${what}; not re-sent because the create may have gone through: ${later} and look for its marker first`;
    case 'wait-too-long':
      return `${method} ${path} ${what}; waiting here would take too long: ${later}`;
    case 'attempts-exhausted':
      return `${method} ${path} ${what} (attempt ${attempt} of ${attempt}); ${later}`;
  }
}

function describeFailure(failure: AttemptFailure, networkError: unknown, secrets: string[]): string {
  switch (failure.kind) {
    case 'rate-limited':
      return failure.retryAfterMs === undefined
        ? 'was rate-limited by GitLab (429, no Retry-After)'
        : `was rate-limited by GitLab (429, Retry-After ${Math.ceil(failure.retryAfterMs / 1000)} s)`;
    case 'server-error':
      return `failed with ${failure.status} from GitLab`;
    case 'network':
      return `could not reach GitLab (${scrub(errorText(networkError), secrets)})`;
  }
}

/** Connection never established: nothing was sent, so even a create may be repeated. */
const NOT_CONNECTED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function neverConnected(error: unknown): boolean {
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 5; depth += 1) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === 'string' && NOT_CONNECTED_CODES.has(code)) return true;
    current = cause;
  }
  return false;
}

/**
 * The network error as a cause, rebuilt from scrubbed text: some errors (nock's, proxies') quote the
 * request headers, and a logged cause must not carry the token.
 */
function scrubbedCause(error: unknown, secrets: string[]): Error {
  const cause = new Error(scrub(errorText(error), secrets));
  const { name, code } = typeof error === 'object' && error !== null ? (error as { name?: unknown; code?: unknown }) : {};
  if (typeof name === 'string') cause.name = name;
  if (typeof code === 'string') Object.assign(cause, { code });
  return cause;
}

/** A readable one-liner for fetch's errors (`fetch failed` says little; its cause says what). */
function errorText(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const { name, message, code, cause } = error as { name?: unknown; message?: unknown; code?: unknown; cause?: unknown };
  if (name === 'TimeoutError') return 'timed out';
  const own = typeof message === 'string' && message !== '' ? message : typeof code === 'string' ? code : 'network error';
  return cause === undefined || cause === null ? own : `${own}: ${errorText(cause)}`;
}

async function readMessage(response: Response): Promise<string | undefined> {
  const text = await response.text().catch(() => '');
  if (text.trim() === '') return undefined;
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json === 'object' && json !== null) {
      const record = json as Record<string, unknown>;
      const message = record.message ?? record.error;
      if (typeof message === 'string') return truncate(message);
      if (message !== undefined) return truncate(JSON.stringify(message));
    }
  } catch {
    // Not JSON (a proxy's error page): keep the start of the text.
  }
  return truncate(text.trim());
}

function truncate(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function scrub<T extends string | undefined>(text: T, secrets: string[]): T {
  if (text === undefined) return text;
  let clean: string = text;
  for (const secret of secrets) clean = clean.split(secret).join('[redacted]');
  return clean as T;
}

async function parseResponse(
  response: Response,
  url: URL,
  asStream: boolean,
  { rawText, ...request }: { method: string; path: string; rawText: boolean },
): Promise<FormattedResponse> {
  const headers = Object.fromEntries(response.headers.entries());
  // gitbeaker follows `Link: rel="next"`; when a server sends only `X-Next-Page`, derive the link.
  const nextPage = headers['x-next-page'];
  if (!headers.link && nextPage) {
    const next = new URL(url);
    next.searchParams.set('page', nextPage);
    headers.link = `<${next.toString()}>; rel="next"`;
  }
  let body: ResponseBodyTypes;
  if (asStream) {
    body = response.body ?? null;
  } else if (response.status === 204) {
    body = null;
  } else {
    const contentType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
    const text = await response.text();
    if (contentType === 'application/json' && !rawText) {
      try {
        body = text === '' ? {} : (JSON.parse(text) as ResponseBodyTypes);
      } catch {
        throw new UnexpectedResponseError(`GitLab sent invalid JSON for ${request.method} ${request.path}`, {
          ...request,
          status: response.status,
        });
      }
    } else {
      body = text;
    }
  }
  return { body, headers, status: response.status };
}
