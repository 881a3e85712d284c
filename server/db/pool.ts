/**
 * How busy the database connections are, on either database: for `/metrics`, load shedding and
 * the load benchmark. On embedded PGlite there is one connection, handed out in turn.
 */
export interface PoolStats {
  /** Connections the pool may open (1 on embedded PGlite). */
  size: number;
  /** Connections lent to a query or transaction right now. */
  inUse: number;
  /** Connections open and free. */
  idle: number;
  /** Queries and transactions waiting for a connection. */
  waiting: number;
  /** Waits for a connection that gave up (`PoolTimeoutError`) since the database was opened. */
  timeouts: number;
}

/**
 * No connection was free within the configured bound (`DATABASE_POOL_TIMEOUT_MS`): every one is
 * held by other requests, or a new one could not be opened in time. The request is answered 503
 * with `Retry-After` (server/plugins/errors.ts) instead of waiting without end.
 */
export class PoolTimeoutError extends Error {
  override name = 'PoolTimeoutError';
  constructor(
    readonly waitedMs: number,
    options?: { cause?: unknown },
  ) {
    super(`No database connection was free within ${waitedMs} ms.`, options);
  }
}

/**
 * node-postgres's errors for "no connection within `connectionTimeoutMillis`": the wait for a
 * pooled client, and the opening of a new one (pg-pool, pg's client). Both have no code, only
 * these messages.
 */
const PG_TIMEOUTS = new Set([
  'timeout exceeded when trying to connect',
  'Connection terminated due to connection timeout',
]);

/** The error as a `PoolTimeoutError` if it is one of node-postgres's connection timeouts. */
export function asPoolTimeout(error: unknown, waitedMs: number): PoolTimeoutError | undefined {
  if (error instanceof PoolTimeoutError) return error;
  if (error instanceof Error && PG_TIMEOUTS.has(error.message)) {
    return new PoolTimeoutError(waitedMs, { cause: error });
  }
  return undefined;
}
