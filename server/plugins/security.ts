import { once } from 'node:events';
import { PROBLEM_TYPES } from '#domain/schemas/problem';
import type { IncomingMessage, ServerResponse } from 'node:http';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';
import { Redis } from 'ioredis';
import type { Config } from '../config';
import { HttpProblem } from './problem';
import { redisWithLocalFallback } from './rate-limit-store';

/**
 * Helmet's settings: a strict Content-Security-Policy (nothing inline, nothing third-party but
 * the error tracker's origin, which the web app sends its reports to when `SENTRY_DSN` is set).
 */
function helmetOptions(config: Config) {
  const errorReports = config.errorTracking ? [new URL(config.errorTracking.dsn).origin] : [];
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'", ...errorReports],
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
 * The security headers helmet gives: helmet's middleware run once on a stand-in response. Every
 * answer carries them, those written before any route or hook runs (a URL the router refuses, a
 * request Node's HTTP parser refuses) too, so that they cannot drift apart.
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
 * Security headers (`headers`, from `securityHeaders`: a strict Content-Security-Policy, nothing
 * inline, nothing third-party) on every answer, and rate limits per client address, kept in Redis
 * when it is configured so that several API instances share one count. The limits are checked
 * before anything else of a request (before the session look-up); routes with
 * `config: { rateLimit: false }` are not limited.
 */
export const securityPlugin = fp(
  async (
    app: FastifyInstance,
    { config, headers }: { config: Config; headers: Record<string, string> },
  ) => {
    // Helmet's headers, computed once at start (by the caller, which also needs them for the
    // answers written before any hook runs). @fastify/helmet, used before, ran helmet's whole
    // set-up again on every request: about 1.5 % of the server's CPU on a browsing request
    // (issue #12, decision 0010).
    const entries = Object.entries(headers);
    app.addHook('onRequest', async (_request, reply) => {
      for (const [name, value] of entries) reply.raw.setHeader(name, value);
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
      // Count in Redis from the first request: wait for the connection (briefly; an error, such as
      // Redis being down at start, ends the wait at once and the count starts in memory).
      await once(redis, 'ready', { signal: AbortSignal.timeout(2000) }).catch(() => {});
    }

    const signInRoute = (request: FastifyRequest) =>
      request.routeOptions.config.signInLimit === true;
    await app.register(rateLimit, {
      // No route-level hooks: those run after every app-level onRequest hook, the session look-up
      // included, so a limited client would still cost a database round trip. The one hook below
      // is app-level and registered before the session plugin, so it runs first.
      global: false,
      // One count per client address across the API, and one across the sign-in routes
      // (login, callback, demo), so that a client cannot multiply its sign-in budget by route.
      keyGenerator: (request) =>
        `${signInRoute(request) ? 'sign-in:' : ''}${normalizeIP(request.ip)}`,
      max: (request) => (signInRoute(request) ? config.rateLimits.auth : config.rateLimits.global),
      timeWindow: '1 minute',
      ...(redis ? { store: redisWithLocalFallback(redis, 'rally-rl:') } : {}),
      errorResponseBuilder: (_request, context) =>
        new HttpProblem(429, `Too many requests. Try again in ${context.after}.`, {
          type: PROBLEM_TYPES.rateLimited,
        }),
    });
    const limit = app.rateLimit();
    // The first async step of every request, run as soon as its headers are parsed: the client's
    // socket, and so its address, are still there. Run later (after the session look-up, as
    // route-level hooks were), a client that had gone meanwhile left no address and the key
    // generator threw a TypeError, logged as an error (issue #10).
    app.addHook('onRequest', async function (request, reply) {
      if (request.routeOptions.config.rateLimit === false) return;
      return limit.call(this, request, reply);
    });
  },
);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A sign-in route: counted with the others in one sign-in limit per client. */
    signInLimit?: boolean;
  }
}
