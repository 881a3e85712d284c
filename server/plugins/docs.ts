import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/** OpenAPI generated from the routes' Zod schemas: `/api/openapi.json`, browsable at `/api/docs`. */
export const docsPlugin = fp(async (app: FastifyInstance) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Rally Connect API',
        version: '0.1.0',
        description:
          'Leagues, teams, schedules, results and ratings for amateur racket sports. Errors are ' +
          'RFC 9457 problem documents. State-changing requests need the `x-csrf-token` header ' +
          '(the value of the `rally_csrf` cookie) and accept an `Idempotency-Key` header.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'rally_session' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  // No staticCSP: the plugin's own policy is weaker than the app's (styles and fonts from any
  // https origin, framing by the same origin); the docs load only their own files, so the app's
  // strict policy from the security plugin serves them too.
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
});
