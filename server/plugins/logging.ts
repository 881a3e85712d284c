import type { FastifyRequest } from 'fastify';

/**
 * A path segment that is a credential: the token of an invitation (the API's and the web page's
 * `/invites/<token>`) or of a calendar feed (`/api/calendar/<token>.ics`). Matched anywhere in the
 * path, so that `//invites/…` or a prefix does not slip past.
 */
const SECRET_SEGMENT = /(^|\/)(invites|calendar)\/[^/]+/gi;

/** The sign-in callback's query carries the authorization code and state. */
const CALLBACK = /\/auth\/callback(\/|$)/i;

/**
 * The request's URL as the logs may keep it: percent-decoded first (the router decodes
 * `/%61pi/...` and `/%69nvites/...` too, so redacting the raw text would miss them), then every
 * secret segment replaced by `<token>`; the query is dropped where the path carried a secret or is
 * the sign-in callback. A path that cannot be decoded is not logged at all (issue #10).
 */
export function loggableUrl(url: string): string {
  const at = url.indexOf('?');
  const rawPath = at === -1 ? url : url.slice(0, at);
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return '<undecodable path>';
  }
  const redacted = path.replace(SECRET_SEGMENT, '$1$2/<token>');
  const keepQuery = at !== -1 && redacted === path && !CALLBACK.test(path);
  return keepQuery ? redacted + url.slice(at) : redacted;
}

/** Pino's `req` serializer: method, the URL without secrets, and the client address. */
export function serializeRequest(request: FastifyRequest): Record<string, unknown> {
  return { method: request.method, url: loggableUrl(request.url), remoteAddress: request.ip };
}
