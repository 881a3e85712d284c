import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { FieldError, Problem } from '../../domain/schemas/problem';
import { PoolTimeoutError } from '../db/pool';
import { HttpProblem, overloaded, statusTitle } from './problem';

/**
 * Seconds a client is asked to wait (`Retry-After`) when no database connection was free in time:
 * long enough for the requests holding them to finish, short enough not to lose the user.
 */
const POOL_RETRY_AFTER_S = 2;

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
    ...(options.errors ? { errors: options.errors } : {}),
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

/**
 * The one error handler: every error leaves as a problem document; no stack trace, SQL text or
 * driver message ever reaches a client. Database data errors become 400, unique violations 409.
 */
export const errorsPlugin = fp(async (app: FastifyInstance) => {
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
      const errors = error.validation.map((v) => {
        const inner = v.instancePath.split('/').filter(Boolean);
        return {
          field: [...(where === 'body' ? [] : [where]), ...inner].join('.') || where,
          message: v.message ?? 'Invalid value',
        };
      });
      return sendProblem(reply, 400, `The ${where} has ${errors.length} invalid field(s).`, {
        errors,
      });
    }
    const state = sqlState(error);
    const mapped = state
      ? fromDatabase(state, (error as { constraint?: unknown }).constraint)
      : undefined;
    if (mapped) {
      request.log.info({ sqlState: state }, 'database refused a write');
      return sendProblem(reply, mapped.status, mapped.detail, { errors: mapped.errors });
    }
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 400 && status < 500) {
      return sendProblem(reply, status, clientMessage(error, status));
    }
    request.log.error({ err: error }, 'request failed');
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
