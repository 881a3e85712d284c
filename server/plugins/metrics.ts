import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Database } from '../db/database';
import { NOT_SHED } from './overload';

/**
 * Prometheus metrics at `/metrics`: process defaults, request durations by route, and the
 * database connections (in use, idle, waiting for one, waits that timed out).
 */
export const metricsPlugin = fp(async (app: FastifyInstance, { db }: { db: Database }) => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'rally_db_pool_connections',
    help: 'Database connections by state (in_use, idle) and the most the pool may open (max)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const pool = db.poolStats();
      this.set({ state: 'in_use' }, pool.inUse);
      this.set({ state: 'idle' }, pool.idle);
      this.set({ state: 'max' }, pool.size);
    },
  });
  new Gauge({
    name: 'rally_db_pool_waiting',
    help: 'Queries and transactions waiting for a database connection',
    registers: [registry],
    collect() {
      this.set(db.poolStats().waiting);
    },
  });
  new Counter({
    name: 'rally_db_pool_timeouts_total',
    help: 'Waits for a database connection that gave up (answered 503)',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(db.poolStats().timeouts);
    },
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route, method and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });

  app.addHook('onResponse', async (request, reply) => {
    duration.observe(
      {
        method: request.method,
        // The route pattern, never the raw URL: ids must not explode the label set.
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });

  app.get(
    '/metrics',
    { schema: { hide: true }, config: { rateLimit: false, ...NOT_SHED } },
    async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()),
  );
});
