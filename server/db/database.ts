import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  Kysely,
  Migrator,
  PostgresDialect,
  sql,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type TransactionSettings,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import { migrations } from './migrations';
import {
  PGliteConnection,
  PGliteDialect,
  type ConnectionTurns,
  type TransactionScope,
  type WriteClock,
} from './pglite-dialect';
import { asPoolTimeout, type PoolStats } from './pool';
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
  /**
   * `read()`'s answer, kept under `key` and given again while no transaction that wrote has
   * committed since it was read and `fresh(answer)` still holds. Only on embedded PGlite, where
   * this process is the only one that can write (the data directory's lock) and every write is
   * counted (`WriteClock`); on PostgreSQL, which other instances write to, `read()` runs every
   * time. The key must name everything the answer depends on besides the data (who asks, the
   * dates), and callers must not change the answer: it is shared.
   */
  cachedRead<T>(key: string, read: () => Promise<T>, fresh: (answer: T) => boolean): Promise<T>;
  /**
   * Runs one statement as the owner, outside any transaction, prepared once per connection under
   * `name` and planned once: for the hot read, whose statement PostgreSQL would otherwise parse
   * and plan on every request (Kysely sends unnamed statements). On embedded PGlite every
   * statement is prepared already (`PGliteConnection`). One name, one statement text.
   */
  prepared<R>(name: string, query: CompiledQuery): Promise<R[]>;
  /** How busy the connections are now (pg.Pool's counts; PGlite's one connection). */
  poolStats(): PoolStats;
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
  /** PostgreSQL connections at most (default 10); embedded PGlite has one. */
  databasePoolSize?: number;
  /** How long a query may wait for a connection, then `PoolTimeoutError` (default: no end). */
  databasePoolTimeoutMs?: number;
  onIdleError?: (error: Error) => void;
}): Promise<Database> {
  let system: Kysely<DB>;
  let kind: Database['kind'];
  let releaseLock = () => {};
  let pool: pg.Pool | undefined;
  const scope: TransactionScope = new AsyncLocalStorage();
  let clock: WriteClock | undefined;
  const waitMs = options.databasePoolTimeoutMs;
  const timeouts = { count: 0 };
  let turns: ConnectionTurns | undefined;
  if (options.databaseUrl) {
    kind = 'postgres';
    pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.databasePoolSize ?? 10,
      // 0 is node-postgres's "wait without end".
      connectionTimeoutMillis: waitMs ?? 0,
    });
    // An idle client dropped by the server (restart, failover) must not take the process down:
    // the pool discards it and the next query opens a new connection.
    pool.on('error', (error) => options.onIdleError?.(error));
    // A connection that breaks while a request holds it (between two statements of a
    // transaction) emits 'error' on its client, which the pool listens to only while it is idle:
    // unheard, that event would end the process. The statements fail, the request answers 503,
    // and the pool discards the client when it is released.
    pool.on('connect', (client) => client.on('error', () => {}));
    system = new Kysely<DB>({
      dialect: beginAsUser(new PostgresDialect({ pool }), scope, waitMs, timeouts),
    });
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
    clock = { writes: 0 };
    turns = { inUse: 0, waiting: 0, timeoutMs: waitMs };
    system = new Kysely<DB>({
      dialect: beginAsUser(new PGliteDialect(pglite, scope, clock, turns), scope, waitMs, timeouts),
    });
  }

  const migrator = new Migrator({
    db: system,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'rally_migrations',
    migrationLockTableName: 'rally_migrations_lock',
  });

  const cache = new Map<string, { writes: number; answer: unknown }>();
  return {
    kind,
    system,
    async cachedRead<T>(key: string, read: () => Promise<T>, fresh: (answer: T) => boolean) {
      if (!clock) return read();
      const kept = cache.get(key);
      if (kept && kept.writes === clock.writes && fresh(kept.answer as T)) return kept.answer as T;
      // Counted before reading: a write that commits meanwhile makes the answer stale at once.
      const writes = clock.writes;
      const answer = await read();
      cache.delete(key);
      if (fresh(answer)) {
        if (cache.size >= READ_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
        cache.set(key, { writes, answer });
      }
      return answer;
    },
    async prepared<R>(name: string, query: CompiledQuery): Promise<R[]> {
      if (!pool) return (await system.executeQuery<R>(query)).rows;
      try {
        const result = await pool.query<R & pg.QueryResultRow>({
          name,
          text: query.sql,
          values: [...query.parameters],
        });
        return result.rows;
      } catch (error) {
        throw counted(error, waitMs, timeouts);
      }
    },
    poolStats() {
      if (pool) {
        return {
          size: pool.options.max,
          inUse: pool.totalCount - pool.idleCount,
          idle: pool.idleCount,
          waiting: pool.waitingCount,
          timeouts: timeouts.count,
        };
      }
      const { inUse, waiting } = turns as ConnectionTurns;
      return { size: 1, inUse, idle: 1 - inUse, waiting, timeouts: timeouts.count };
    },
    withUser(userId, fn) {
      // BEGIN and the switch to the user in one round trip (see beginAsUser).
      const begin = [
        'begin',
        'set local role rally_app',
        `set local app.user_id = '${userLiteral(userId)}'`,
      ];
      return scope.run({ holding: false, begin }, () => system.transaction().execute(fn));
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

/**
 * Answers `cachedRead` keeps at most, the oldest dropped first: embedded PGlite is for one club,
 * and a player's schedule is tens of rows: tens of megabytes at the very most.
 */
const READ_CACHE_SIZE = 2_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The acting user's id as it goes into `withUser`'s BEGIN: a UUID, or '' (signed out). */
function userLiteral(userId: string | null): string {
  if (userId === null) return '';
  if (!UUID.test(userId)) throw new Error('withUser: the user id is not a UUID');
  return userId;
}

/**
 * The dialect with `withUser`'s BEGIN: a transaction started in `withUser` opens with the
 * statements it left in the scope (`begin; set local role rally_app; set local app.user_id = …`,
 * as `set_config(…, true)` would), in one round trip instead of two: on PostgreSQL as one
 * simple-protocol message, on embedded PGlite with the transaction's first query (`defer`).
 * They take no parameters, so the user id goes in as a literal, checked to be a UUID first.
 * Any other transaction begins as before.
 */
function beginAsUser(
  dialect: Dialect,
  scope: TransactionScope,
  waitMs: number | undefined,
  timeouts: { count: number },
): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createDriver(): Driver {
      const driver = dialect.createDriver();
      return {
        init: () => driver.init(),
        acquireConnection: () =>
          driver.acquireConnection().catch((error: unknown) => {
            throw counted(error, waitMs, timeouts);
          }),
        async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
          const store = scope.getStore();
          const begin = store?.begin;
          if (store && begin) {
            // Once: a transaction this one's code might start (it should not) begins plainly.
            store.begin = undefined;
            if (connection instanceof PGliteConnection) connection.defer(begin);
            else await connection.executeQuery(CompiledQuery.raw(begin.join('; ')));
          } else {
            await driver.beginTransaction(connection, settings);
          }
        },
        commitTransaction: (connection) => driver.commitTransaction(connection),
        rollbackTransaction: (connection) => driver.rollbackTransaction(connection),
        releaseConnection: (connection) => driver.releaseConnection(connection),
        destroy: () => driver.destroy(),
        ...(driver.savepoint && {
          savepoint: driver.savepoint.bind(driver),
          rollbackToSavepoint: driver.rollbackToSavepoint?.bind(driver),
          releaseSavepoint: driver.releaseSavepoint?.bind(driver),
        }),
      };
    },
  };
}

/** A connection timeout as `PoolTimeoutError`, counted; any other error as it is. */
function counted(error: unknown, waitMs: number | undefined, timeouts: { count: number }) {
  const timeout = asPoolTimeout(error, waitMs ?? 0);
  if (!timeout) return error;
  timeouts.count++;
  return timeout;
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

/**
 * Runs `fn` inside a `withUser` transaction as the owner, then returns to the app role. Only for
 * derived data the acting user has just earned the right to change but whose rows the policies
 * cannot bound, such as the ratings a confirmed result moves (players of other teams, later
 * matches of other leagues): the caller first makes the authorised write under row-level
 * security, in the same transaction, and only then derives from it. See docs/decisions/0005.
 */
export async function asSystem<T>(tx: Tx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  // Back to the role the step started in: the app role in a request, the owner in a job.
  const { rows } = await sql<{ role: string }>`select current_setting('role') as role,
    set_config('role', 'none', true)`.execute(tx);
  const result = await fn(tx);
  await sql`select set_config('role', ${rows[0]?.role ?? 'none'}, true)`.execute(tx);
  return result;
}
