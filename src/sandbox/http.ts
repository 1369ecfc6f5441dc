import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Reply } from './handlers.js';
import type { RateDecision } from './rate-limit.js';

/** Plumbing between node:http and the handlers: reading bodies and keys, writing (or cutting off) replies. */

export interface Body {
  text: string;
  tooLarge: boolean;
}

export function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // An oversized body is still drained, so the client can read the 413 instead of a reset connection.
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on('end', () => resolve({ text: size > limit ? '' : Buffer.concat(chunks).toString('utf8'), tooLarge: size > limit }));
    req.on('error', reject);
  });
}

/** The key from `Authorization: Bearer KEY` (preferred) or `?API_KEY=KEY`; ruling 2. */
export function presentedKey(req: IncomingMessage, url: URL): string | undefined {
  const header = req.headers.authorization;
  const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (m?.[1]) return m[1];
  const q = url.searchParams.get('API_KEY');
  return q ? q : undefined;
}

export function rateHeaders(d: RateDecision | null): Record<string, string> {
  // The reference's own two spellings; clients must cope with both (api-notes.md).
  return d ? { 'X-RateLimit-Remaining': String(d.remaining), 'X-Rate-Limit-Reset': String(d.resetSeconds) } : {};
}

const BASE_HEADERS = {
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
  // The reference promises CORS; browsers may read the rate headers too.
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'X-RateLimit-Remaining, X-Rate-Limit-Reset, Retry-After',
};

/**
 * Writes a reply. With `drop`, the status line, headers and half the body reach the client and then the
 * connection dies: the client sees a truncated body for a request whose effects did happen.
 */
export function writeReply(res: ServerResponse, reply: Reply, extraHeaders: Record<string, string>, drop = false): void {
  const buf = Buffer.from(reply.body === undefined ? '' : JSON.stringify(reply.body));
  res.writeHead(reply.status, { ...BASE_HEADERS, 'Content-Length': String(buf.length), ...extraHeaders, ...reply.headers });
  if (drop) res.write(buf.subarray(0, Math.max(1, Math.floor(buf.length / 2))), () => res.destroy());
  else res.end(buf);
}

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round((n / 1024 / 1024) * 10) / 10} MB` : `${n} bytes`;
}

/** The host to put in URLs: a wildcard listen address is reached through loopback. */
export function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
