import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/** GitLab bodies reach 25 MB (DESIGN §6): well above express's 100 kB default. */
export const BODY_LIMIT_BYTES = 25 * 1024 * 1024;

/**
 * Why a body's media type is refused, or undefined when it is JSON we can read: `application/json`,
 * UTF-8 (the JSON default) and not compressed (GitLab never compresses; inflating a 25 MB limit
 * would open a decompression bomb).
 */
export function unsupportedMediaType(headers: IncomingHttpHeaders): string | undefined {
  const type = headers['content-type'];
  if (!type) return 'content-type must be application/json';
  const semicolon = type.indexOf(';');
  const mime = (semicolon < 0 ? type : type.slice(0, semicolon)).trim().toLowerCase();
  if (mime !== 'application/json') return 'content-type must be application/json';
  if (semicolon >= 0) {
    const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(type.slice(semicolon))?.[1]?.toLowerCase();
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') return `unsupported charset "${charset}"`;
  }
  const encoding = headers['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') return `unsupported content-encoding "${encoding}"`;
  return undefined;
}

/** A declared length over the limit: refused before reading a byte. */
export function declaredTooLarge(headers: IncomingHttpHeaders, limit: number): boolean {
  const length = headers['content-length'];
  return length !== undefined && Number(length) > limit;
}

export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

export class BodyAbortedError extends Error {
  override readonly name = 'BodyAbortedError';
}

/** Reads the raw body (kept as bytes: the signature is computed over them), stopping at the limit. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      req.off('close', onAborted);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        // Keep draining (and discarding) so the 413 can still be written to the socket.
        req.resume();
        reject(new BodyTooLargeError(`request body is larger than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(new BodyAbortedError(err.message));
    };
    const onAborted = () => {
      cleanup();
      reject(new BodyAbortedError('request aborted'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
    // A body cut short may end with neither 'end' nor an error: a close before 'end' is an abort.
    req.on('close', onAborted);
  });
}
