import type { AsyncLocalStorage } from 'node:async_hooks';
import { parse, protocol, type PGlite, type Results } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';
import { PoolTimeoutError } from './pool';

/**
 * A Kysely dialect for embedded PGlite. PGlite is a single connection, so connections are handed
 * out one at a time: a transaction holds the connection until it commits or rolls back. Kysely
 * ships a PGlite dialect from 0.29; decision 0009 says why we keep this one (a driver shared by
 * two Kysely instances, the write clock, turns and time-outs, the nested-use guard, one call per
 * statement).
 */
/**
 * Marks code that runs inside a transaction (`Database.withUser`). PGlite has one connection: a
 * query that asks for another connection there would wait for itself forever and freeze every
 * request, so the driver refuses it at once instead.
 */
export type TransactionScope = AsyncLocalStorage<{
  holding: boolean;
  /** The statements that begin `withUser`'s transaction (database.ts, beginAsUser). */
  begin?: string[] | undefined;
}>;

/**
 * Counts the transactions that wrote: after every message the connection asks whether the
 * transaction it ran in holds a transaction id, which PostgreSQL assigns at the first write
 * (insert, update, delete, row lock, DDL) and never to a read. `Database.cachedRead` compares it.
 */
export interface WriteClock {
  writes: number;
}

/**
 * The one connection's use, counted for `Database.poolStats`, and how long a query may wait for
 * it (`undefined`: without end) before it gives up with `PoolTimeoutError`.
 */
export interface ConnectionTurns {
  inUse: number;
  waiting: number;
  timeoutMs: number | undefined;
}

/**
 * The dialect over one `PGliteDriver`. Several Kysely instances may share the driver (the login
 * and the owner connections of `Database`): the driver's queue keeps their transactions apart.
 */
export class PGliteDialect implements Dialect {
  constructor(private readonly driver: Driver) {}
  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return this.driver;
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
}

/** The one PGlite connection, handed to one transaction (or statement) at a time. */
export class PGliteDriver implements Driver {
  readonly #connection: PGliteConnection;
  #queue: Promise<void> = Promise.resolve();
  #release: (() => void) | undefined;

  constructor(
    pglite: PGlite,
    private readonly scope: TransactionScope,
    clock: WriteClock,
    private readonly turns: ConnectionTurns,
  ) {
    this.#connection = new PGliteConnection(pglite, clock);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const scope = this.scope.getStore();
    if (scope?.holding) {
      throw new Error(
        'A query outside the transaction was started inside withUser(): on embedded PGlite it ' +
          'would wait for its own connection forever. Run it on the transaction instead.',
      );
    }
    if (scope) scope.holding = true;
    const previous = this.#queue;
    let release!: () => void;
    this.#queue = new Promise<void>((resolve) => (release = resolve));
    const turns = this.turns;
    // Free and nobody ahead: no timer to set (the hot path of a lightly loaded server).
    const free = turns.inUse === 0 && turns.waiting === 0;
    turns.waiting++;
    try {
      await (free ? previous : bounded(previous, turns.timeoutMs));
    } catch (error) {
      // Our place in the queue stays: when our turn comes it passes straight to the next one.
      void previous.then(release);
      if (scope) scope.holding = false;
      throw error;
    } finally {
      turns.waiting--;
    }
    turns.inUse = 1;
    this.#release = release;
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    (connection as PGliteConnection).defer(['begin']);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    this.turns.inUse = 0;
    release?.();
  }

  async destroy(): Promise<void> {
    await this.#queue;
    await this.#connection.close();
  }
}

/** `turn`, or a `PoolTimeoutError` once `timeoutMs` have passed without it. */
function bounded(turn: Promise<void>, timeoutMs: number | undefined): Promise<void> {
  if (timeoutMs === undefined) return turn;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PoolTimeoutError(timeoutMs)), timeoutMs);
  });
  return Promise.race([turn, timeout]).finally(() => clearTimeout(timer));
}

/** The protocol messages PGlite takes, and its parser of what comes back. */
const { serialize } = protocol;

/** Prepared statements kept per connection, the least recently used closed beyond this. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Whether the transaction has written so far (it holds a transaction id). Run at the end of
 * every message, inside the same transaction as the statements before it: one message's
 * statements are one implicit transaction unless they begin one themselves.
 */
const WROTE = 'select pg_current_xact_id_if_assigned() is not null as wrote';
const WROTE_STATEMENT = 'rally_wrote';

/** Statements after which prepared plans may describe tables or functions that changed. */
const DDL = /^(CREATE|ALTER|DROP|TRUNCATE|COMMENT|GRANT|REVOKE)\b/;

