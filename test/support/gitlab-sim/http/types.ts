import type { SimState } from '../state.js';
import type { SimToken, SimUser } from '../types.js';
import type { Input } from './input.js';

export interface SimRequest {
  method: string;
  url: URL;
  /** Decoded path parameters (`:id` → `acme/handbook`). */
  params: Record<string, string>;
  input: Input;
  user: SimUser;
  token: SimToken;
  /** Request sequence number, shared with the request log and violations. */
  seq: number;
  state: SimState;
}

export interface SimResponse {
  status: number;
  /** JSON body; omitted for 204. */
  body?: unknown;
  /** A non-JSON body (raw files, proxy errors). */
  text?: { content: string; contentType: string };
  headers?: Record<string, string>;
}

export type Handler = (req: SimRequest) => SimResponse;

export function json(body: unknown, status = 200, headers?: Record<string, string>): SimResponse {
  return headers === undefined ? { status, body } : { status, body, headers };
}
