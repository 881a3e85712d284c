import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import {
  startBackupSchedule,
  type AfterBackup,
  type BackupSchedule,
  type Clock,
} from './backup/schedule';
import { pruneStep, uploadStep } from './backup/storage';
import { ConfigError, type Config } from './config';
import { openDatabase, type Database } from './db/database';
import { purgeExpired } from './db/housekeeping';
import { seedDemo } from './cli/seed';
import { createMailer } from './mail/mailer';
import { authRoutes } from './modules/auth';
import { availabilityRoutes } from './modules/availability';
import { calendarRoutes } from './modules/calendar';
import { healthRoutes, type Lifecycle } from './modules/health';
import { invitesRoutes } from './modules/invites';
import { leaguesRoutes } from './modules/leagues';
import { matchesRoutes } from './modules/matches';
import { meRoutes } from './modules/me';
import { playersRoutes } from './modules/players';
import { proposalsRoutes } from './modules/proposals';
import { ratingsRoutes } from './modules/ratings';
import { confirmDueResults, resultsRoutes } from './modules/results';
import { scheduleRoutes } from './modules/schedule';
import { standingsRoutes } from './modules/standings';
import { teamsRoutes } from './modules/teams';
import { venuesRoutes } from './modules/venues';
import { docsPlugin } from './plugins/docs';
import { startErrorTracking, type ErrorTracker } from './plugins/error-tracking';
import { clientErrorHandler, errorsPlugin, frameworkErrorHandler } from './plugins/errors';
import { httpCachePlugin } from './plugins/http-cache';
import { serializeRequest } from './plugins/logging';
import { metricsPlugin } from './plugins/metrics';
import { clientConfigRoutes } from './modules/client-config';
import { overloadPlugin } from './plugins/overload';
import { securityHeaders, securityPlugin } from './plugins/security';
import { sessionPlugin } from './plugins/session';
import { webPlugin } from './plugins/web';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Database;
    /** Set `draining` on SIGTERM: `/ready` then answers 503 (server/main.ts). */
    lifecycle: Lifecycle;
    /** Reports unexpected failures to Sentry or GlitchTip; undefined without `SENTRY_DSN`. */
    errorTracker: ErrorTracker | undefined;
  }
}

/** How often expired sessions, sign-ins and idempotency keys are deleted. */
const HOUSEKEEPING_INTERVAL_MS = 3600 * 1000;

/** Request bodies above this are refused with 413. */
const BODY_LIMIT = 1024 * 1024;

export interface BuildOptions {
  /** Where the JSON log lines go instead of standard output (tests read them). */
  logStream?: { write(line: string): void };
  /**
   * Whether answers are kept in memory while nothing is written (decisions 0011, 0014; default
   * true). `bench:routes` turns it off to time each route's database work.
   */
  keepAnswers?: boolean;
  /** Called with every route as it is registered: `bench:routes` probes them all. */
  onRoute?: (route: RouteOptions) => void;
  /** The backup schedule's clock, and steps after each backup in place of the app's (tests). */
  backup?: { clock?: Clock; afterBackup?: AfterBackup[] };
}

/**
 * Builds the whole application: database (migrated, and seeded in demo mode), plugins, routes and
 * the web app. Used by `main.ts` and by the tests, which talk to it with `app.inject`. Closing the
 * app closes the database it opened.
 */
