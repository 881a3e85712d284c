import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { migrations } from './migrations';
import { PGliteDialect, type TransactionScope } from './pglite-dialect';
import type { DB } from './schema';

export type Tx = Transaction<DB>;

export interface Database {
  /** `embedded` (PGlite) or `postgres` (a server through `pg`). */
  readonly kind: 'embedded' | 'postgres';
  /**
   * The owner connection: it bypasses row-level security. Only migrations and the sign-in
   * plumbing (sessions, first sign-in) use it; everything a user asks for goes through `withUser`.
   */
  readonly system: Kysely<DB>;
  /**
   * Runs `fn` in one transaction as the app role `rally_app` with `app.user_id` set to the
   * acting user (null: signed out), so the row-level-security policies decide what it sees.
   */
  withUser<T>(userId: string | null, fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Applies pending migrations; returns the names applied. */
  migrate(): Promise<string[]>;
  /** Names of migrations not applied yet. */
  pendingMigrations(): Promise<string[]>;
  close(): Promise<void>;
}

/** Opens the database named by the configuration: PostgreSQL when a URL is given, else PGlite. */
export async function openDatabase(options: {
  databaseUrl: string | undefined;
  dataDir: string;
}): Promise<Database> {
  let system: Kysely<DB>;
  let kind: Database['kind'];
  const scope: TransactionScope = new AsyncLocalStorage();
  if (options.databaseUrl) {
    kind = 'postgres';
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    system = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  } else {
    kind = 'embedded';
    let dataDir = options.dataDir;
    if (dataDir !== 'memory://') {
      mkdirSync(dataDir, { recursive: true });
      dataDir = path.join(dataDir, 'pgdata');
    }
    const pglite = await PGlite.create(dataDir);
    system = new Kysely<DB>({ dialect: new PGliteDialect(pglite, scope) });
  }

  const migrator = new Migrator({
    db: system,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'rally_migrations',
    migrationLockTableName: 'rally_migrations_lock',
  });

  return {
    kind,
    system,
    withUser(userId, fn) {
      return scope.run({ holding: false }, () =>
        system.transaction().execute(async (tx) => {
          await sql`select set_config('role', 'rally_app', true), set_config('app.user_id', ${userId ?? ''}, true)`.execute(
            tx,
          );
          return fn(tx);
        }),
      );
    },
    async migrate() {
      const { error, results } = await migrator.migrateToLatest();
      if (error) throw error instanceof Error ? error : new Error(String(error));
      return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    },
    async pendingMigrations() {
      const list = await migrator.getMigrations();
      return list.filter((m) => !m.executedAt).map((m) => m.name);
    },
    async close() {
      await system.destroy();
    },
  };
}
