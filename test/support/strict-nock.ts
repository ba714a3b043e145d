import nock from 'nock';
import { afterEach } from 'vitest';

/**
 * Strict HTTP mocking for tests, in the spirit of Renovate's `httpMock`: importing this file turns off
 * real network access and, after every test, fails the test when a mocked request was never made or
 * a request was made that nothing mocked. Tests also see every request that was answered, so they can
 * assert things like "zero write calls".
 *
 *   const gitlab = strictNock('https://gitlab.example.com');
 *   gitlab.get('/api/v4/user').reply(200, { id: 1, username: 'bot' });
 */

export interface RecordedRequest {
  method: string;
  /** Path and query as sent, e.g. `/api/v4/projects/acme%2Fhandbook/issues?per_page=100`. */
  path: string;
  /** The parsed JSON body, the raw text when not JSON, `undefined` when empty. */
  body: unknown;
}

const answered: RecordedRequest[] = [];
const unmatched: string[] = [];

nock.disableNetConnect();

// nock emits `no match` with a request, its options, or both, depending on the interception path.
nock.emitter.on('no match', (...args: unknown[]) => {
  unmatched.push(describeUnmatched(args));
});

function describeUnmatched(args: unknown[]): string {
  for (const arg of args) {
    if (typeof arg === 'object' && arg !== null) {
      const { method, path, host, hostname } = arg as { method?: unknown; path?: unknown; host?: unknown; hostname?: unknown };
      if (typeof path === 'string') {
        const where = typeof hostname === 'string' ? hostname : typeof host === 'string' ? host : '';
        return `${typeof method === 'string' ? method : 'GET'} ${where}${path}`;
      }
    }
  }
  return 'an unidentified request';
}

function parseBody(body: unknown): unknown {
  if (typeof body !== 'string' || body === '') return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

/** A nock scope for `baseUrl`, with every answered request recorded (`options` as for `nock()`). */
export function strictNock(baseUrl: string, options?: nock.Options): nock.Scope {
  nock.disableNetConnect();
  const scope = nock(baseUrl, options);
  scope.on('request', (req: { method?: string; path?: string }, _interceptor: unknown, body: unknown) => {
    answered.push({ method: (req.method ?? 'GET').toUpperCase(), path: req.path ?? '', body: parseBody(body) });
  });
  return scope;
}

/** Requests answered by a mock since the test began, in order. */
export function recordedRequests(): RecordedRequest[] {
  return [...answered];
}

/** The answered requests that would change something in GitLab. */
export function recordedWrites(): RecordedRequest[] {
  return answered.filter((request) => request.method !== 'GET' && request.method !== 'HEAD');
}

/** What is wrong so far: mocks never used and requests nothing mocked. Empty when all is well. */
export function strictNockProblems(): string[] {
  return [
    ...nock.pendingMocks().map((mock) => `mocked but never requested: ${mock}`),
    ...unmatched.map((request) => `requested but not mocked: ${request}`),
  ];
}

/** Forgets mocks and recorded requests (done after every test). */
export function resetStrictNock(): void {
  nock.cleanAll();
  answered.length = 0;
  unmatched.length = 0;
}

afterEach((context) => {
  const problems = strictNockProblems();
  const failedAlready = context.task.result?.state === 'fail';
  resetStrictNock();
  // A failing test usually leaves mocks unused; repeating that would only hide the real error.
  if (problems.length > 0 && !failedAlready) {
    throw new Error(`strict nock:\n  ${problems.join('\n  ')}`);
  }
});
