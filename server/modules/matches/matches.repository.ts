import { sql, type Updateable } from 'kysely';
import type { Database, Tx } from '../../db/database';
import type { MatchesTable } from '../../db/schema';
import type { SessionQueryAnswer } from '../../plugins/session';

/** A row of `matchesRepository.select`, and of the schedule read (`forUser`). */
export type MatchRow = Awaited<ReturnType<ReturnType<typeof selectMatches>['execute']>>[number];

/** Dates of a schedule read: from (inclusive) and before (exclusive); open when left out. */
export interface ScheduleRange {
  from?: string;
  before?: string;
}

/** A row of a player's schedule: a match and the player's own availability answer for it. */
export type ScheduleRow = MatchRow & {
  my_availability: 'available' | 'maybe' | 'unavailable' | null;
};

/** The base of every schedule view: a match with its teams, division, league and venue. */
function selectMatches(tx: Tx) {
  return tx
    .selectFrom('matches as m')
    .innerJoin('teams as h', 'h.id', 'm.home_team_id')
    .innerJoin('teams as a', 'a.id', 'm.away_team_id')
    .innerJoin('divisions as d', 'd.id', 'm.division_id')
    .innerJoin('seasons as s', 's.id', 'd.season_id')
    .innerJoin('leagues as l', 'l.id', 's.league_id')
    .leftJoin('venues as v', 'v.id', 'm.venue_id')
    .leftJoin('match_results as r', 'r.match_id', 'm.id')
    .select([
      'm.id',
      'm.round',
      'm.division_id',
      'd.name as division_name',
      'l.id as league_id',
      'l.name as league_name',
      'l.time_zone',
      'm.home_team_id',
      'h.name as home_name',
      'm.away_team_id',
      'a.name as away_name',
      'm.venue_id',
      'v.name as venue_name',
      'v.address as venue_address',
      sql<string>`m.match_date::text`.as('match_date'),
      sql<string>`to_char(m.start_time, 'HH24:MI')`.as('start_time'),
      'm.duration_minutes',
      'm.courts',
      'm.status',
      'm.cancel_reason',
      'm.sequence',
      'm.version',
      'm.updated_at',
      'r.status as result_status',
      'r.totals as result_totals',
    ])
    .orderBy('m.match_date')
    .orderBy('m.start_time')
    .orderBy('h.name');
}

