import { sql, type Updateable } from 'kysely';
import type { Tx } from '../../db/database';
import type { MatchesTable } from '../../db/schema';

/** A row of `matchesRepository.select`: a match with its teams, division, league and venue. */
export type MatchRow = Awaited<ReturnType<ReturnType<typeof selectMatches>['execute']>>[number];

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

  /** A match with a final result is played (as owner: only organizers write matches). */
  async markPlayed(tx: Tx, matchId: string): Promise<void> {
    await tx.updateTable('matches').set({ status: 'played' }).where('id', '=', matchId).execute();
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
