import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { sendProblem } from './errors';

/**
 * Serves the built single-page app from `webDir`: hashed assets cached for a year, `index.html`
 * never cached, and any other GET that accepts HTML answered with `index.html` so that deep links
 * work. API paths, and everything when the app is not built, get a JSON 404 problem.
 */
export const webPlugin = fp(async (app: FastifyInstance, { webDir }: { webDir: string }) => {
  const built = existsSync(path.join(webDir, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root: webDir,
      wildcard: false,
      index: false,
      setHeaders(reply, filePath) {
        const immutable = filePath.includes(`${path.sep}assets${path.sep}`);
        reply.header(
          'cache-control',
          immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  } else {
    app.log.warn({ webDir }, 'web app not built (run `npm run build`): serving the API only');
  }
  app.setNotFoundHandler((request, reply) => {
    const api = /^\/(api|metrics|health|ready)(\/|$|\?)/.test(request.url);
    const page = request.method === 'GET' && (request.headers.accept ?? '').includes('text/html');
    if (built && !api && page) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return sendProblem(reply, 404, `No route for ${request.method} ${request.url.split('?')[0]}.`);
  });
});
