import { Problem } from '#domain/schemas/problem';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const CSRF_COOKIE = 'rally_csrf';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiFetchOptions {
  method?: HttpMethod;
  body?: unknown;
  /** The version the client last saw; sent as `If-Match: "<version>"` so a stale write gets 412. */
  ifMatch?: number | string;
  /**
   * One key per logical write: a retry of the same write must pass the same key so the server can
   * answer it from its idempotency store instead of writing twice. Generated when omitted.
   */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/**
 * A non-2xx answer of the API, with its RFC 9457 problem document and the server's request id
 * (`x-request-id`, in the server's log lines), which error messages show so support can find it.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem & Record<string, unknown>;
  readonly requestId: string | undefined;

  constructor(status: number, problem: Problem & Record<string, unknown>, requestId?: string) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.requestId = requestId;
  }
}

export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}

/** Reads one cookie from a `document.cookie` string. */
export function readCookie(cookieHeader: string, name: string): string | null {
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) {
      const raw = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
  }
  return null;
}

/** A v4 UUID; `crypto.randomUUID` only exists in secure contexts, so fall back to random bytes. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Turns any error body into a problem document, so callers always have a title and detail to show
 * even when a proxy answers with HTML or nothing at all.
 */
export function toProblem(
  status: number,
  statusText: string,
  body: unknown,
): Problem & Record<string, unknown> {
  const parsed = Problem.safeParse(body);
  if (parsed.success) return { ...(body as Record<string, unknown>), ...parsed.data };
  return {
    type: 'about:blank',
    title: statusText || `HTTP ${status}`,
    status,
    detail:
      status >= 500
        ? 'The server had a problem. Please try again in a moment.'
        : statusText || `HTTP ${status}`,
  };
}

/**
 * The `rel="next"` target of an RFC 8288 `Link` header (`<…>; rel="next"`, among other links or
 * relation types), or null when there is none: the address of a paged list's next page.
 */
export function nextLink(header: string | null | undefined): string | null {
  if (!header) return null;
  // Each link is `<target>` then `;`-separated parameters, whose values may be quoted strings
  // holding `,` or `;`; links are separated by `,`.
  const param = String.raw`\s*;\s*([^;,=\s]+)\s*(?:=\s*("(?:[^"\\]|\\.)*"|[^;,\s]*))?`;
  for (const link of header.matchAll(new RegExp(String.raw`<([^>]*)>((?:${param})*)`, 'g'))) {
    for (const [, name, value = ''] of (link[2] ?? '').matchAll(new RegExp(param, 'g'))) {
      if (name?.toLowerCase() !== 'rel') continue;
      const rels = value.replace(/^"|"$/g, '').trim().toLowerCase().split(/\s+/);
      if (rels.includes('next')) return link[1] ?? null;
    }
  }
  return null;
}

/** One page of a paged list: the body, and the next page's address from the `Link` header. */
export interface ApiPage<T> {
  body: T;
  next: string | null;
}

/**
 * `apiFetch` for a paged list (`GET /api/leagues`): also resolves with the `Link` header's
 * `rel="next"` address, to pass to the next call as it is.
 */
export async function apiFetchPage<T>(
  path: string,
  options: ApiFetchOptions = {},
): Promise<ApiPage<T>> {
  const { body, response } = await send(path, options);
  return { body: body as T, next: nextLink(response.headers.get('link')) };
}

/**
 * Calls the Rally Connect API with the session cookie. Writes carry the CSRF token (read from the
 * `rally_csrf` cookie at send time, because it rotates at sign-in) and an `Idempotency-Key`.
 * Resolves with the parsed JSON body (`undefined` for 204); rejects with `ApiError` on non-2xx and
 * with the browser's `TypeError` when the network is unreachable.
 */
export async function apiFetch<T>(path: string, options: ApiFetchOptions = {}): Promise<T> {
  return (await send(path, options)).body as T;
}

/** `apiFetch`'s request: the parsed body and the response it came in. */
async function send(
  path: string,
  options: ApiFetchOptions,
): Promise<{ body: unknown; response: Response }> {
  const method = options.method ?? 'GET';
  const headers = new Headers({ accept: 'application/json, application/problem+json' });
  if (options.body !== undefined) headers.set('content-type', 'application/json');
  if (WRITE_METHODS.has(method)) {
    const csrf = readCookie(document.cookie, CSRF_COOKIE);
    if (csrf) headers.set('x-csrf-token', csrf);
    headers.set('idempotency-key', options.idempotencyKey ?? newIdempotencyKey());
  }
  if (options.ifMatch !== undefined) headers.set('if-match', `"${options.ifMatch}"`);

  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });

  const text = response.status === 204 ? '' : await response.text();
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  if (!response.ok) {
    throw new ApiError(
      response.status,
      toProblem(response.status, response.statusText, body),
      response.headers.get('x-request-id') ?? undefined,
    );
  }
  return { body, response };
}
