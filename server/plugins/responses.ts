import { z } from 'zod';
import { Problem } from '#domain/schemas/problem';

/**
 * The problem documents a route can answer with, for its response schema (they document the
 * route in OpenAPI and let the 412's `current` copy through serialization).
 */
export const problemResponses = {
  400: Problem,
  401: Problem,
  403: Problem,
  404: Problem,
  409: Problem,
  410: Problem,
  412: Problem.extend({ current: z.unknown().optional() }),
  422: Problem,
  // The database cannot be reached for the moment (`urn:rally:problem:database-unavailable`), or
  // the server is overloaded (`urn:rally:problem:overloaded`): load shed, or no database
  // connection free in time. Both with Retry-After; any route but the probes can answer it.
  503: Problem,
};
