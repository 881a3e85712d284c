import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Config } from '../config';
import { backupRunsRepository } from '../backup/backup-runs.repository';
import type { Database } from '../db/database';
import { NOT_SHED } from './overload';
import { HttpProblem, notFound } from './problem';
import { sameToken } from './tokens';

/** Addresses of this machine, as the socket reports them (IPv4, IPv6, IPv4-mapped IPv6). */
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * Prometheus metrics at `/metrics`: process defaults, request durations by route, the
 * database connections (in use, idle, waiting for one, waits that timed out), and the backups. They tell
 * an attacker a lot (routes, load, memory), so they are not public: with `METRICS_TOKEN` the
 * scraper sends it as `Authorization: Bearer <token>`; without it only clients on this machine
 * may read them outside production (the socket's address, never X-Forwarded-For), and nobody in
 * production (404), where a reverse proxy on the same machine makes every client look local.
 */
export const metricsPlugin = fp(
  async (app: FastifyInstance, { config, db }: { config: Config; db: Database }) => {
    const { token, openOnLoopback } = config.metrics;
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
    // Backups (issue #13): read from backup_runs at each scrape, so every replica tells the same
    // outcome whichever one backed up. Absent until there is something to tell.
    const lastSuccess = new Gauge({
      name: 'rally_backup_last_success_timestamp_seconds',
      help: 'When the last successful backup finished (Unix time); absent when none has',
      registers: [registry],
    });
    const lastRunOk = new Gauge({
      name: 'rally_backup_last_run_ok',
      help: 'Whether the last backup succeeded (1) or failed (0); absent when none has run',
      registers: [registry],
    });
    const lastDuration = new Gauge({
      name: 'rally_backup_duration_seconds',
      help: 'How long the last successful backup took, its steps after the dump included',
      registers: [registry],
    });
    new Gauge({
      name: 'rally_backup_scheduled',
      help: 'Whether this instance backs up daily by itself (BACKUP_DIR is set)',
      registers: [registry],
    }).set(config.backup.dir ? 1 : 0);
    for (const gauge of [lastSuccess, lastRunOk, lastDuration]) gauge.remove();
    /** One read of `backup_runs` for the three gauges; kept as they were if it fails or waits. */
    async function readBackups(log: FastifyRequest['log']): Promise<void> {
      // A scrape must not queue behind the requests it measures: with no connection free, the
      // gauges keep their last values.
      const pool = db.poolStats();
      if (pool.waiting > 0 || pool.inUse >= pool.size) return;
      try {
        const outcome = await backupRunsRepository.outcome(db.system);
        if (outcome.lastRunOk === null) lastRunOk.remove();
        else lastRunOk.set(outcome.lastRunOk ? 1 : 0);
        if (outcome.lastSuccessAt === null) {
          lastSuccess.remove();
          lastDuration.remove();
        } else {
          lastSuccess.set(outcome.lastSuccessAt.getTime() / 1000);
          lastDuration.set(outcome.lastSuccessSeconds ?? 0);
        }
      } catch (error) {
        log.warn({ err: error }, 'metrics: backup_runs could not be read');
      }
    }

    const duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route, method and status',
      labelNames: ['method', 'route', 'status'] as const,
      // 0.2: the launch plan's bar, which RallySlowRequests (deploy/prometheus) holds p99 to.
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2.5],
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

    /** Throws the problem that keeps this request from the metrics, if any. */
    function checkAccess(request: FastifyRequest, reply: FastifyReply): void {
      if (token) {
        const sent = request.headers.authorization;
        if (typeof sent !== 'string' || !sameToken(sent, `Bearer ${token}`)) {
          reply.header('www-authenticate', 'Bearer realm="metrics"');
          throw new HttpProblem(
            401,
            'Send the metrics token: Authorization: Bearer <METRICS_TOKEN>.',
          );
        }
      } else if (!openOnLoopback) {
        throw notFound('Metrics are off: set METRICS_TOKEN to serve them.');
      } else if (!LOOPBACK.test(request.socket.remoteAddress ?? '')) {
        throw new HttpProblem(
          403,
          'Without METRICS_TOKEN, metrics answer only clients on this machine.',
        );
      }
    }

    app.get(
      '/metrics',
      { schema: { hide: true }, config: { rateLimit: false, ...NOT_SHED } },
      async (request, reply) => {
        checkAccess(request, reply);
        await readBackups(request.log);
        return reply.type(registry.contentType).send(await registry.metrics());
      },
    );
  },
);
