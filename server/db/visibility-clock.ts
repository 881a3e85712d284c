import pg from 'pg';

/**
 * Which transactions of a PostgreSQL server are visible, as `pg_current_snapshot()` prints it
 * (`xmin:xmax:in-progress ids`): it changes exactly when a transaction that wrote (one that holds
 * a transaction id) commits or rolls back, on any connection, instance or tool, and never for a
 * read. An answer read after the clock said S is the answer to the same question asked at any
 * later moment the clock still says S (decision 0014). Reading a snapshot needs no privilege.
 */
export interface VisibilityClock {
  /**
   * The snapshot, read by a statement sent after this call (so no later than the caller's
   * question): calls that arrive while a read is on its way share the next one. Null while the
   * server cannot be reached: then nothing is known, and nothing may be kept.
   */
  read(): Promise<string | null>;
  close(): Promise<void>;
}

/** How long a clock whose connection failed answers null before it tries to connect again. */
const RETRY_MS = 1_000;

/**
 * A clock on a connection of its own (application_name `rally-visibility-clock`), so that
 * reading it never waits behind the pool's statements. One statement at a time: the reads of
 * concurrent callers are shared, at most one in flight and one waiting.
 */
export function visibilityClock(url: string, onError: (error: Error) => void): VisibilityClock {
  let client: Promise<pg.Client> | undefined;
  let closed = false;
  let retryAt = 0;
  let inFlight: Promise<string | null> | undefined;
  let waiting: Promise<string | null> | undefined;

  const drop = (failed: Promise<pg.Client>) => {
    if (client !== failed) return;
    client = undefined;
    retryAt = Date.now() + RETRY_MS;
    void failed.then((c) => c.end()).catch(() => {});
  };

  const connect = () => {
    const c = new pg.Client({
      connectionString: url,
      application_name: 'rally-visibility-clock',
      keepAlive: true,
    });
    const opened = c.connect().then(() => c);
    c.on('error', (error) => {
      onError(error);
      drop(opened);
    });
    c.on('end', () => drop(opened));
    return opened;
  };

  const ask = async (): Promise<string | null> => {
    if (closed || Date.now() < retryAt) return null;
    const current = (client ??= connect());
    try {
      const { rows } = await (
        await current
      ).query<{ snapshot: string }>({
        name: 'rally_visibility',
        text: 'select pg_current_snapshot()::text as snapshot',
      });
      return rows[0]?.snapshot ?? null;
    } catch (error) {
      onError(error as Error);
      drop(current);
      return null;
    }
  };

  const start = () => {
    const reading = ask();
    inFlight = reading;
    void reading.finally(() => {
      if (inFlight === reading) inFlight = undefined;
    });
    return reading;
  };

  return {
    read() {
      if (!inFlight) return start();
      // The read in flight may have been sent before this call: wait for the next one, shared
      // by everyone who arrives meanwhile (a read started by then was sent after all of them).
      waiting ??= inFlight.then(() => {
        waiting = undefined;
        return inFlight ?? start();
      });
      return waiting;
    },
    async close() {
      closed = true;
      const current = client;
      client = undefined;
      await current?.then((c) => c.end()).catch(() => {});
    },
  };
}
