import { buildApp } from './app';
import type { FastifyInstance } from 'fastify';
import { ConfigError, loadConfig, type Config } from './config';
import type { ErrorTracker } from './plugins/error-tracking';

/** Reads the configuration, starts the server, and closes it gracefully on SIGTERM / SIGINT. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const app = await buildApp(config).catch((error: unknown) => {
    // Found at start: a database login role that gets past row-level security in production.
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  });
  if (app.errorTracker) reportCrashes(app, app.errorTracker, config.shutdown.timeoutMs);
  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      void shutDown(app, config.shutdown, signal);
    });
  }
  await app.listen({ port: config.port, host: config.host });
  const database = config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}`;
  app.log.info(
    { url: config.publicUrl.href, database, demoMode: config.demoMode },
    `Rally Connect is running at ${config.publicUrl.href}`,
  );
  // The logs on stdout stay pure JSON; a person at a terminal also gets a plain greeting.
  if (process.stdout.isTTY && config.logLevel !== 'silent') {
    process.stdout.write(
      `\n  Rally Connect is running at ${config.publicUrl.href}\n  Database: ${database}${config.demoMode ? '\n  Demo mode: sign in as a demo user from the sign-in page' : ''}\n\n`,
    );
  }
}

/**
 * Stops without cutting a request. `/ready` answers 503 for `delayMs` while every other request is
 * still served, so that load balancers take this instance out; then no new connection is
 * accepted, idle keep-alive connections are closed, a request arriving on a busy one is answered
 * 503 with `connection: close` (Fastify's `return503OnClosing`), and the requests in flight
 * finish; then the database closes (its `onClose` hook). A request still running `timeoutMs`
 * after that (a hung database) does not keep the process alive.
 */
async function shutDown(
  app: FastifyInstance,
  { delayMs, timeoutMs }: Config['shutdown'],
  signal: NodeJS.Signals,
): Promise<void> {
  app.lifecycle.draining = true;
  app.log.info({ signal, delayMs }, 'shutting down: /ready answers 503');
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  app.log.info({ timeoutMs }, 'shutting down: finishing the requests in flight');
  setTimeout(() => {
    app.log.error('shutdown took too long: exiting');
    process.exit(1);
  }, timeoutMs).unref();
  try {
    await app.close();
  } catch (error) {
    app.log.error({ err: error }, 'shutdown failed');
    process.exit(1);
  }
  app.log.info('stopped');
  process.exit(0);
}

/**
 * With error tracking on, an uncaught exception or unhandled rejection is reported before the
 * process ends, as it would have without (logged, exit code 1): handlers of our own rather than the
 * SDK's, which would keep the process running after an unhandled rejection. Without `SENTRY_DSN`
 * none is installed and Node's defaults apply.
 */
function reportCrashes(app: FastifyInstance, tracker: ErrorTracker, timeoutMs: number): void {
  let crashing = false;
  const crash = (kind: 'uncaughtException' | 'unhandledRejection') => (error: unknown) => {
    app.log.fatal(
      { err: error },
      kind === 'uncaughtException' ? 'uncaught exception' : 'unhandled rejection',
    );
    tracker.captureProcessError(error, kind);
    // A second failure while the first is being sent changes nothing: the process is ending.
    if (crashing) return;
    crashing = true;
    void tracker.flush(Math.min(2000, timeoutMs)).finally(() => process.exit(1));
  };
  process.on('uncaughtException', crash('uncaughtException'));
  process.on('unhandledRejection', crash('unhandledRejection'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
