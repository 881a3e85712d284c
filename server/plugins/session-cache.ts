import type { Database } from '../db/database';

/** The channel migration 0016 announces session and user changes on, with the user's id. */
export const SESSIONS_CHANNEL = 'rally_sessions';

/** Sessions kept at most, the oldest dropped first: one per signed-in browser of the last minute. */
const MAX_SESSIONS = 10_000;

/**
 * How long a kept session is trusted without a notice: a bound on what a notice lost without the
 * listening connection noticing (it would have been reset) could cost.
 */
const MAX_AGE_MS = 60_000;

/** A kept session's row: `id` is its user's. */
interface SessionRow {
  id: string;
}

export interface SessionCache<R extends SessionRow> {
  /** The session under `id`: kept, or `read()` and kept if it is live. */
  get(id: string, read: () => Promise<R | undefined>): Promise<R | undefined>;
  /** Drops this user's sessions here at once: they wrote, and may have changed them. */
  forgetUser(userId: string): void;
}

/**
 * On PostgreSQL, the sessions this server has looked up, kept in memory so that a request needs
 * no round trip for its session (decision 0013). Every change to a session or its user is
 * announced by the database on commit (migration 0016), and the user's sessions are dropped here
 * when the notice arrives; while the listening connection is down nothing is kept. Null on
 * embedded PGlite, where `Database.cachedRead` keeps sessions until the next write.
 */
export function sessionCache<R extends SessionRow>(
  db: Database,
  live: (row: R) => boolean,
): { cache: SessionCache<R>; stop: () => Promise<void> } | null {
  const kept = new Map<string, { row: R; at: number }>();
  /** The ids of the sessions kept for each user. */
  const byUser = new Map<string, Set<string>>();
  /** Moves on every notice and reset: a look-up that began before must not be kept. */
  let generation = 0;
  let listening = false;
  const drop = (id: string) => {
    const entry = kept.get(id);
    if (!entry) return;
    kept.delete(id);
    const ids = byUser.get(entry.row.id);
    ids?.delete(id);
    if (ids?.size === 0) byUser.delete(entry.row.id);
  };
  const forgetUser = (userId: string) => {
    generation++;
    for (const id of byUser.get(userId) ?? []) drop(id);
  };
  const stop = db.listen(SESSIONS_CHANNEL, {
    message: forgetUser,
    reset(now) {
      generation++;
      kept.clear();
      byUser.clear();
      listening = now;
    },
  });
  if (!stop) return null;
  return {
    stop,
    cache: {
      forgetUser,
      async get(id, read) {
        if (!listening) return read();
        const entry = kept.get(id);
        if (entry && Date.now() - entry.at < MAX_AGE_MS && live(entry.row)) return entry.row;
        const seen = generation;
        const row = await read();
        drop(id);
        if (row && live(row) && seen === generation && listening) {
          if (kept.size >= MAX_SESSIONS) drop(kept.keys().next().value as string);
          kept.set(id, { row, at: Date.now() });
          byUser.set(row.id, (byUser.get(row.id) ?? new Set()).add(id));
        }
        return row;
      },
    },
  };
}
