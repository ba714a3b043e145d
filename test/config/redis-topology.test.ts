import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { readRuntimeEnv } from '../../src/config/env.js';
import { maskSettings } from '../../src/config/mask.js';
import { describeRedisTopology } from '../../src/config/redis-topology.js';
import { redisTopologyOf } from '../../src/queue/connection.js';
import { testSettings } from '../support/settings.js';

function envErrors(vars: NodeJS.ProcessEnv): string[] {
  try {
    readRuntimeEnv(vars);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).lines;
  }
  throw new Error('expected a ConfigError');
}

describe('Redis topology from the environment', () => {
  it('is the single node at REDIS_URL when neither cluster nor sentinels are set', () => {
    const env = readRuntimeEnv({ REDIS_URL: 'redis://redis.acme.test:6379/1' });
    expect(env.redisTopology).toBeUndefined();
    expect(redisTopologyOf(env)).toEqual({ kind: 'single', url: 'redis://redis.acme.test:6379/1' });
  });

  it('gives REDIS_PASSWORD to a single node whose URL has none', () => {
    const env = readRuntimeEnv({ REDIS_URL: 'redis://redis.acme.test:6379', REDIS_PASSWORD: 's3cret' });
    expect(redisTopologyOf(env)).toEqual({ kind: 'single', url: 'redis://redis.acme.test:6379', password: 's3cret' });
  });

  it('reads REDIS_CLUSTER_NODES, with spaces, IPv6 and REDIS_PASSWORD', () => {
    const env = readRuntimeEnv({ REDIS_CLUSTER_NODES: ' 10.0.0.1:7000, 10.0.0.2:7001 ,[fd00::3]:7002,', REDIS_PASSWORD: 'cluster pw' });
    expect(env.redisTopology).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
        { host: 'fd00::3', port: 7002 },
      ],
      password: 'cluster pw',
    });
    expect(describeRedisTopology(redisTopologyOf(env))).toBe(
      'Redis Cluster at 10.0.0.1:7000,10.0.0.2:7001,[fd00::3]:7002 (REDIS_CLUSTER_NODES)',
    );
  });

  it('reads REDIS_SENTINELS with the default master name, or REDIS_SENTINEL_NAME', () => {
    expect(readRuntimeEnv({ REDIS_SENTINELS: 's1.acme.test:26379,s2.acme.test:26379' }).redisTopology).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: 's1.acme.test', port: 26379 },
        { host: 's2.acme.test', port: 26379 },
      ],
      name: 'mymaster',
    });
    const env = readRuntimeEnv({
      REDIS_SENTINELS: 's1:26379',
      REDIS_SENTINEL_NAME: 'bot',
      REDIS_PASSWORD: 'pw',
      REDIS_SENTINEL_PASSWORD: 'spw',
    });
    expect(env.redisTopology).toEqual({
      kind: 'sentinel',
      sentinels: [{ host: 's1', port: 26379 }],
      name: 'bot',
      password: 'pw',
      sentinelPassword: 'spw',
    });
    expect(describeRedisTopology(redisTopologyOf(env))).toBe('Redis Sentinel master "bot" via s1:26379 (REDIS_SENTINELS)');
  });

  it('says which entry is wrong and what it should look like', () => {
    expect(envErrors({ REDIS_CLUSTER_NODES: '10.0.0.1:7000,10.0.0.2' })).toEqual([
      'REDIS_CLUSTER_NODES: each entry must be host:port with a port from 1 to 65535, like "10.0.0.1:7000" or "[::1]:7000" (got "10.0.0.2")',
    ]);
    expect(envErrors({ REDIS_SENTINELS: 's1:99999' })).toEqual([
      'REDIS_SENTINELS: each entry must be host:port with a port from 1 to 65535, like "10.0.0.1:7000" or "[::1]:7000" (got "s1:99999")',
    ]);
    expect(envErrors({ REDIS_SENTINELS: ' , ' })).toEqual([
      'REDIS_SENTINELS: must list at least one host:port, like "10.0.0.1:7000,10.0.0.2:7000"',
    ]);
  });

  it('refuses two topologies at once', () => {
    expect(envErrors({ REDIS_CLUSTER_NODES: 'a:1', REDIS_SENTINELS: 'b:2' })).toEqual([
      'REDIS_CLUSTER_NODES: and REDIS_SENTINELS are both set; a deployment uses one Redis topology, so unset one of them',
    ]);
    expect(envErrors({ REDIS_URL: 'redis://a:6379', REDIS_CLUSTER_NODES: 'a:7000' })).toEqual([
      'REDIS_URL: and REDIS_CLUSTER_NODES are both set; REDIS_URL means a single Redis node, so unset REDIS_URL to use REDIS_CLUSTER_NODES (or unset REDIS_CLUSTER_NODES)',
    ]);
  });

  it('flags sentinel settings without sentinels', () => {
    expect(envErrors({ REDIS_SENTINEL_NAME: 'bot' })).toEqual([
      'REDIS_SENTINEL_NAME: is set but REDIS_SENTINELS is not; list the sentinels in REDIS_SENTINELS as host:port,host:port, or unset it',
    ]);
  });

  it('never shows the passwords in printed settings', () => {
    const env = readRuntimeEnv({
      REDIS_SENTINELS: 's1:26379',
      REDIS_PASSWORD: 'master-pw-value',
      REDIS_SENTINEL_PASSWORD: 'sentinel-pw-value',
    });
    const masked = maskSettings(testSettings({ env }));
    expect(masked.env.redisTopology).toEqual({
      kind: 'sentinel',
      sentinels: [{ host: 's1', port: 26379 }],
      name: 'mymaster',
      password: '***',
      sentinelPassword: '***',
    });
    const single = maskSettings(testSettings({ env: readRuntimeEnv({ REDIS_PASSWORD: 'single-pw-value' }) }));
    expect(single.env.redisPassword).toBe('***');
    expect(JSON.stringify([masked, single])).not.toMatch(/pw-value/);
  });
});
