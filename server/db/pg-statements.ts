import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';

/**
 * Prepared statements kept per PostgreSQL connection, as `PGliteConnection` keeps them on
 * embedded PGlite. Beyond this many the connection is closed when it is next released (its
 * statements go with it, and the pool opens a fresh one) rather than each one deallocated in a
 * round trip of its own: the app sends a few hundred distinct statements at most.
 */
const STATEMENTS_PER_CONNECTION = 500;

/**
 * SQLSTATEs after which a prepared statement no longer fits: "cached plan must not change
 * result type" (a table changed under it) and "prepared statement does not exist".
 */
const STALE_STATEMENT = new Set(['0A000', '26000']);

/**
 * The login pool as Kysely's PostgreSQL dialect takes it, with every statement that has
 * parameters sent as a named prepared statement: PostgreSQL parses, rewrites (row-level
 * security policies included) and plans it once per connection instead of on every request,
 * where Kysely sends unnamed statements (decision 0012). node-postgres parses a named statement
 * once per connection and afterwards sends only Bind and Execute. Statements without parameters
 * (`begin; set local …`, `commit`) stay in the simple protocol, which runs several at once.
 */
export function preparingPool(pool: pg.Pool): PostgresPool {
  const clients = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    async connect() {
      const client = await pool.connect();
      let wrapped = clients.get(client);
      if (!wrapped) {
        wrapped = preparingClient(client);
        clients.set(client, wrapped);
      }
      return wrapped;
    },
    end: () => pool.end(),
  };
}

function preparingClient(client: pg.PoolClient): PostgresPoolClient {
  /** SQL text → statement name. */
  const statements = new Map<string, string>();
  let next = 0;
  /** Whether the connection must be closed when released: a statement went stale or too many. */
  let retire = false;
  const query = async <R>(
    text: string,
    parameters: ReadonlyArray<unknown>,
  ): Promise<PostgresQueryResult<R>> => {
    if (parameters.length === 0 || retire) {
      return (await client.query(text, [...parameters])) as unknown as PostgresQueryResult<R>;
    }
    let name = statements.get(text);
    if (name === undefined) {
      if (statements.size >= STATEMENTS_PER_CONNECTION) {
        retire = true;
        return (await client.query(text, [...parameters])) as unknown as PostgresQueryResult<R>;
      }
      name = `rally_s${next++}`;
      statements.set(text, name);
    }
    try {
      return (await client.query({
        name,
        text,
        values: [...parameters],
      })) as unknown as PostgresQueryResult<R>;
    } catch (error) {
      if (STALE_STATEMENT.has((error as { code?: string }).code ?? '')) retire = true;
      throw error;
    }
  };
  return {
    query: query as PostgresPoolClient['query'],
    release(destroy?: boolean) {
      client.release(destroy || retire);
    },
  };
}
