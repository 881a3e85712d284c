import { sql } from 'kysely';
import type { Database, Tx } from '../../db/database';
import type { SessionQueryAnswer } from '../../plugins/session';
import type { MatchRow } from '../matches';

/** Dates of a schedule read: from (inclusive) and before (exclusive); open when left out. */
export interface ScheduleRange {
  from?: string;
  before?: string;
}

/** A row of a player's schedule: a match and the player's own availability answer for it. */
export type ScheduleRow = MatchRow & {
  my_availability: 'available' | 'maybe' | 'unavailable' | null;
};

/** The schedule views' own reads: a player's matches, by user or by session. */
export const scheduleRepository = {
  /**
   * The acting user's matches, on any of their teams: one call of `app_my_matches` (migrations
   * 0008 and 0009), the same rows as `matchesRepository.select` under the same row-level security, planned once
   * per connection instead of on every request. In `select`'s order.
   */
  async forUser(tx: Tx, range: ScheduleRange): Promise<ScheduleRow[]> {
    const result =
      await sql<ScheduleRow>`select * from app_my_matches(${range.from ?? null}::date, ${range.before ?? null}::date)`.execute(
        tx,
      );
    return result.rows;
  },

  /**
   * The app's hot read, `GET /api/me/matches`, as one statement: the session look-up and the
   * session's user's matches (`app_my_matches_of`, the same rows as `forUser` for that user).
   * Run by the owner, as the session look-up is, since the user comes from the session in the
   * same statement (decision 0006), and prepared once per connection. Null: no live session.
   */
  async forSession(
    db: Database,
    sessionId: string,
    range: ScheduleRange,
  ): Promise<SessionQueryAnswer<ScheduleRow[]> | null> {
    const rows = await db.prepared<
      ScheduleRow & { session_expires_at: Date; session_created_at: Date }
    >(
      'rally_my_matches_by_session',
      sql`select s.expires_at as session_expires_at, s.created_at as session_created_at, m.*
        from sessions s
          left join lateral app_my_matches_of(s.user_id, ${range.from ?? null}::date,
            ${range.before ?? null}::date) m on true
        where s.id = ${sessionId} and s.expires_at > now()`.compile(db.system),
    );
    const first = rows[0];
    if (!first) return null;
    const { session_expires_at: expiresAt, session_created_at: createdAt } = first;
    // No match: the one row the left join keeps for the session, with no match in it.
    const result = first.id === null ? [] : rows;
    for (const row of result) {
      delete (row as Partial<typeof row>).session_expires_at;
      delete (row as Partial<typeof row>).session_created_at;
    }
    return { expiresAt, createdAt, result };
  },
};
