import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';
import type { Config } from '../config';
import { HttpProblem } from './problem';
import { redisWithLocalFallback } from './rate-limit-store';

/**
 * Security headers (a strict Content-Security-Policy: nothing inline, nothing third-party) and
 * rate limits per client address, kept in Redis when it is configured so that several API
 * instances share one count, and in memory while Redis is unreachable.
 */
export const securityPlugin = fp(async (app: FastifyInstance, { config }: { config: Config }) => {
  await app.register(helmet, {
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
  });

  const redis = config.redisUrl
    ? new Redis(config.redisUrl, {
        connectTimeout: 2000,
        maxRetriesPerRequest: 1,
        // While Redis is down, fail the rate-limit command at once (and count in memory) rather
        // than queue it and make every request wait for the reconnection.
        enableOfflineQueue: false,
      })
    : undefined;
  if (redis) {
    // Without Redis each instance counts on its own (redisWithLocalFallback): say so once per outage.
    let down = false;
    redis.on('error', (error: Error) => {
      if (!down) {
        app.log.warn(
          { err: { message: error.message, code: (error as { code?: unknown }).code } },
          'Redis unreachable: rate limits are counted per instance',
        );
      }
      down = true;
    });
    redis.on('ready', () => {
      if (down) app.log.info('Redis reachable again: rate limits are shared again');
      down = false;
    });
    app.addHook('onClose', async () => void (await redis.quit()));
  }

  await app.register(rateLimit, {
    global: true,
    max: config.rateLimits.global,
    timeWindow: '1 minute',
    ...(redis ? { store: redisWithLocalFallback(redis, 'rally-rl:') } : {}),
    errorResponseBuilder: (_request, context) =>
      new HttpProblem(429, `Too many requests. Try again in ${context.after}.`, {
        type: 'urn:rally:problem:rate-limited',
      }),
  });
});