/** Matches and their history. Runs under row-level security. */
export const matchesRepository = {
  /** The base of every schedule view: a match with its teams, division, league and venue. */
  select: selectMatches,

  division(tx: Tx, divisionId: string) {
    return this.select(tx).where('m.division_id', '=', divisionId).execute();
  },

  /** A team's matches, home and away. */
  ofTeam(tx: Tx, teamId: string) {
    return this.select(tx)
      .where((eb) => eb.or([eb('m.home_team_id', '=', teamId), eb('m.away_team_id', '=', teamId)]))
      .limit(1000)
      .execute();
  },

  /**
   * The acting user's matches, on any of their teams: one call of `app_my_matches` (migrations
   * 0008 and 0009), the same rows as `select` under the same row-level security, planned once
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

  find(tx: Tx, matchId: string) {
    return this.select(tx).where('m.id', '=', matchId).executeTakeFirst();
  },

  /** Deletes these unplayed matches of a division (played and cancelled ones stay). */
  async removeUnplayed(tx: Tx, divisionId: string, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await tx
      .deleteFrom('matches')
      .where('division_id', '=', divisionId)
      .where('id', 'in', ids)
      .where('status', 'in', ['scheduled', 'postponed'])
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  },

  async insertMany(
    tx: Tx,
    rows: {
      division_id: string;
      round: number | null;
      home_team_id: string;
      away_team_id: string;
      venue_id: string | null;
      match_date: string;
      start_time: string;
      duration_minutes: number;
      courts: number;
    }[],
  ): Promise<string[]> {
    if (rows.length === 0) return [];
    const inserted = await tx.insertInto('matches').values(rows).returning('id').execute();
    return inserted.map((r) => r.id);
  },

  /** Changes a match (and its calendar SEQUENCE); with `expectedVersion`, only that version. */
  async update(
    tx: Tx,
    matchId: string,
    change: {
      match_date?: string;
      start_time?: string;
      venue_id?: string | null;
      status?: Updateable<MatchesTable>['status'];
      cancel_reason?: string | null;
      duration_minutes?: number;
      round?: number | null;
      courts?: number;
    },
    expectedVersion?: number,
  ): Promise<boolean> {
    let query = tx
      .updateTable('matches')
      .set((eb) => ({ ...change, sequence: eb('sequence', '+', 1) }))
      .where('id', '=', matchId);
    if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
    const result = await query.executeTakeFirst();
    return result.numUpdatedRows > 0n;
  },

  async record(
    tx: Tx,
    events: {
      match_id: string;
      actor_id: string;
      kind: 'created' | 'updated' | 'postponed' | 'cancelled';
      details: object;
    }[],
  ): Promise<void> {
    if (events.length === 0) return;
    await tx
      .insertInto('match_events')
      .values(events.map((e) => ({ ...e, details: JSON.stringify(e.details) })))
      .execute();
  },

  history(tx: Tx, matchId: string) {
    return tx
      .selectFrom('match_events as e')
      .leftJoin('people as p', 'p.user_id', 'e.actor_id')
      .select(['e.at', 'e.kind', 'e.details', 'p.display_name'])
      .where('e.match_id', '=', matchId)
      .orderBy('e.at')
      .orderBy('e.id')
      .execute();
  },

  /**
   * The matches a slot may clash with (`domain/rules/clashes.ts`): not cancelled, of either team
   * or at the venue, from the day before `date` to the day after (a match may run past midnight).
   */
  neighbours(tx: Tx, slot: { teamIds: string[]; venueId: string | null; date: string }) {
    return this.select(tx)
      .where('m.status', '<>', 'cancelled')
      .where(sql<boolean>`m.match_date between ${slot.date}::date - 1 and ${slot.date}::date + 1`)
      .where((eb) =>
        eb.or([
          eb('m.home_team_id', 'in', slot.teamIds),
          eb('m.away_team_id', 'in', slot.teamIds),
          ...(slot.venueId ? [eb('m.venue_id', '=', slot.venueId)] : []),
        ]),
      )
      .execute();
  },

  /**
   * Every match, of any division and status, that may hold these venues' courts from `from` to
   * `to` (inclusive): what a division's schedule is built around (`domain/rules/schedule.ts`).
   * From the day before, since a match may run past midnight.
   */
  async atVenues(tx: Tx, range: { venueIds: readonly string[]; from: string; to: string }) {
    if (range.venueIds.length === 0) return [];
    return this.select(tx)
      .where('m.venue_id', 'in', range.venueIds)
      .where(sql<boolean>`m.match_date between ${range.from}::date - 1 and ${range.to}::date`)
      .execute();
  },
};

/** Holds a transaction-level advisory lock on `key` until the transaction ends. */
async function advisoryLock(tx: Tx, key: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(tx);
}

/** One publication or match change of a division at a time. */
export async function lockDivision(tx: Tx, divisionId: string): Promise<void> {
  await advisoryLock(tx, 'schedule:' + divisionId);
}

/**
 * One booking change of a venue at a time: its courts are shared by every division of the league,
 * so two divisions' changes cannot both take the last court. Taken after `lockDivision`.
 */
export async function lockVenue(tx: Tx, venueId: string): Promise<void> {
  await advisoryLock(tx, 'venue:' + venueId);
}