/**
 * The one connection. Each query is a single call into PGlite: parse (first time only: the
 * statement is prepared and its plan kept, as a PL/pgSQL function keeps its plans), bind,
 * describe, execute and sync in one message, where `PGlite.query` makes six calls and plans the
 * statement every time (decision 0006). Parameters are sent as text, converted as node-postgres
 * converts them, so a query means the same on embedded PGlite as on PostgreSQL.
 */
export class PGliteConnection implements DatabaseConnection {
  /** SQL text → prepared statement name, in least recently used order. */
  readonly #statements = new Map<string, string>();
  /** Statements to close with the next message. */
  #closing: string[] = [];
  /** Statements without parameters or rows to run first in the next message (`defer`). */
  #deferred: string[] = [];
  #next = 0;
  #wroteParsed = false;

  constructor(
    private readonly pglite: PGlite,
    private readonly clock: WriteClock,
  ) {}

  /**
   * Runs `statements` (no parameters, no rows: BEGIN, SET LOCAL) at the start of the next query's
   * message instead of in a call of their own. A transaction's BEGIN goes with its first query.
   * Should one of them fail, the query after them does not run: in one message, an error skips
   * everything up to its end (the Sync), and the error is the query's.
   */
  defer(statements: string[]): void {
    this.#deferred.push(...statements);
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const parts: Uint8Array[] = [];
    for (const name of this.#closing) parts.push(serialize.close({ type: 'S', name }));
    this.#closing = [];
    const deferred = this.#deferred;
    this.#deferred = [];
    let results: Results<R>[];
    if (query.parameters.length === 0) {
      // No parameters: the simple protocol, which also runs several statements in one message
      // (and stops at the first that fails).
      parts.push(serialize.query([...deferred, query.sql, WROTE].join(';\n')));
      results = await this.#run<R>(parts);
      if (results.some((r) => DDL.test(r.command ?? ''))) this.#forgetStatements();
    } else {
      for (const text of deferred) {
        parts.push(serialize.parse({ text }), serialize.bind({}), serialize.execute({}));
      }
      let name = this.#statements.get(query.sql);
      if (name === undefined) {
        name = `rally_${this.#next++}`;
        parts.push(serialize.parse({ name, text: query.sql }));
      } else {
        this.#statements.delete(query.sql);
      }
      this.#statements.set(query.sql, name);
      if (this.#statements.size > STATEMENT_CACHE_SIZE) {
        const [oldest, oldestName] = this.#statements.entries().next().value as [string, string];
        this.#statements.delete(oldest);
        this.#closing.push(oldestName);
      }
      parts.push(
        serialize.bind({ statement: name, values: query.parameters.map(toParameter) }),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
      );
      const parseWrote = !this.#wroteParsed;
      if (parseWrote) parts.push(serialize.parse({ name: WROTE_STATEMENT, text: WROTE }));
      this.#wroteParsed = true;
      parts.push(
        serialize.bind({ statement: WROTE_STATEMENT }),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
      );
      try {
        results = await this.#run<R>(parts);
      } catch (error) {
        // The statement may not have been prepared, or its plan may no longer fit: prepare it
        // anew next time (closing a statement that does not exist is no error).
        if (this.#statements.get(query.sql) === name) this.#statements.delete(query.sql);
        this.#closing.push(name);
        // An error skips the rest of the message: the check was not prepared either.
        if (parseWrote) this.#wroteParsed = false;
        throw error;
      }
    }
    const wrote = results.pop()?.rows[0] as { wrote?: boolean } | undefined;
    if (wrote?.wrote) this.clock.writes++;
    const result = results[results.length - 1];
    return {
      rows: result?.rows ?? [],
      numAffectedRows: result?.affectedRows === undefined ? undefined : BigInt(result.affectedRows),
    };
  }

  async #run<R>(parts: Uint8Array[]): Promise<Results<R>[]> {
    parts.push(serialize.sync());
    const message = concat(parts);
    return this.pglite._runExclusiveQuery(async () => {
      const { messages } = await this.pglite.execProtocol(message);
      return parse.parseResults(messages, this.pglite.parsers, {
        rowMode: 'object',
      }) as Results<R>[];
    });
  }

  #forgetStatements(): void {
    this.#closing.push(...this.#statements.values());
    this.#statements.clear();
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming queries are not supported on embedded PGlite');
  }

  async close(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close();
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** A parameter as text, converted as node-postgres converts it (`prepareValue`). */
function toParameter(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (ArrayBuffer.isView(value)) {
    return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  }
  if (Array.isArray(value)) return arrayLiteral(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function arrayLiteral(values: unknown[]): string {
  const items = values.map((v) => {
    if (v === null || v === undefined) return 'NULL';
    if (Array.isArray(v)) return arrayLiteral(v);
    const text = toParameter(v) as string;
    return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  });
  return `{${items.join(',')}}`;
}
