import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSignatureVerifier, createTokenVerifier, signPayload } from '../../src/webhook/verify.js';

describe('token verification', () => {
  it('accepts any of the rotated secrets and nothing else', () => {
    const verify = createTokenVerifier(['old-secret', 'new-secret']);
    expect(verify('old-secret')).toBe(true);
    expect(verify('new-secret')).toBe(true);
    expect(verify('new-secre')).toBe(false);
    expect(verify('new-secret ')).toBe(false);
    expect(verify('')).toBe(false);
    expect(verify(undefined)).toBe(false);
  });

  it('accepts nothing when no secret is configured', () => {
    expect(createTokenVerifier([''])('')).toBe(false);
  });
});

describe('Standard Webhooks signature', () => {
  const token = `whsec_${randomBytes(24).toString('base64')}`;
  const t0 = 1_800_000_000;
  const verify = createSignatureVerifier(token, { now: () => t0 });
  const body = Buffer.from('{"a":1}');
  const headers = (signature: string, timestamp = t0, id = 'msg_1') => ({
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signature,
  });

  it('matches the Standard Webhooks reference vector', () => {
    // From the standard-webhooks specification's test suite.
    const reference = createSignatureVerifier('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', { now: () => 1614265330 });
    const payload = Buffer.from('{"test": 2432232314}');
    const check = reference(
      {
        'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
        'webhook-timestamp': '1614265330',
        'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
      },
      payload,
    );
    expect(check).toEqual({ ok: true });
  });

  it('accepts the right signature, alone or among others', () => {
    const good = signPayload(token, 'msg_1', t0, body);
    expect(verify(headers(good), body)).toEqual({ ok: true });
    expect(verify(headers(`v1,AAAA v2,${good.slice(3)} ${good}`), body)).toEqual({ ok: true });
  });

  it('refuses another body, id, key or a stale timestamp', () => {
    const good = signPayload(token, 'msg_1', t0, body);
    expect(verify(headers(good), Buffer.from('{"a":2}')).ok).toBe(false);
    expect(verify(headers(good, t0, 'msg_2'), body).ok).toBe(false);
    expect(verify(headers(signPayload(`whsec_${randomBytes(24).toString('base64')}`, 'msg_1', t0, body)), body).ok).toBe(false);
    const stale = signPayload(token, 'msg_1', t0 - 301, body);
    expect(verify(headers(stale, t0 - 301), body)).toEqual({ ok: false, reason: 'webhook-timestamp outside the tolerance' });
    const future = signPayload(token, 'msg_1', t0 + 301, body);
    expect(verify(headers(future, t0 + 301), body).ok).toBe(false);
    expect(verify(headers(signPayload(token, 'msg_1', t0 - 299, body), t0 - 299), body)).toEqual({ ok: true });
  });

  it('refuses malformed headers', () => {
    expect(verify({}, body)).toEqual({ ok: false, reason: 'missing webhook signature headers' });
    expect(verify(headers('v1,xyz', Number.NaN), body)).toEqual({ ok: false, reason: 'invalid webhook-timestamp' });
    expect(verify(headers('garbage'), body).ok).toBe(false);
  });
});
