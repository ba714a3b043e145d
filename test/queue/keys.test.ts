import { describe, expect, it } from 'vitest';
import { deploymentKeys, hashTag } from '../../src/queue/keys.js';

describe('deployment keys', () => {
  it('are all under the queue prefix’s hash tag', () => {
    const keys = deploymentKeys('handbook-bot');
    expect(keys.queuePrefix).toBe('{handbook-bot}');
    expect(keys.delivery('abc')).toBe('{handbook-bot}:delivery:abc');
    expect(keys.lockPrefix).toBe('{handbook-bot}:lock:');
    expect(keys.budget('gitlab-requests')).toBe('{handbook-bot}:gitlab-requests');
    expect(keys.budget('gitlab-creates')).toBe('{handbook-bot}:gitlab-creates');
  });

  it('take the prefix with or without its braces', () => {
    expect(hashTag('hb_staging-2')).toBe('{hb_staging-2}');
    expect(hashTag('{hb_staging-2}')).toBe('{hb_staging-2}');
    expect(deploymentKeys('{x}').lockPrefix).toBe('{x}:lock:');
  });
});
