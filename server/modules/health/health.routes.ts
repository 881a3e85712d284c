import { sql } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Problem } from '../../../domain/schemas/problem';
import type { Database } from '../../db/database';
import { sendProblem } from '../../plugins/errors';

export const healthRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  app.get(
    '/health',
    {
      config: { rateLimit: false },
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
      config: { rateLimit: false },
      schema: {
        tags: ['operations'],
        summary:
          'Readiness: the database answers, every migration is applied, and the login role cannot get past row-level security',
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
        const problems = await db.loginRoleProblems();
        if (problems.length > 0) {
          request.log.error({ problems }, 'the database login role gets past row-level security');
          // The reasons name roles: the log has them, not the public answer.
          return sendProblem(
            reply,
            503,
            'The database login role can get past row-level security; the server log says why.',
          );
        }
      } catch (error) {
        request.log.error({ err: error }, 'readiness check failed');
        return sendProblem(reply, 503, 'The database does not answer.');
      }
      return { status: 'ready' as const, database: db.kind };
    },
  );
};
