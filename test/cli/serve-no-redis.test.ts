import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');

/** Runs `serve`, which must fail: its exit code and output, and the error line it logged. */
async function serveFailing(env: NodeJS.ProcessEnv) {
  const failed = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], { cwd: root, env, timeout: 60_000 }).then(
    () => {
      throw new Error('serve should have failed');
    },
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
  const lines = failed.stdout
    .trim()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { level: number; msg: string });
  return { failed, error: lines.find((line) => line.level === 50) };
}

describe('serve without Redis', () => {
  it('says where it looked and how to start Redis, exits 1, no stack trace', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      REDIS_URL: 'redis://:hunter2@127.0.0.1:1',
      PORT: '3999',
      HANDBOOK_BOT_CONFIG: '',
      LOG_LEVEL: 'info',
    };
    delete env.GITLAB_TOKEN;
    const { failed, error } = await serveFailing(env);
    expect(failed.code).toBe(1);
    expect(error?.msg).toContain('cannot reach Redis at redis://:***@127.0.0.1:1');
    expect(error?.msg).toContain('redis-server');
    expect(error?.msg).toContain('REDIS_URL');
    expect(failed.stdout + failed.stderr).not.toContain('hunter2');
    expect(failed.stderr).not.toMatch(/\n\s+at /u);
  });

  it('names the Redis Cluster nodes that failed and the variable that listed them', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      REDIS_CLUSTER_NODES: '127.0.0.1:1,127.0.0.1:2',
      REDIS_PASSWORD: 'cluster-secret-value',
      PORT: '3999',
      HANDBOOK_BOT_CONFIG: '',
      LOG_LEVEL: 'info',
    };
    // REDIS_URL means one node; CI sets it for the other tests.
    delete env.REDIS_URL;
    delete env.GITLAB_TOKEN;
    const { failed, error } = await serveFailing(env);
    expect(failed.code).toBe(1);
    expect(error?.msg).toContain(
      'cannot reach Redis Cluster at 127.0.0.1:1,127.0.0.1:2 (REDIS_CLUSTER_NODES): 127.0.0.1:1: ECONNREFUSED, 127.0.0.1:2: ECONNREFUSED. Check that REDIS_CLUSTER_NODES',
    );
    expect(failed.stdout + failed.stderr).not.toContain('cluster-secret-value');
    expect(failed.stderr).not.toMatch(/\n\s+at /u);
  });
});
