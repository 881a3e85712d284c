import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Problem } from '#domain/schemas/problem';
import type { Database } from '../../db/database';
import { healthRepository } from './health.repository';
import { sendProblem } from '../../plugins/errors';
import { NOT_SHED } from '../../plugins/overload';

/**
 * How long `/ready` waits for the database: a probe must answer in time even when the database
 * hangs (a network partition, a full pool), or the orchestrator cannot tell down from slow.
 */
const READY_TIMEOUT_MS = 2_000;
const READY_RETRY_AFTER_S = 5;

/** `check()`'s answer, or an error once `READY_TIMEOUT_MS` has passed without one. */
async function withinReadyTimeout<T>(check: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${READY_TIMEOUT_MS} ms`)),
      READY_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([check(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Where the process is in its life: `draining` from SIGTERM on, while it stops (server/main.ts). */
export interface Lifecycle {
  draining: boolean;
}

export const healthRoutes: FastifyPluginAsyncZod<{ db: Database; lifecycle: Lifecycle }> = async (
  app,
  { db, lifecycle },
) => {
  app.get(
    '/health',
    {
      // Never shed: a liveness probe failing under load would get a busy, healthy process killed.
      config: { rateLimit: false, ...NOT_SHED },
      schema: {
        tags: ['operations'],
        summary: 'Liveness: the process is up (does not touch the database)',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      // Never shed either: under load every instance would turn unready at once, and the load
      // balancer would have nowhere to send anyone. Overload is answered per request instead.
      config: { rateLimit: false, ...NOT_SHED },
      schema: {
        tags: ['operations'],
        summary:
          'Readiness: not shutting down, the database answers, every migration is applied, and the login role cannot get past row-level security',
        response: {
          200: z.object({ status: z.literal('ready'), database: z.enum(['embedded', 'postgres']) }),
          503: Problem,
        },
      },
    },
    async (request, reply) => {
      // Stopping: the load balancer must send new requests elsewhere while these still finish.
      if (lifecycle.draining) {
        reply.header('retry-after', String(READY_RETRY_AFTER_S));
        return sendProblem(reply, 503, 'The server is shutting down.');
      }
      let pending: string[];
      let problems: string[];
      try {
        ({ pending, problems } = await withinReadyTimeout(async () => {
          // As a request would: a database where the app role cannot be used serves nobody.
          await db.withUser(null, (tx) => healthRepository.ping(tx));
          const pending = await db.pendingMigrations();
          return { pending, problems: pending.length > 0 ? [] : await db.loginRoleProblems() };
        }));
      } catch (error) {
        // A warning: while the database is away every probe fails, and the 503 says so.
        request.log.warn(
          { err: { message: (error as Error).message, code: (error as { code?: unknown }).code } },
          'readiness check failed',
        );
        reply.header('retry-after', String(READY_RETRY_AFTER_S));
        return sendProblem(reply, 503, 'The database does not answer.');
      }
      if (pending.length > 0) {
        return sendProblem(reply, 503, `Migrations not applied: ${pending.join(', ')}.`);
      }
      if (problems.length > 0) {
        request.log.error({ problems }, 'the database login role gets past row-level security');
        // The reasons name roles: the log has them, not the public answer.
        return sendProblem(
          reply,
          503,
          'The database login role can get past row-level security; the server log says why.',
        );
      }
      return { status: 'ready' as const, database: db.kind };
    },
  );
};
