import { buildApp } from './app';
import { ConfigError, loadConfig } from './config';

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
  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      app.log.info({ signal }, 'shutting down');
      // In-flight requests get a few seconds; a hung database must not keep the process alive.
      setTimeout(() => {
        app.log.error('shutdown took too long: exiting');
        process.exit(1);
      }, 10_000).unref();
      app.close().then(
        () => process.exit(0),
        (error: unknown) => {
          app.log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
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

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
