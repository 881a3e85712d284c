import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ClientConfig } from '#domain/schemas/client-config';
import type { Config } from '../../config';

/** `GET /api/client-config`: the web app's run-time settings (issue #13, decision 0019). */
export const clientConfigRoutes: FastifyPluginAsyncZod<{ config: Config }> = async (
  app,
  { config },
) => {
  const answer: ClientConfig = {
    errorTracking: config.errorTracking
      ? {
          dsn: config.errorTracking.publicDsn,
          environment: config.errorTracking.environment,
          release: config.errorTracking.release,
        }
      : null,
  };
  app.get(
    '/api/client-config',
    {
      schema: {
        tags: ['operations'],
        summary: "The web app's run-time settings: where it reports its errors, if anywhere",
        response: { 200: ClientConfig },
      },
    },
    async (_request, reply) => {
      // Read at every start of the web app: a changed setting applies at the next page load.
      void reply.header('cache-control', 'no-cache');
      return answer;
    },
  );
};
