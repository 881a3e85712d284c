import { sql } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Problem } from '../../../domain/schemas/problem';
import type { Database } from '../../db/database';
import { sendProblem } from '../../plugins/errors';
import { NOT_SHED } from '../../plugins/overload';

export const healthRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
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
        summary: 'Readiness: the database answers and every migration is applied',
        response: {
          200: z.object({ status: z.literal('ready'), database: z.enum(['embedded', 'postgres']) }),
          503: Problem,
        },
      },
    },
    async (request, reply) => {
      try {
        // As a request would: a database where the app role cannot be used serves nobody.
        await db.withUser(null, (tx) => sql`select 1`.execute(tx));
        const pending = await db.pendingMigrations();
        if (pending.length > 0) {
          return sendProblem(reply, 503, `Migrations not applied: ${pending.join(', ')}.`);
        }
      } catch (error) {
        request.log.error({ err: error }, 'readiness check failed');
        return sendProblem(reply, 503, 'The database does not answer.');
      }
      return { status: 'ready' as const, database: db.kind };
    },
  );
};
