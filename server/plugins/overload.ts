import { getHeapStatistics } from 'node:v8';
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config';
import type { Database } from '../db/database';
import { overloaded } from './problem';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Asked first when the server is under pressure; nothing returned lets the request in. */
    pressureHandler?: (request: FastifyRequest, reply: FastifyReply) => undefined;
  }
}

/** Seconds a shed client is asked to wait (`Retry-After`): a sample or two of the checks below. */
const SHED_RETRY_AFTER_S = 5;

/** How often the event loop, the heap and the database queue are looked at. */
const SAMPLE_INTERVAL_MS = 500;

/** At most one "shedding load" warning in this time, with the count of shed requests. */
const LOG_EVERY_MS = 10_000;

/**
 * The route option that keeps a route answering under pressure (`config: NOT_SHED`): under
 * pressure, the pressure handler of a route is asked first, and one that returns nothing lets the
 * request through.
 */
export const NOT_SHED = { pressureHandler: () => undefined };

/**
 * Load shedding (`@fastify/under-pressure`): while the event loop lags, the heap nears its limit
 * or too many requests wait for a database connection, new requests are answered at once with 503
 * `urn:rally:problem:overloaded` and `Retry-After`, instead of queueing without bound behind the
 * ones already in. Registered after the security headers (they are on the 503 too) and before
 * the session look-up (a shed request costs no query). Routes with `config: NOT_SHED` (`/health`,
 * `/ready`, `/metrics`) always answer: a liveness probe that failed under load would get a busy
 * but healthy process killed, and operators need the metrics most when it is busy.
 */
export const overloadPlugin = fp(
  async (app: FastifyInstance, { config, db }: { config: Config; db: Database }) => {
    const { maxEventLoopDelayMs, maxHeapPercent, maxDbWaiting } = config.loadShed;
    // One warning per stretch of shedding, not one per shed request: logging is load too.
    let shed = 0;
    let lastWarning = 0;
    await app.register(underPressure, {
      sampleInterval: SAMPLE_INTERVAL_MS,
      maxEventLoopDelay: maxEventLoopDelayMs,
      maxHeapUsedBytes: Math.floor((getHeapStatistics().heap_size_limit * maxHeapPercent) / 100),
      ...(maxDbWaiting > 0 && {
        healthCheck: async () => db.poolStats().waiting <= maxDbWaiting,
        healthCheckInterval: SAMPLE_INTERVAL_MS,
      }),
      pressureHandler: async (request, _reply, type, value) => {
        shed++;
        if (Date.now() - lastWarning >= LOG_EVERY_MS) {
          request.log.warn({ type, value, shed }, 'overloaded: shedding load');
          lastWarning = Date.now();
          shed = 0;
        }
        throw overloaded('The server is busy. Try again shortly.', SHED_RETRY_AFTER_S);
      },
    });
  },
);
