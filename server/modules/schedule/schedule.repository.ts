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
  myAvailability: 'available' | 'maybe' | 'unavailable' | null;
};

/**
 * The columns of `app_my_matches` (as `m`) under `ScheduleRow`'s names: renamed in the statement,
 * so that the hot read needs no plugin (`Database.prepared` runs it as compiled).
 */
const SCHEDULE_COLUMNS = sql.raw(
  [
    'm.id',
    'm.round',
    'm.division_id as "divisionId"',
    'm.division_name as "divisionName"',
    'm.league_id as "leagueId"',
    'm.league_name as "leagueName"',
    'm.time_zone as "timeZone"',
    'm.home_team_id as "homeTeamId"',
    'm.home_name as "homeName"',
    'm.away_team_id as "awayTeamId"',
    'm.away_name as "awayName"',
    'm.venue_id as "venueId"',
    'm.venue_name as "venueName"',
    'm.venue_address as "venueAddress"',
    'm.match_date as "matchDate"',
    'm.start_time as "startTime"',
    'm.duration_minutes as "durationMinutes"',
    'm.courts',
    'm.status',
    'm.cancel_reason as "cancelReason"',
    'm.sequence',
    'm.version',
    'm.updated_at as "updatedAt"',
    'm.result_status as "resultStatus"',
    'm.result_totals as "resultTotals"',
    'm.my_availability as "myAvailability"',
  ].join(', '),
);

/** The schedule views' own reads: a player's matches, by user or by session. */
export const scheduleRepository = {
  /**
   * The acting user's matches, on any of their teams: one call of `app_my_matches` (migrations
   * 0008 and 0009), the same rows as `matchesRepository.select` under the same row-level security, planned once
   * per connection instead of on every request. In `select`'s order.
   */
  async forUser(tx: Tx, range: ScheduleRange): Promise<ScheduleRow[]> {
    const result = await sql<ScheduleRow>`select ${SCHEDULE_COLUMNS}
        from app_my_matches(${range.from ?? null}::date, ${range.before ?? null}::date) m`.execute(
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
      ScheduleRow & { sessionExpiresAt: Date; sessionCreatedAt: Date }
    >(
      'rally_my_matches_by_session',
      sql`select s.expires_at as "sessionExpiresAt", s.created_at as "sessionCreatedAt",
          ${SCHEDULE_COLUMNS}
        from sessions s
          left join lateral app_my_matches_of(s.user_id, ${range.from ?? null}::date,
            ${range.before ?? null}::date) m on true
        where s.id = ${sessionId} and s.expires_at > now()`.compile(db.system),
    );
    const first = rows[0];
    if (!first) return null;
    const { sessionExpiresAt: expiresAt, sessionCreatedAt: createdAt } = first;
    // No match: the one row the left join keeps for the session, with no match in it.
    const result = first.id === null ? [] : rows;
    for (const row of result) {
      delete (row as Partial<typeof row>).sessionExpiresAt;
      delete (row as Partial<typeof row>).sessionCreatedAt;
    }
    return { expiresAt, createdAt, result };
  },
};
