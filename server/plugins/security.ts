import type { IncomingMessage, ServerResponse } from 'node:http';
import fastifyHelmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';
import { Redis } from 'ioredis';
import type { Config } from '../config';
import { HttpProblem } from './problem';

/** Helmet's settings: a strict Content-Security-Policy (nothing inline, nothing third-party). */
function helmetOptions(config: Config) {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        manifestSrc: ["'self'"],
        workerSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(config.publicUrl.protocol === 'https:' ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: config.publicUrl.protocol === 'https:',
    crossOriginEmbedderPolicy: false,
  };
}

/**
 * The security headers helmet puts on every answer, for the answers written before any route or
 * hook runs (a URL the router refuses, a request Node's HTTP parser refuses): the same helmet
 * middleware, run once on a stand-in response, so that they cannot drift apart.
 */
export function securityHeaders(config: Config): Record<string, string> {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: unknown) =>
      void headers.set(name.toLowerCase(), String(value)),
    removeHeader: (name: string) => void headers.delete(name.toLowerCase()),
  };
  helmet(helmetOptions(config))(
    {} as IncomingMessage,
    recorder as unknown as ServerResponse,
    () => {},
  );
  return Object.fromEntries(headers);
}

/**
 * Security headers on every answer, and rate limits per client address, kept in Redis when it is
 * configured so that several API instances share one count.
 */
export const securityPlugin = fp(async (app: FastifyInstance, { config }: { config: Config }) => {
  await app.register(fastifyHelmet, helmetOptions(config));

  const redis = config.redisUrl
    ? new Redis(config.redisUrl, {
        connectTimeout: 2000,
        maxRetriesPerRequest: 1,
        // While Redis is down, fail the rate-limit command at once (and skip the limit) rather
        // than queue it and make every request wait for the reconnection.
        enableOfflineQueue: false,
      })
    : undefined;
  if (redis) {
    // Without Redis the limits are skipped (skipOnError), not the requests: say so once per outage.
    let down = false;
    redis.on('error', (error: Error) => {
      if (!down) app.log.warn({ err: error }, 'Redis unreachable: rate limits are not enforced');
      down = true;
    });
    redis.on('ready', () => {
      if (down) app.log.info('Redis reachable again');
      down = false;
    });
    app.addHook('onClose', async () => void (await redis.quit()));
  }

  await app.register(rateLimit, {
    global: true,
    max: config.rateLimits.global,
    timeWindow: '1 minute',
    ...(redis ? { redis, nameSpace: 'rally-rl:' } : {}),
    skipOnError: true,
    errorResponseBuilder: (_request, context) =>
      new HttpProblem(429, `Too many requests. Try again in ${context.after}.`, {
        type: 'urn:rally:problem:rate-limited',
      }),
  });
});
