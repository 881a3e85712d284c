import { z } from 'zod';
import { Problem } from '../../domain/schemas/problem';

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
  // Overloaded (`urn:rally:problem:overloaded`, with Retry-After): load shed, or no database
  // connection free in time. Any route but the probes can answer it.
  503: Problem,
};