/** Players' answers and captains' lineups. Runs under row-level security. */
export const availabilityRepository = {
  async answer(
    tx: Tx,
    row: {
      match_id: string;
      team_id: string;
      user_id: string;
      answer: 'available' | 'maybe' | 'unavailable';
      note: string | null;
    },
  ): Promise<void> {
    await tx
      .insertInto('match_availability')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['match_id', 'user_id']).doUpdateSet({
          answer: row.answer,
          note: row.note,
          team_id: row.team_id,
          updated_at: new Date(),
        }),
      )
      .execute();
  },

  /** Every roster member of the team with their answer for the match (null: not answered). */
  grid(tx: Tx, matchId: string, teamId: string) {
    return tx
      .selectFrom('team_members as m')
      .leftJoin('people as p', 'p.user_id', 'm.user_id')
      .leftJoin('match_availability as a', (join) =>
        join.onRef('a.user_id', '=', 'm.user_id').on('a.match_id', '=', matchId),
      )
      .select(['m.user_id', 'p.display_name', 'm.status', 'a.answer', 'a.note'])
      .where('m.team_id', '=', teamId)
      .orderBy('p.display_name')
      .execute();
  },

  async replaceLineup(
    tx: Tx,
    matchId: string,
    teamId: string,
    slots: { kind: 'singles' | 'doubles'; line: number; seat: number; user_id: string }[],
  ): Promise<void> {
    await tx
      .deleteFrom('lineup_slots')
      .where('match_id', '=', matchId)
      .where('team_id', '=', teamId)
      .execute();
    if (slots.length === 0) return;
    await tx
      .insertInto('lineup_slots')
      .values(slots.map((s) => ({ ...s, match_id: matchId, team_id: teamId })))
      .execute();
  },

  lineup(tx: Tx, matchId: string, teamId: string) {
    return tx
      .selectFrom('lineup_slots as l')
      .leftJoin('people as p', 'p.user_id', 'l.user_id')
      .select(['l.kind', 'l.line', 'l.seat', 'l.user_id', 'p.display_name'])
      .where('l.match_id', '=', matchId)
      .where('l.team_id', '=', teamId)
      .orderBy('l.kind', 'desc')
      .orderBy('l.line')
      .orderBy('l.seat')
      .execute();
  },
};

/** Captains' date proposals. Runs under row-level security. */
export const proposalsRepository = {
  list(tx: Tx, matchId: string) {
    return tx
      .selectFrom('match_proposals as p')
      .leftJoin('people as u', 'u.user_id', 'p.proposed_by')
      .select([
        'p.id',
        'p.match_id',
        'p.team_id',
        'u.display_name',
        sql<string>`p.match_date::text`.as('match_date'),
        sql<string>`to_char(p.start_time, 'HH24:MI')`.as('start_time'),
        'p.message',
        'p.status',
        'p.created_at',
      ])
      .where('p.match_id', '=', matchId)
      .orderBy('p.created_at', 'desc')
      .execute();
  },

  async insert(
    tx: Tx,
    p: {
      matchId: string;
      teamId: string;
      userId: string;
      date: string;
      startTime: string;
      message: string | null;
    },
  ): Promise<string> {
    const row = await tx
      .insertInto('match_proposals')
      .values({
        match_id: p.matchId,
        team_id: p.teamId,
        proposed_by: p.userId,
        match_date: p.date,
        start_time: p.startTime,
        message: p.message,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  },

  matchOf(tx: Tx, proposalId: string) {
    return tx
      .selectFrom('match_proposals')
      .select('match_id')
      .where('id', '=', proposalId)
      .executeTakeFirst();
  },

  /** Accepts, declines or withdraws; the database function checks who may. */
  async decide(
    tx: Tx,
    proposalId: string,
    decision: 'accepted' | 'declined' | 'withdrawn',
  ): Promise<string> {
    const result = await sql<{
      outcome: string;
    }>`select app_decide_proposal(${proposalId}, ${decision}) as outcome`.execute(tx);
    return result.rows[0]?.outcome ?? 'not_open';
  },
};
