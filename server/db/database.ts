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
  PGliteDriver,
  type TransactionScope,
  type WriteClock,
} from './pglite-dialect';
import { asPoolTimeout, type PoolStats } from './pool';
import { camelCasePlugin } from './naming';
import { listen, type NoticeHandlers } from './notices';
import { preparingPool } from './pg-statements';
import type { DB } from './schema';
import { viewerRepository } from './viewer.repository';
import { visibilityClock, type VisibilityClock } from './visibility-clock';

export type Tx = Transaction<DB>;

/**
 * A user as the shared pages see them (decision 0016): their id, and the key of what the select
 * policies show them on those pages. Users with the same key see the same rows there; with
 * `self`, also the same rows of the `people` view and of `player_ratings`.
 */
export interface Viewer {
  readonly userId: string | null;
  readonly key: string;
}

export interface Database {
  /** `embedded` (PGlite) or `postgres` (a server through `pg`). */
  readonly kind: 'embedded' | 'postgres';
  /**
   * The login connection outside any user's transaction: the app's login role, which owns
   * nothing and has the narrow rights of `rally_system` (sessions, sign-in, calendar feeds by
   * token, housekeeping, automatic confirmation, derived ratings; migration 0011). Everything a
   * user asks for goes through `withUser`.
   */
  readonly system: Kysely<DB>;
  /**
   * The owner of the tables (`DATABASE_OWNER_URL`; on embedded PGlite its bootstrap superuser):
   * migrations, the demo seed and test fixtures, never a request or a job. Without an owner URL
   * on PostgreSQL it is the login connection itself (the single-role setup `/ready` refuses).
   */
  readonly owner: Kysely<DB>;
  /**
   * Runs `fn` in one transaction as the app role `rally_app` with `app.user_id` set to the
   * acting user (null: signed out), so the row-level-security policies decide what it sees.
   */
  withUser<T>(userId: string | null, fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * `read()`'s answer, kept under `key` and given again while no transaction that wrote has
   * finished since it was read and `fresh(answer)` still holds. On embedded PGlite, where this
   * process is the only one that can write (the data directory's lock), every write is counted
   * (`WriteClock`); on PostgreSQL, which other instances and tools write to, the server's own
   * snapshot says whether any transaction that wrote has finished (`VisibilityClock`, decision
   * 0014), read on a connection of its own; while it cannot be read, `read()` runs every time.
   * The key must name everything the answer depends on besides the data (who asks, the dates),
   * and callers must not change the answer: it is shared. Callers that miss under the same
   * reading of the clock share one `read()` (single flight): it began after that reading, so its
   * answer has every write theirs must have.
   */
  cachedRead<T>(key: string, read: () => Promise<T>, fresh: (answer: T) => boolean): Promise<T>;
  /**
   * `withUser(userId, fn)` for a read, its answer kept under `userId` and `key` (`cachedRead`):
   * given again to the same user only, while nothing was written since and for at most
   * `READ_MAX_AGE_MS` (answers that depend on the date, such as "upcoming", turn with the clock).
   * An answer is never shared between users, so it shows nobody anything the row-level-security
   * policies would not show them (decision 0011). `key` must name everything else the answer
   * depends on (the route and its parameters); `fn` must only read, and callers must not change
   * the answer: it is shared between that user's requests.
   */
  readAs<T>(userId: string | null, key: string, fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * The user's `Viewer`, its key read as that user (`viewerRepository.visibility`) and kept
   * until the next write (`cachedRead`); signed out: the key of a user who sees public rows only.
   * With `self`, for pages that read names (`people`) or ratings (`player_ratings`), whose
   * policies show users themselves: the key names the user too unless they are on a roster,
   * which shows them to everyone with the same key anyway.
   */
  viewer(userId: string | null, options?: { self: boolean }): Promise<Viewer>;
  /**
   * `readAs` for the pages whose rows depend on the user only through the visibility key:
   * `withUser(viewer.userId, fn)`, its answer kept under `viewer.key` and `key` and given to
   * every user with the same visibility key (decision 0016), on the same terms as `readAs`.
   * Only for reads that `read-shared.test.ts` checks: nothing in their answer may depend on
   * who asks but through the rows the key decides (no "my answer", no "may edit").
   */
  readShared<T>(viewer: Viewer, key: string, fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Runs one statement on the login connection outside any transaction, prepared once per
   * connection under `name`, without the naming plugin: for the hot read, which checks the
   * session in the same statement (decision 0006). Every other statement with parameters is
   * prepared too, under a generated name (`preparingPool`, decision 0012); on embedded PGlite by
   * `PGliteConnection`. One name, one statement text.
   */
  prepared<R>(name: string, query: CompiledQuery): Promise<R[]>;
  /**
   * On PostgreSQL, listens on `channel` on a connection of its own, opened again when lost
   * (`notices.ts`), until `close()`. On embedded PGlite, null: this process is the only one that
   * writes, and `cachedRead` sees every write.
   */
  listen(channel: string, handlers: NoticeHandlers): null | (() => Promise<void>);
  /** How busy the connections are now (pg.Pool's counts; PGlite's one connection). */
  poolStats(): PoolStats;
  /** Applies pending migrations; returns the names applied. */
  migrate(): Promise<string[]>;
  /** Names of migrations not applied yet, read as the login role. */
  pendingMigrations(): Promise<string[]>;
  /**
   * Why the login role could get past row-level security, in sentences; empty when it cannot:
   * it (or a role it may become) is a superuser, has BYPASSRLS or CREATEROLE, owns a table or
   * function of the schema, or may create objects in it. `/ready` answers 503 and a production
   * server refuses to start while any holds.
   */
  loginRoleProblems(): Promise<string[]>;
  /**
   * On embedded PGlite, its data directory as a gzipped tarball (PGlite's own dump, which
   * `PGlite.create({ loadDataDir })` opens again): `rally backup`. On PostgreSQL, null:
   * `pg_dump` backs it up.
   */
  dumpDataDir(): Promise<Blob> | null;
  close(): Promise<void>;
}

/**
 * The role the embedded PGlite connection runs as once migrated: no login (PGlite has none), no
 * superuser, no BYPASSRLS, owns nothing, member of `rally_app` and `rally_system`, as the login
 * role on PostgreSQL. PGlite's own user stays a superuser, and the session can switch back to it
 * (`set session authorization`): on PGlite this is not a boundary against SQL injection, only the
 * same grants and policies at work (decision 0007).
 */
export const EMBEDDED_LOGIN_ROLE = 'rally_embedded';

/** On embedded PGlite: from its superuser to the login role, working as `rally_system`. */
const LOGIN = [`set session authorization ${EMBEDDED_LOGIN_ROLE}`, 'set role rally_system'];

/** Opens the database named by the configuration: PostgreSQL when a URL is given, else PGlite. */
export async function openDatabase(options: {
  databaseUrl: string | undefined;
  /** The owner's URL for migrations (PostgreSQL only); absent: the login role migrates. */
  databaseOwnerUrl?: string | undefined;
  dataDir: string;
  /** PostgreSQL connections at most (default 10); embedded PGlite has one. */
  databasePoolSize?: number;
  /** How long a query may wait for a connection, then `PoolTimeoutError` (default: no end). */
  databasePoolTimeoutMs?: number;
  /**
   * Whether `cachedRead` (and so `readAs`) keeps answers (default true). False: every read goes
   * to the database, as `bench:routes` needs to time the database's work rather than the memory.
   */
  keepAnswers?: boolean;
  onIdleError?: (error: Error) => void;
}): Promise<Database> {
  let system: Kysely<DB>;
  let owner: Kysely<DB>;
  let kind: Database['kind'];
  let releaseLock = () => {};
  let pool: pg.Pool | undefined;
  let embedded: PGlite | undefined;
  const scope: TransactionScope = new AsyncLocalStorage();
  let clock: WriteClock | undefined;
  let visibility: VisibilityClock | undefined;
  const waitMs = options.databasePoolTimeoutMs;
  const keepAnswers = options.keepAnswers ?? true;
  const timeouts = { count: 0 };
  let turns: ConnectionTurns | undefined;
  /** On PGlite: switches the connection to the embedded login role (after migrating). */
  let becomeLogin = async () => {};
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
    if (keepAnswers) {
      visibility = visibilityClock(options.databaseUrl, (error) => options.onIdleError?.(error));
    }
    // Every new connection works as rally_system (pg runs this before the query it was opened
    // for): the login role inherits nothing, so that its two roles' rights never add up.
    // A connection that breaks while a request holds it (between two statements of a
    // transaction) emits 'error' on its client, which the pool listens to only while it is idle:
    // unheard, that event would end the process. The statements fail, the request answers 503,
    // and the pool discards the client when it is released.
    pool.on('connect', (client) => {
      client.on('error', () => {});
      client.query(`select set_config('role', ${SYSTEM_ROLE}, false)`).catch((error: Error) => {
        options.onIdleError?.(error);
      });
    });
    system = new Kysely<DB>({
      dialect: beginAsUser(
        new PostgresDialect({ pool: preparingPool(pool) }),
        scope,
        waitMs,
        timeouts,
      ),
      plugins: [camelCasePlugin],
    });
    // Used at start (migrations, seed) and then idle: its connections close after 10 s. Without
    // an owner URL, the login role's URL, as the login role itself (the single-role setup).
    const ownerPool = new pg.Pool({
      connectionString: options.databaseOwnerUrl ?? options.databaseUrl,
      max: 2,
    });
    ownerPool.on('error', (error) => options.onIdleError?.(error));
    owner = new Kysely<DB>({
      dialect: new PostgresDialect({ pool: ownerPool }),
      plugins: [camelCasePlugin],
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
    embedded = pglite;
    clock = { writes: 0 };
    turns = { inUse: 0, waiting: 0, timeoutMs: waitMs };
    const driver = new PGliteDriver(pglite, scope, clock, turns);
    system = new Kysely<DB>({
      dialect: beginAsUser(new PGliteDialect(driver), scope, waitMs, timeouts),
      plugins: [camelCasePlugin],
    });
    // PGlite's own user, the superuser that owns everything (`postgres`).
    const superuser = (await pglite.query<{ name: string }>('select session_user as name')).rows[0]
      ?.name as string;
    let asLogin = false;
    owner = new Kysely<DB>({
      dialect: new PGliteDialect(
        switchingRole(
          driver,
          () => (asLogin ? [`set session authorization ${superuser}`] : []),
          () => (asLogin ? [...LOGIN] : []),
        ),
      ),
      plugins: [camelCasePlugin],
    });
    becomeLogin = async () => {
      await sql`
        do $$ begin
          if not exists (select from pg_roles where rolname = ${sql.lit(EMBEDDED_LOGIN_ROLE)}) then
            create role ${sql.raw(EMBEDDED_LOGIN_ROLE)} nologin noinherit;
          end if;
        end $$`.execute(owner);
      await sql`grant rally_app, rally_system to ${sql.raw(EMBEDDED_LOGIN_ROLE)}`.execute(owner);
      asLogin = true;
      for (const statement of LOGIN) await sql.raw(statement).execute(system);
    };
    // A database migrated before (rally_system exists since migration 0011) runs as the login
    // role at once; a new one once `migrate()` has made the roles.
    const { rows } = await sql<{
      ready: boolean;
    }>`select to_regrole('rally_system') is not null as ready`.execute(system);
    if (rows[0]?.ready) await becomeLogin();
  }

  const migrator = new Migrator({
    db: owner.withoutPlugins(),
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'rally_migrations',
    migrationLockTableName: 'rally_migrations_lock',
  });

  const cache = new Map<string, { version: number | string; answer: unknown }>();
  const flights = new Map<string, Promise<unknown>>();
  const listeners = new Set<() => Promise<void>>();
  const database: Database = {
    kind,
    system,
    owner,
    async cachedRead<T>(key: string, read: () => Promise<T>, fresh: (answer: T) => boolean) {
      if (!keepAnswers) return read();
      // Read before the answer: a write that finishes meanwhile makes the answer stale at once.
      const now = clock ? clock.writes : await visibility?.read();
      if (now === null || now === undefined) return read();
      const kept = cache.get(key);
      if (kept && kept.version === now && fresh(kept.answer as T)) return kept.answer as T;
      const flight = `${now} ${key}`;
      let reading = flights.get(flight) as Promise<T> | undefined;
      if (!reading) {
        reading = read();
        flights.set(flight, reading);
        const landed = () => flights.delete(flight);
        reading.then(landed, landed);
      }
      const answer = await reading;
      cache.delete(key);
      if (fresh(answer)) {
        if (cache.size >= READ_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
        cache.set(key, { version: now, answer });
      }
      return answer;
    },
    async readAs<T>(userId: string | null, key: string, fn: (tx: Tx) => Promise<T>) {
      const kept = await database.cachedRead(
        `readAs ${userId ?? '-'} ${key}`,
        async () => ({ at: Date.now(), answer: await database.withUser(userId, fn) }),
        ({ at }) => Date.now() - at < READ_MAX_AGE_MS,
      );
      return kept.answer;
    },
    async viewer(userId: string | null, options?: { self: boolean }) {
      const self = options?.self === true;
      if (userId === null) return self ? { userId, key: `${SIGNED_OUT.key}|` } : SIGNED_OUT;
      const { key, onRoster } = await database.cachedRead(
        `viewer ${userId}`,
        () => database.withUser(userId, viewerRepository.visibility),
        () => true,
      );
      if (!self) return { userId, key };
      return { userId, key: `${key}|${onRoster ? '' : userId}` };
    },
    async readShared<T>(viewer: Viewer, key: string, fn: (tx: Tx) => Promise<T>) {
      const kept = await database.cachedRead(
        `readShared ${viewer.key} ${key}`,
        async () => ({ at: Date.now(), answer: await database.withUser(viewer.userId, fn) }),
        ({ at }) => Date.now() - at < READ_MAX_AGE_MS,
      );
      return kept.answer;
    },
    async prepared<R>(name: string, query: CompiledQuery): Promise<R[]> {
      if (!pool) return (await system.withoutPlugins().executeQuery<R>(query)).rows;
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
    listen(channel, handlers) {
      const url = options.databaseUrl;
      if (!url) return null;
      const stop = listen(url, channel, handlers, (error) => options.onIdleError?.(error));
      const stopping = async () => {
        listeners.delete(stopping);
        await stop();
      };
      listeners.add(stopping);
      return stopping;
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
      const ownerless = kind === 'postgres' && !options.databaseOwnerUrl;
      // Without an owner URL the login role migrates only if anything is pending: a login role
      // that owns nothing may not, and need not, when the owner has migrated already.
      if (ownerless && (await database.pendingMigrations().catch(() => ['?'])).length === 0)
        return [];
      const { error, results } = await migrator.migrateToLatest();
      if (error) {
        if (ownerless && (error as { code?: string }).code === '42501') {
          throw new Error(
            'Database migrations are pending and the login role of DATABASE_URL may not apply ' +
              'them (it owns nothing, as it should): run `rally migrate` with DATABASE_OWNER_URL ' +
              'set, or give the server DATABASE_OWNER_URL.',
            { cause: error },
          );
        }
        throw error instanceof Error ? error : new Error(String(error));
      }
      await becomeLogin();
      return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    },
    async pendingMigrations() {
      const { rows } = await sql<{
        present: boolean;
      }>`select to_regclass('public.rally_migrations') is not null as present`.execute(system);
      const applied = new Set<string>();
      if (rows[0]?.present) {
        const done = await sql<{ name: string }>`select name from rally_migrations`.execute(system);
        for (const { name } of done.rows) applied.add(name);
      }
      return Object.keys(migrations)
        .sort()
        .filter((name) => !applied.has(name));
    },
    async loginRoleProblems() {
      const { rows } = await sql<LoginRoleFacts>`${LOGIN_ROLE_FACTS}`.execute(system);
      return describeLoginRole(rows[0] as LoginRoleFacts);
    },
    dumpDataDir() {
      return embedded ? embedded.dumpDataDir('gzip') : null;
    },
    async close() {
      await Promise.all([...listeners].map((stop) => stop()));
      await visibility?.close();
      await owner.destroy();
      await system.destroy();
      releaseLock();
    },
  };
  return database;
}

/**
 * The role the login connection works as outside a user's transaction: `rally_system` when the
 * login role may become it, else the login role itself (the single-role setup of old, in which
 * the login role owns the tables, or a database not migrated yet).
 */
const SYSTEM_ROLE = `case when to_regrole('rally_system') is not null
  and pg_has_role(session_user, to_regrole('rally_system'), 'MEMBER') then 'rally_system'
  else 'none' end`;

/** What the catalogue says about the login role (`session_user`) and the roles it may become. */
interface LoginRoleFacts {
  name: string;
  superuser: boolean;
  bypassrls: boolean;
  createrole: boolean;
  ownedRelations: number;
  ownedFunctions: number;
  mayCreate: boolean;
  inheritsApp: boolean;
}

/**
 * The login role's facts. "May become" is `pg_has_role(…, 'MEMBER')`: a role whose rights it
 * inherits or can `set role` to, itself included; `rally_app` and `rally_system` own nothing.
 */
const LOGIN_ROLE_FACTS = sql`
  select session_user as name,
    exists (select from pg_roles r where r.rolsuper
      and pg_has_role(session_user, r.oid, 'MEMBER')) as superuser,
    exists (select from pg_roles r where r.rolbypassrls
      and pg_has_role(session_user, r.oid, 'MEMBER')) as bypassrls,
    exists (select from pg_roles r where r.rolcreaterole
      and pg_has_role(session_user, r.oid, 'MEMBER')) as createrole,
    (select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and pg_has_role(session_user, c.relowner, 'MEMBER'))::int
      as owned_relations,
    (select count(*) from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'public' and pg_has_role(session_user, p.proowner, 'MEMBER'))::int
      as owned_functions,
    has_schema_privilege(session_user, 'public', 'CREATE') as may_create,
    coalesce(to_regrole('rally_app') is not null
      and pg_has_role(session_user, to_regrole('rally_app'), 'USAGE'), false) as inherits_app`;

function describeLoginRole(facts: LoginRoleFacts): string[] {
  const role = `The database login role ${facts.name}`;
  const problems: string[] = [];
  if (facts.superuser) problems.push(`${role} is (or may become) a superuser.`);
  if (facts.bypassrls) problems.push(`${role} may bypass row-level security (BYPASSRLS).`);
  if (facts.createrole) problems.push(`${role} has CREATEROLE: it could grant itself any role.`);
  if (facts.ownedRelations > 0) {
    problems.push(`${role} owns (or may become the owner of) tables of the schema public.`);
  }
  if (facts.ownedFunctions > 0) {
    problems.push(`${role} owns (or may become the owner of) functions of the schema public.`);
  }
  if (facts.mayCreate) problems.push(`${role} may create objects in the schema public.`);
  if (facts.inheritsApp && !facts.superuser) {
    problems.push(
      `${role} inherits the rights of rally_app: with rally_system's they add up (create it NOINHERIT).`,
    );
  }
  return problems;
}

/**
 * The driver of PGlite's owner connection: the shared `driver` (one queue), with `enter()` run
 * before the first statement of each use of the connection and `leave()` before the next use
 * of anyone's. Closing is left to the login connection, which owns the driver.
 */
function switchingRole(driver: Driver, enter: () => string[], leave: () => string[]): Driver {
  return {
    init: async () => {},
    async acquireConnection() {
      const connection = await driver.acquireConnection();
      (connection as PGliteConnection).defer(enter());
      return connection;
    },
    beginTransaction: (connection, settings) => driver.beginTransaction(connection, settings),
    commitTransaction: (connection) => driver.commitTransaction(connection),
    rollbackTransaction: (connection) => driver.rollbackTransaction(connection),
    async releaseConnection(connection) {
      (connection as PGliteConnection).defer(leave());
      await driver.releaseConnection(connection);
    },
    destroy: async () => {},
  };
}

/**
 * Answers `cachedRead` keeps at most in a process, the oldest dropped first: enough for a hundred
 * people browsing at once, each with a session, a schedule and about fifteen pages of `readAs`;
 * an answer is a few kilobytes: tens of megabytes at the very most.
 */
const READ_CACHE_SIZE = 10_000;

/** The viewer of everybody signed out: public rows only (the key `visibility` gives them). */
const SIGNED_OUT: Viewer = { userId: null, key: '||' };

/** How long `readAs` gives an answer again when nothing was written: the date may have turned. */
const READ_MAX_AGE_MS = 60_000;

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
 * Runs `fn` inside a `withUser` transaction as the login role (`rally_system`'s rights, not the
 * owner's), then returns to the app role. Only for
 * derived data the acting user has just earned the right to change but whose rows the policies
 * cannot bound, such as the ratings a confirmed result moves (players of other teams, later
 * matches of other leagues): the caller first makes the authorised write under row-level
 * security, in the same transaction, and only then derives from it. See docs/decisions/0005.
 */
export async function asSystem<T>(tx: Tx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  // Back to the role the step started in: the app role in a request, the login role in a job.
  const { rows } = await sql<{ role: string }>`select current_setting('role') as role,
    set_config('role', ${sql.raw(SYSTEM_ROLE)}, true)`.execute(tx);
  const result = await fn(tx);
  await sql`select set_config('role', ${rows[0]?.role ?? 'none'}, true)`.execute(tx);
  return result;
}
