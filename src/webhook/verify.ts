import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * Authenticity of a delivery: GitLab's shared secret (`X-Gitlab-Token`) and, when a signing token is
 * configured, the Standard Webhooks signature GitLab 19 adds.
 */

function sha256(value: string | Buffer): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Compares the token against every configured secret (a list, for rotation) in constant time. Both sides
 * are hashed first: timingSafeEqual needs equal lengths, and comparing digests means neither the
 * secrets' lengths nor which secret matched leak through timing.
 */
export function createTokenVerifier(secrets: readonly string[]): (token: string | undefined) => boolean {
  const digests = secrets.filter((secret) => secret.length > 0).map(sha256);
  return (token) => {
    if (token === undefined || token.length === 0) return false;
    const given = sha256(token);
    let match = false;
    for (const digest of digests) match = timingSafeEqual(given, digest) || match; // no early exit
    return match;
  };
}

export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export interface SignatureVerifierOptions {
  toleranceSeconds?: number;
  /** Seconds since the epoch (tests). */
  now?: () => number;
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The HMAC key: the base64 part after `whsec_` (Standard Webhooks), or the whole token when unprefixed. */
export function signingKey(signingToken: string): Buffer {
  const encoded = signingToken.startsWith('whsec_') ? signingToken.slice('whsec_'.length) : signingToken;
  return Buffer.from(encoded, 'base64');
}

/** `v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{raw body}")>`, as a sender computes it. */
export function signPayload(signingToken: string, id: string, timestamp: number, rawBody: Buffer | string): string {
  const mac = createHmac('sha256', signingKey(signingToken)).update(`${id}.${timestamp}.`).update(rawBody).digest('base64');
  return `v1,${mac}`;
}

/**
 * Verifies `webhook-id`, `webhook-timestamp` and `webhook-signature` (several space-separated
 * signatures allowed, as during a key rotation) over the raw body bytes. The timestamp must be within
 * the tolerance, so a captured delivery cannot be replayed later.
 */
export function createSignatureVerifier(
  signingToken: string,
  options: SignatureVerifierOptions = {},
): (headers: IncomingHttpHeaders, rawBody: Buffer) => SignatureCheck {
  const key = signingKey(signingToken);
  const tolerance = options.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS;
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  return (headers, rawBody) => {
    const id = headerValue(headers, 'webhook-id');
    const timestamp = headerValue(headers, 'webhook-timestamp');
    const signatures = headerValue(headers, 'webhook-signature');
    if (!id || !timestamp || !signatures) return { ok: false, reason: 'missing webhook signature headers' };
    if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'invalid webhook-timestamp' };
    if (Math.abs(now() - Number(timestamp)) > tolerance) return { ok: false, reason: 'webhook-timestamp outside the tolerance' };
    const expected = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(rawBody).digest();
    let match = false;
    for (const entry of signatures.split(' ')) {
      const comma = entry.indexOf(',');
      if (comma < 0 || entry.slice(0, comma) !== 'v1') continue;
      const given = Buffer.from(entry.slice(comma + 1), 'base64');
      if (given.length === expected.length && timingSafeEqual(given, expected)) match = true;
    }
    return match ? { ok: true } : { ok: false, reason: 'webhook signature does not match' };
  };
}
