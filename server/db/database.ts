import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  onIdleError?: (error: Error) => void;
}): Promise<Database> {
  let system: Kysely<DB>;
  let kind: Database['kind'];
  let releaseLock = () => {};
  const scope: TransactionScope = new AsyncLocalStorage();
  if (options.databaseUrl) {
    kind = 'postgres';
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    // An idle client dropped by the server (restart, failover) must not take the process down:
    // the pool discards it and the next query opens a new connection.
    pool.on('error', (error) => options.onIdleError?.(error));
    system = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  } else {
    kind = 'embedded';
    let dataDir = options.dataDir;
    if (dataDir !== 'memory://') {
      mkdirSync(dataDir, { recursive: true });
      releaseLock = lockDataDir(dataDir);
      dataDir = path.join(dataDir, 'pgdata');
    }
    let pglite: PGlite;
    try {
      pglite = await PGlite.create(dataDir);
    } catch (error) {
      releaseLock();
      throw error;
    }
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
      releaseLock();
    },
  };
}

/** Lock files this process holds. A lock naming our own pid but not in here is stale: it was
 * left by an earlier process that had the same pid (in a container the app is always pid 1). */
const openedHere = new Set<string>();

/**
 * Embedded PGlite is one process's database: a second process opening the same directory would
 * corrupt it. A lock file holding the owner's pid keeps the second one out; a lock left by a
 * process that no longer runs is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const file = path.join(dataDir, 'rally.lock');
  if (openedHere.has(file)) {
    throw new Error(`The data directory ${dataDir} is already open in this process.`);
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      openedHere.add(file);
      return () => {
        openedHere.delete(file);
        rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(file, 'utf8'));
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isRunning(owner)) {
        throw new Error(
          `The data directory ${dataDir} is in use by process ${owner}. Stop it first, or set ` +
            'RALLY_DATA_DIR to another directory.',
          { cause: error },
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not lock the data directory ${dataDir}.`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
