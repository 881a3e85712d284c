import type {
  FastifyRateLimitStore,
  FastifyRateLimitStoreCtor,
  RateLimitPluginOptions,
} from '@fastify/rate-limit';
import LocalStore from '@fastify/rate-limit/store/LocalStore.js';
import RedisStore from '@fastify/rate-limit/store/RedisStore.js';
import type { Redis } from 'ioredis';

type Child = Parameters<FastifyRateLimitStore['child']>[0];

/** Counts in `shared`; whenever it fails, in `local` instead. */
class FallbackStore implements FastifyRateLimitStore {
  constructor(
    private readonly shared: FastifyRateLimitStore,
    private readonly local: FastifyRateLimitStore,
  ) {}

  incr(...[key, callback, timeWindow, max]: Parameters<FastifyRateLimitStore['incr']>): void {
    this.shared.incr(
      key,
      (error, result) => {
        if (error) this.local.incr(key, callback, timeWindow, max);
        else callback(null, result);
      },
      timeWindow,
      max,
    );
  }

  child(routeOptions: Child): FastifyRateLimitStore {
    return new FallbackStore(this.shared.child(routeOptions), this.local.child(routeOptions));
  }
}

/**
 * A rate-limit store that counts in Redis, so that every instance shares one count, and in this
 * process's memory while Redis fails (it is down, or the connection is not ready): an outage
 * loosens the limits to per instance rather than lifting them. @fastify/rate-limit has no such
 * fallback of its own; both halves are its own stores.
 */
export function redisWithLocalFallback(redis: Redis, nameSpace: string): FastifyRateLimitStoreCtor {
  return class extends FallbackStore {
    // The plugin passes its settings, merged with its defaults.
    constructor(
      options: Pick<RateLimitPluginOptions, 'continueExceeding' | 'exponentialBackoff' | 'cache'>,
    ) {
      super(
        new RedisStore(options.continueExceeding, options.exponentialBackoff, redis, nameSpace),
        new LocalStore(options.continueExceeding, options.exponentialBackoff, options.cache),
      );
    }
  };
}