export async function buildApp(
  config: Config,
  options: BuildOptions = {},
): Promise<FastifyInstance> {
  const headers = securityHeaders(config);
  const { timeouts } = config;
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]'],
      serializers: { req: serializeRequest },
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    bodyLimit: BODY_LIMIT,
    trustProxy: config.trustProxy,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    routerOptions: { maxParamLength: 200 },
    // Slow clients (issue #10): a request, body included, must arrive within requestMs and its
    // headers within headersMs. Node checks both every connectionsCheckingInterval (30 s unless
    // set), so a check every second (or faster for shorter limits) keeps them close to exact.
    requestTimeout: timeouts.requestMs,
    connectionTimeout: timeouts.idleMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    http: {
      requestTimeout: timeouts.requestMs,
      headersTimeout: timeouts.headersMs,
      connectionsCheckingInterval: Math.max(10, Math.min(1000, timeouts.headersMs / 4)),
    },
    frameworkErrors: frameworkErrorHandler(headers),
    clientErrorHandler: clientErrorHandler(headers),
  }).withTypeProvider<ZodTypeProvider>();
  const { onRoute } = options;
  if (onRoute) app.addHook('onRoute', (route) => onRoute(route));
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Loading the SDK takes a moment: it happens while the database opens and migrates.
  const startingErrorTracking = config.errorTracking
    ? startErrorTracking(config.errorTracking)
    : Promise.resolve(undefined);
  // Awaited below; if opening the database fails first, that failure is the one to report.
  startingErrorTracking.catch(() => {});
  const db = await openDatabase({
    ...config,
    keepAnswers: options.keepAnswers ?? true,
    // Message and code only: pg attaches the whole client (its settings, its buffers) to the error.
    onIdleError: (error) =>
      app.log.warn(
        { err: { message: error.message, code: (error as { code?: string }).code } },
        'database connection lost; reconnecting',
      ),
  });
  app.addHook('onClose', async () => db.close());
  try {
    await db.migrate();
    if (config.demoMode) await seedDemo(db);
    // A login role that gets past row-level security would turn any SQL injection into a leak
    // of everything (decision 0007): production refuses to start; elsewhere /ready answers 503.
    const problems = config.env === 'production' ? await db.loginRoleProblems() : [];
    if (problems.length > 0) {
      throw new ConfigError(
        `Invalid configuration:\n  DATABASE_URL: ${problems.join(' ')} Connect as a role that owns nothing (docs/deployment.md#postgresql).`,
      );
    }
  } catch (error) {
    await db.close();
    throw error;
  }
  const purge = () =>
    purgeExpired(db).catch((error: unknown) => app.log.warn({ err: error }, 'housekeeping failed'));
  // Results nobody answered become final at their league's deadline, checked every minute.
  const confirmDue = () =>
    confirmDueResults(db)
      .then((n) => n > 0 && app.log.info({ confirmed: n }, 'results confirmed automatically'))
      .catch((error: unknown) => app.log.warn({ err: error }, 'automatic confirmation failed'));
  const resultsTimer = setInterval(confirmDue, 60_000).unref();
  app.addHook('onReady', async () => void confirmDue());
  app.addHook('onClose', async () => clearInterval(resultsTimer));
  // Once at start too: a server restarted more often than hourly must still clean up.
  app.addHook('onReady', async () => void purge());
  const housekeeping = setInterval(purge, HOUSEKEEPING_INTERVAL_MS).unref();
  app.addHook('onClose', async () => clearInterval(housekeeping));
  const backupDir = config.backup.dir;
  if (backupDir) {
    // After each backup: a copy in the bucket (when one is configured), then retention.
    const afterBackup: AfterBackup[] = options.backup?.afterBackup ?? [
      uploadStep(config, (uri) => app.log.info({ backup: { uploaded: uri } }, 'backup uploaded')),
      pruneStep(config, backupDir),
    ];
    let schedule: BackupSchedule | undefined;
    let stopped = Promise.resolve();
    app.addHook('onReady', async () => {
      schedule = startBackupSchedule({
        db,
        config,
        log: app.log,
        afterBackup,
        ...(options.backup?.clock ? { clock: options.backup.clock } : {}),
      });
    });
    // A running backup is aborted as soon as the stop begins, and awaited once the requests
    // are done, for at most the stop's own grace (main.ts exits after it anyway); onClose hooks
    // run in reverse order, so the database is still open for the run to record its end.
    app.addHook('preClose', async () => {
      stopped = schedule?.stop(config.shutdown.timeoutMs) ?? stopped;
    });
    app.addHook('onClose', async () => stopped);
  }
  const mailer = createMailer(config.smtpUrl, config.mailFrom, app.log);
  app.addHook('onClose', async () => mailer.close());
  app.decorate('config', config);
  app.decorate('db', db);
  const lifecycle: Lifecycle = { draining: false };
  app.decorate('lifecycle', lifecycle);
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    return payload;
  });
  const errorTracker = await startingErrorTracking;
  app.decorate('errorTracker', errorTracker);
  if (errorTracker) {
    // Once the requests in flight have finished, so that their reports go too; half the shutdown
    // timeout at most, so that an unreachable receiver cannot make main.ts give up on closing.
    const flushMs = Math.min(2000, config.shutdown.timeoutMs / 2);
    app.addHook('onClose', async () => void (await errorTracker.close(flushMs)));
  }

  await app.register(errorsPlugin, { errorTracker });
  // Cookies are parsed first: the rate limit's 429 and the load shedder's 503 go through the
  // session's onSend hook (the CSRF cookie), which reads them; both carry helmet's headers.
  await app.register(cookie, { secret: config.sessionSecret });
  await app.register(securityPlugin, { config, headers });
  await app.register(overloadPlugin, { config, db });
  await app.register(metricsPlugin, { config, db });
  await app.register(docsPlugin);
  await app.register(sessionPlugin, { config, db });
  await app.register(httpCachePlugin);

  await app.register(healthRoutes, { db, lifecycle });
  await app.register(clientConfigRoutes, { config });
  await app.register(authRoutes, { config, db });
  await app.register(meRoutes, { db });
  await app.register(leaguesRoutes, { db, config, mailer });
  await app.register(teamsRoutes, { db });
  await app.register(invitesRoutes, { db, config, mailer });
  await app.register(venuesRoutes, { db });
  await app.register(scheduleRoutes, { db });
  await app.register(matchesRoutes, { db });
  await app.register(availabilityRoutes, { db });
  await app.register(proposalsRoutes, { db });
  await app.register(resultsRoutes, { db });
  await app.register(calendarRoutes, { db, config });
  await app.register(standingsRoutes, { db });
  await app.register(ratingsRoutes, { db });
  await app.register(playersRoutes, { db });

  await app.register(webPlugin, { webDir: config.webDir });
  return app;
}
