import { type FieldError, PROBLEM_TYPES } from '#domain/schemas/problem';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The title RFC 9110 gives a status. */
export function statusTitle(status: number): string {
  return TITLES[status] ?? (status < 500 ? 'Bad Request' : 'Internal Server Error');
}

/**
 * An error that becomes an RFC 9457 problem document. Services throw it; the error plugin is the
 * one place that turns it into a response. `extra` members are added to the body (e.g. `current`
 * on a 412, so the client can merge).
 */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly options: {
      type?: string;
      errors?: FieldError[];
      extra?: Record<string, unknown>;
      /** Seconds, sent as the `Retry-After` header (503, 429). */
      retryAfter?: number;
    } = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }
}

export const badRequest = (detail: string, errors?: FieldError[]) =>
  new HttpProblem(400, detail, { errors });
export const unauthorized = (detail = 'Sign in to continue.') => new HttpProblem(401, detail);
export const forbidden = (detail: string) => new HttpProblem(403, detail);
export const notFound = (detail: string) => new HttpProblem(404, detail);
export const conflict = (detail: string) => new HttpProblem(409, detail);

/** The problem type of every 503 that asks the client to come back later (load shed, pool full). */
export const OVERLOADED = PROBLEM_TYPES.overloaded;

/** A 503 asking the client to try again in `retryAfter` seconds. */
export const overloaded = (detail: string, retryAfter: number) =>
  new HttpProblem(503, detail, { type: OVERLOADED, retryAfter });
