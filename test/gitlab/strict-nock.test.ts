import { describe, expect, it } from 'vitest';
import { recordedRequests, recordedWrites, resetStrictNock, strictNock, strictNockProblems } from '../support/strict-nock.js';

// The helper's own checks, exercised directly; each test resets so its afterEach sees a clean state.
describe('strictNock', () => {
  it('reports a mock that was never requested', () => {
    strictNock('https://gitlab.example.com').get('/api/v4/user').reply(200, {});
    expect(strictNockProblems()).toEqual(['mocked but never requested: GET https://gitlab.example.com:443/api/v4/user']);
    resetStrictNock();
    expect(strictNockProblems()).toEqual([]);
  });

  it('reports a request nothing mocked, and real network access is refused', async () => {
    strictNock('https://gitlab.example.com').get('/api/v4/user').reply(200, {});
    await fetch('https://gitlab.example.com/api/v4/user');
    await expect(fetch('https://gitlab.example.com/api/v4/projects')).rejects.toThrow();
    await expect(fetch('https://elsewhere.example.org/')).rejects.toThrow();
    const problems = strictNockProblems();
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^requested but not mocked: GET .*\/api\/v4\/projects$/);
    expect(problems[1]).toMatch(/^requested but not mocked: GET elsewhere\.example\.org\/$/);
    resetStrictNock();
  });

  it('records answered requests with their bodies, and tells writes apart', async () => {
    const scope = strictNock('https://gitlab.example.com');
    scope.get('/api/v4/user').reply(200, {});
    scope.post('/api/v4/projects/1/issues').reply(201, {});
    await fetch('https://gitlab.example.com/api/v4/user');
    await fetch('https://gitlab.example.com/api/v4/projects/1/issues', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'T' }),
    });
    expect(recordedRequests()).toEqual([
      { method: 'GET', path: '/api/v4/user', body: undefined },
      { method: 'POST', path: '/api/v4/projects/1/issues', body: { title: 'T' } },
    ]);
    expect(recordedWrites()).toEqual([{ method: 'POST', path: '/api/v4/projects/1/issues', body: { title: 'T' } }]);
  });
});
