import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * A read answered with an `ETag` of its body and `Cache-Control: no-cache`: a client that
     * sends the ETag back as `If-None-Match` gets 304 Not Modified while the answer is the same.
     * Not for reads whose `ETag` is a row version (the value `If-Match` takes).
     */
    revalidate?: boolean;
  }
}

/** The strong entity tag of a body: the first 160 bits of its SHA-256, quoted. */
export function bodyETag(body: string | Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/**
 * Whether an `If-None-Match` header names `etag` (RFC 9110 §13.1.2: weak comparison, a list, or
 * `*`), in which case a GET is answered 304.
 */
export function noneMatchHits(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** Adds `Cookie` to the reply's `Vary` (kept if another value is there already). */
function varyOnCookie(reply: FastifyReply): void {
  const vary = reply.getHeader('vary');
  if (vary === undefined) reply.header('vary', 'Cookie');
  else if (!/(^|,)\s*cookie\s*(,|$)/i.test(String(vary))) reply.header('vary', `${vary}, Cookie`);
}

/**
 * HTTP revalidation of the reads marked `config: { revalidate: true }` (issue #12): their 200
 * answers carry an `ETag` computed from the body as sent, so that it changes exactly when the
 * answer does, whatever changed it (a result, a new team, a private league one may now see).
 * `no-cache`: a browser or proxy may keep the answer but asks each time, and an unchanged answer
 * costs a 304 without a body. The answer depends on the session (row-level security shows a
 * member's private league), so it varies on `Cookie`, and is `private` when signed in.
 */
export const httpCachePlugin = fp(async (app: FastifyInstance) => {
  app.addHook('onSend', async (request, reply, payload) => {
    if (
      request.routeOptions.config.revalidate !== true ||
      request.method !== 'GET' ||
      reply.statusCode !== 200 ||
      (typeof payload !== 'string' && !Buffer.isBuffer(payload))
    ) {
      return payload;
    }
    // A paged read's next-page `Link` is part of the answer: the same rows with a page now
    // after them (a league created since) must not be a 304 that keeps the old header.
    const link = reply.getHeader('link');
    const etag = bodyETag(link === undefined ? payload : `${String(link)}\n${String(payload)}`);
    reply.header('etag', etag);
    reply.header('cache-control', request.user ? 'private, no-cache' : 'public, no-cache');
    varyOnCookie(reply);
    if (!noneMatchHits(request.headers['if-none-match'], etag)) return payload;
    reply.code(304);
    return null;
  });
});
