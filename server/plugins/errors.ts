import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { type FieldError, type Problem, PROBLEM_TYPES } from '#domain/schemas/problem';
import { PoolTimeoutError } from '../db/pool';
import type { ErrorTracker } from './error-tracking';
import { HttpProblem, overloaded, statusTitle } from './problem';

/**
 * Seconds a client is asked to wait (`Retry-After`) when no database connection was free in time:
 * long enough for the requests holding them to finish, short enough not to lose the user.
 */
const POOL_RETRY_AFTER_S = 2;

/** Most invalid fields a 400 problem lists (its `detail` says how many there were in all). */
export const MAX_FIELD_ERRORS = 20;

/** Sends a problem document (RFC 9457). */
export function sendProblem(
  reply: FastifyReply,
  status: number,
  detail: string,
  options: {
    type?: string;
    errors?: FieldError[];
    extra?: Record<string, unknown>;
    retryAfter?: number;
  } = {},
): FastifyReply {
  const body: Problem & Record<string, unknown> = {
    type: options.type ?? 'about:blank',
    title: statusTitle(status),
    status,
    detail,
    instance: reply.request.url.split('?')[0],
    ...(options.errors ? { errors: options.errors.slice(0, MAX_FIELD_ERRORS) } : {}),
    ...options.extra,
  };
  if (options.retryAfter !== undefined) reply.header('retry-after', String(options.retryAfter));
  return reply.code(status).type('application/problem+json').send(body);
}

/** A PostgreSQL error as both drivers report it: a five-character SQLSTATE in `code`. */
function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** Unique constraints people run into, in their words, with the field to show it at. */
const UNIQUE_NAMES: Record<string, { detail: string; field: string }> = {
  teams_division_name: {
    detail: 'A team with this name is already in this division.',
    field: 'name',
  },
  seasons_league_id_name_key: {
    detail: 'This league already has a season with this name.',
    field: 'name',
  },
  match_results_pkey: {
    detail:
      'A result was entered for this match a moment ago: reload it, then confirm or dispute it.',
    field: 'lines',
  },
  venues_league_id_name_key: {
    detail: 'This league already has a venue with this name.',
    field: 'name',
  },
  divisions_season_id_name_key: {
    detail: 'This season already has a division with this name.',
    field: 'name',
  },
};

function fromDatabase(
  state: string,
  constraint: unknown,
): { status: number; detail: string; errors?: FieldError[] } | undefined {
  // Class 22: data exceptions (a NUL byte, an out-of-range number, a malformed date ...).
  if (state.startsWith('22')) return { status: 400, detail: 'A value is not valid for its field.' };
  if (state === '23505') {
    const known = typeof constraint === 'string' ? UNIQUE_NAMES[constraint] : undefined;
    return known
      ? {
          status: 409,
          detail: known.detail,
          errors: [{ field: known.field, message: known.detail }],
        }
      : { status: 409, detail: 'This already exists.' };
  }
  if (state === '23503')
    return { status: 409, detail: 'This refers to something that does not exist.' };
  if (state === '23514' || state === '23502') {
    return { status: 400, detail: 'A value breaks a rule of its field.' };
  }
  if (state === '42501') return { status: 403, detail: 'You are not allowed to do this.' };
  if (state === '40001' || state === '40P01') {
    return { status: 409, detail: 'Another change happened at the same time; try again.' };
  }
  return undefined;
}

/** Seconds a client is asked to wait (`Retry-After`) when the database cannot be reached. */
const DATABASE_RETRY_AFTER_S = 5;

/** Socket errors of a connection to the database that broke or could not be made. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);

/**
 * An error that says the database is out of reach (restarting, failing over, the network cut),
 * not that the request is wrong: SQLSTATE class 08 (connection exception), 57P01–57P03 (the
 * server shut down or is starting), a socket error, or `pg`'s words for a broken connection.
 */
function databaseUnavailable(error: unknown): boolean {
  const state = sqlState(error);
  if (state) return state.startsWith('08') || /^57P0[1-3]$/.test(state);
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  const message = error instanceof Error ? error.message : '';
  return /^Connection terminated|is not queryable$/.test(message);
}

/** Where the unexpected failures are reported besides the log: nowhere without `SENTRY_DSN`. */
interface ErrorsOptions {
  errorTracker: ErrorTracker | undefined;
}

/**
 * The one error handler: every error leaves as a problem document; no stack trace, SQL text or
 * driver message ever reaches a client. Database data errors become 400, unique violations 409.
 * Only the unexpected failures (500) go to the error tracker too: a client's mistake (4xx), an
 * overload or a database that is restarting (503) is expected, not a bug to look into.
 */
