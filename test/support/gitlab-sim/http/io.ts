import type { IncomingMessage, ServerResponse } from 'node:http';
import { badParam, SimHttpError } from './errors.js';
import type { SimResponse } from './types.js';

const MAX_BODY = 30 * 1024 * 1024;

/** JSON or form bodies, as Grape accepts them; anything else counts as no parameters. */
export async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > MAX_BODY) throw new SimHttpError(413, { message: '413 Request Entity Too Large' });
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/x-www-form-urlencoded') {
    const form = new URLSearchParams(text);
    const out: Record<string, unknown> = {};
    for (const key of new Set(form.keys())) out[key] = key.endsWith('[]') ? form.getAll(key) : form.get(key);
    return out;
  }
  if (type !== 'application/json') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badParam('The provided content-type is not supported or the body is invalid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw badParam('body must be a JSON object');
  return parsed as Record<string, unknown>;
}

export function send(res: ServerResponse, response: SimResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  let payload: string | undefined;
  if (response.text !== undefined) {
    headers['content-type'] = response.text.contentType;
    payload = response.text.content;
  } else if (response.status !== 204 && response.body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(response.body);
  }
  if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
  res.writeHead(response.status, headers);
  res.end(payload);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
