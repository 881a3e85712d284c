import type { FastifyRequest } from 'fastify';
import { badRequest } from './problem';

/** Whether the route's schema declares the `If-Match` header (which puts it in the document). */
function declaresIfMatch(request: FastifyRequest): boolean {
  const headers = request.routeOptions.schema?.headers as { shape?: object } | undefined;
  return headers?.shape !== undefined && 'if-match' in headers.shape;
}

/**
 * `If-Match: "3"` (or `3`, or a weak `W/"3"`) as the row version the client edited; absent:
 * undefined (the write is unconditional). The route declares the header in its schema, so the
 * OpenAPI document says it takes it (and may answer 412): one that does not is a programming
 * error, which fails its tests and the fuzzer with a 500.
 */
export function parseIfMatch(request: FastifyRequest): number | undefined {
  if (!declaresIfMatch(request)) {
    throw new Error(
      `${request.routeOptions.method} ${request.routeOptions.url} reads If-Match without ` +
        'declaring it in schema.headers, so the OpenAPI document does not say it takes it.',
    );
  }
  const header = request.headers['if-match'];
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
  if (!match?.[1]) {
    throw badRequest('If-Match must be the version you last saw, e.g. "3".', [
      { field: 'If-Match', message: 'Not a version' },
    ]);
  }
  return Number(match[1]);
}