export const errorsPlugin = fp(async (app: FastifyInstance, { errorTracker }: ErrorsOptions) => {
  // Expected under overload: one warning per stretch of them, with their count, not one per request.
  let poolTimeouts = 0;
  let lastPoolWarning = 0;
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof HttpProblem) {
      return sendProblem(reply, error.status, error.detail, error.options);
    }
    if (error instanceof PoolTimeoutError) {
      poolTimeouts++;
      if (Date.now() - lastPoolWarning >= 10_000) {
        request.log.warn(
          { waitedMs: error.waitedMs, count: poolTimeouts },
          'no database connection free in time',
        );
        lastPoolWarning = Date.now();
        poolTimeouts = 0;
      }
      const problem = overloaded(
        'The server is busy: no database connection was free in time. Try again shortly.',
        POOL_RETRY_AFTER_S,
      );
      return sendProblem(reply, problem.status, problem.detail, problem.options);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'body';
      const total = error.validation.length;
      // A bounded answer whatever the request: the first fields, and how many there were in all.
      const errors = error.validation.slice(0, MAX_FIELD_ERRORS).map((v) => {
        const inner = v.instancePath.split('/').filter(Boolean);
        return {
          field: [...(where === 'body' ? [] : [where]), ...inner].join('.') || where,
          message: v.message ?? 'Invalid value',
        };
      });
      const detail =
        total > errors.length
          ? `The ${where} has ${total} invalid fields; the first ${errors.length} are listed.`
          : `The ${where} has ${total} invalid field(s).`;
      return sendProblem(reply, 400, detail, { errors });
    }
    const state = sqlState(error);
    const mapped = state
      ? fromDatabase(state, (error as { constraint?: unknown }).constraint)
      : undefined;
    if (mapped) {
      request.log.info({ sqlState: state }, 'database refused a write');
      return sendProblem(reply, mapped.status, mapped.detail, { errors: mapped.errors });
    }
    if (databaseUnavailable(error)) {
      // Expected while the database restarts or fails over: one warning per request, no stack.
      request.log.warn(
        { err: { message: error.message, code: error.code } },
        'database unavailable',
      );
      reply.header('retry-after', String(DATABASE_RETRY_AFTER_S));
      return sendProblem(
        reply,
        503,
        'The database cannot be reached at the moment. Try again in a few seconds.',
        { type: PROBLEM_TYPES.databaseUnavailable },
      );
    }
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 400 && status < 500) {
      return sendProblem(reply, status, clientMessage(error, status));
    }
    request.log.error({ err: error }, 'request failed');
    errorTracker?.captureRequestError(error, request);
    return sendProblem(reply, 500, 'Something went wrong on our side. It has been logged.');
  });
});

/** Fastify's own 4xx errors have safe messages; give them plain words. */
function clientMessage(error: FastifyError, status: number): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'The request body is larger than 1 MiB.';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Send JSON with content-type application/json.';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'The JSON body is empty.';
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'The body is not valid JSON.';
    default:
      if (error instanceof SyntaxError) return 'The body is not valid JSON.';
      return status === 429 ? error.message : statusTitle(status) + '.';
  }
}

/** Problem documents of the answers written before any route runs: they echo nothing back. */
function bareProblem(status: number, detail: string): string {
  return JSON.stringify({ type: 'about:blank', title: statusTitle(status), status, detail });
}

const FRAMEWORK_DETAILS: Record<string, { status: number; detail: string }> = {
  FST_ERR_BAD_URL: { status: 400, detail: 'The URL has a malformed percent-encoding.' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, detail: 'A part of the URL is too long.' },
};

/**
 * Fastify's `frameworkErrors`: a URL the router refuses (a bad percent-encoding, a path parameter
 * over the maximum length) before any route or hook runs. The answer is a problem document with
 * the security headers and the request id that hooks give every other answer (issue #10).
 */
export function frameworkErrorHandler(headers: Record<string, string>) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const known = FRAMEWORK_DETAILS[error.code];
    const status = known?.status ?? 400;
    // The code only: the error's message quotes the URL, which may carry a token.
    request.log.info({ code: error.code, status }, 'request refused by the router');
    void reply
      .headers(headers)
      .header('x-request-id', request.id)
      .code(status)
      .type('application/problem+json')
      .send(bareProblem(status, known?.detail ?? 'The URL cannot be routed.'));
  };
}

const CLIENT_ERRORS: Record<string, { status: number; detail: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    detail: 'The request did not arrive in time; send it again.',
  },
  HPE_HEADER_OVERFLOW: { status: 431, detail: 'The URL and headers are too large.' },
};

/**
 * Fastify's `clientErrorHandler`, for a request Node's HTTP parser refuses or times out: no
 * Fastify reply exists, so the answer is written on the socket, with the same problem document,
 * security headers and request id as any other answer, and the connection is closed.
 */
export function clientErrorHandler(headers: Record<string, string>) {
  return function (this: FastifyInstance, error: Error & { code?: string }, socket: Duplex): void {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const known = error.code ? CLIENT_ERRORS[error.code] : undefined;
    const status = known?.status ?? 400;
    const id = randomUUID();
    // The code only: the error carries the raw bytes received, URL and cookies included.
    this.log.info({ code: error.code, status, reqId: id }, 'request refused by the HTTP parser');
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const body = bareProblem(status, known?.detail ?? 'The request is not valid HTTP.');
    const head = [
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? statusTitle(status)}`,
      'content-type: application/problem+json; charset=utf-8',
      `content-length: ${Buffer.byteLength(body)}`,
      'connection: close',
      `x-request-id: ${id}`,
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    ];
    socket.end(`${head.join('\r\n')}\r\n\r\n${body}`, () => socket.destroy());
  };
}
