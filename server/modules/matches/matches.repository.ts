import { sql, type Insertable, type RawBuilder, type Updateable } from 'kysely';
import type { Tx } from '../../db/database';
import type { MatchesTable, MatchEventsTable } from '../../db/schema';

/** A row of `matchesRepository.select`: a match with its teams, division, league and venue. */
export type MatchRow = Awaited<ReturnType<ReturnType<typeof selectMatches>['execute']>>[number];

/** The base of every schedule view: a match with its teams, division, league and venue. */
function selectMatches(tx: Tx) {
  return tx
    .selectFrom('matches as m')
    .innerJoin('teams as h', 'h.id', 'm.homeTeamId')
    .innerJoin('teams as a', 'a.id', 'm.awayTeamId')
    .innerJoin('divisions as d', 'd.id', 'm.divisionId')
    .innerJoin('seasons as s', 's.id', 'd.seasonId')
    .innerJoin('leagues as l', 'l.id', 's.leagueId')
    .leftJoin('venues as v', 'v.id', 'm.venueId')
    .leftJoin('matchResults as r', 'r.matchId', 'm.id')
    .select([
      'm.id',
      'm.round',
      'm.divisionId',
      'd.name as divisionName',
      'l.id as leagueId',
      'l.name as leagueName',
      'l.timeZone',
      'm.homeTeamId',
      'h.name as homeName',
      'm.awayTeamId',
      'a.name as awayName',
      'm.venueId',
      'v.name as venueName',
      'v.address as venueAddress',
      sql<string>`m.match_date::text`.as('matchDate'),
      sql<string>`to_char(m.start_time, 'HH24:MI')`.as('startTime'),
      'm.durationMinutes',
      'm.courts',
      'm.status',
      'm.cancelReason',
      'm.sequence',
      'm.version',
      'm.updatedAt',
      'r.status as resultStatus',
      'r.totals as resultTotals',
    ])
    .orderBy('m.matchDate')
    .orderBy('m.startTime')
    .orderBy('h.name');
}

/**
 * The rows of a schedule page function (migration 0014): none when what the page is about is not
 * visible (undefined), one row of nulls when it is and has no match ([]).
 */
async function page(tx: Tx, call: RawBuilder<unknown>): Promise<MatchRow[] | undefined> {
  const rows = (await tx.selectFrom(call.as('m')).selectAll().execute()) as unknown as (Omit<
    MatchRow,
    'id'
  > & { id: string | null })[];
  if (rows.length === 0) return undefined;
  return rows[0]?.id === null ? [] : (rows as MatchRow[]);
}

/** A new match, as `insertMany` takes it. */
export type NewMatch = Insertable<MatchesTable>;

/** What `update` may change of a match (its calendar SEQUENCE and version move by themselves). */
export type MatchChange = Pick<
  Updateable<MatchesTable>,
  | 'matchDate'
  | 'startTime'
  | 'venueId'
  | 'status'
  | 'cancelReason'
  | 'durationMinutes'
  | 'round'
  | 'courts'
>;

/** Matches and their history, with camelCase names. Runs under row-level security. */
export const matchesRepository = {
  /** The base of every schedule view: a match with its teams, division, league and venue. */
  select: selectMatches,

  division(tx: Tx, divisionId: string) {
    return this.select(tx).where('m.divisionId', '=', divisionId).execute();
  },

  /** A team's matches, home and away. */
  ofTeam(tx: Tx, teamId: string) {
    return this.select(tx)
      .where((eb) => eb.or([eb('m.homeTeamId', '=', teamId), eb('m.awayTeamId', '=', teamId)]))
      .limit(1000)
      .execute();
  },

  /**
   * A division's schedule page: one call of `app_division_matches` (migration 0014), the rows of
   * `division` under the same row-level security, checked once. Undefined: the division is not
   * visible to the user.
   */
  divisionPage(tx: Tx, divisionId: string): Promise<MatchRow[] | undefined> {
    return page(tx, sql`app_division_matches(${divisionId}::uuid)`);
  },

  /**
   * A team's schedule page: one call of `app_team_matches` (migration 0014), the rows of `ofTeam`
   * under the same row-level security. Undefined: the team is not visible to the user.
   */
  teamPage(tx: Tx, teamId: string): Promise<MatchRow[] | undefined> {
    return page(tx, sql`app_team_matches(${teamId}::uuid)`);
  },

  find(tx: Tx, matchId: string) {
    return this.select(tx).where('m.id', '=', matchId).executeTakeFirst();
  },

  /** Deletes these unplayed matches of a division (played and cancelled ones stay). */
  async removeUnplayed(tx: Tx, divisionId: string, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await tx
      .deleteFrom('matches')
      .where('divisionId', '=', divisionId)
      .where('id', 'in', ids)
      .where('status', 'in', ['scheduled', 'postponed'])
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  },

  async insertMany(tx: Tx, rows: readonly NewMatch[]): Promise<string[]> {
    if (rows.length === 0) return [];
    const inserted = await tx
      .insertInto('matches')
      .values([...rows])
      .returning('id')
      .execute();
    return inserted.map((r) => r.id);
  },

  /** Changes a match (and its calendar SEQUENCE); with `expectedVersion`, only that version. */
  async update(
    tx: Tx,
    matchId: string,
    change: MatchChange,
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
    events: (Pick<Insertable<MatchEventsTable>, 'matchId' | 'actorId' | 'kind'> & {
      details: object;
    })[],
  ): Promise<void> {
    if (events.length === 0) return;
    await tx
      .insertInto('matchEvents')
      .values(events.map((e) => ({ ...e, details: JSON.stringify(e.details) })))
      .execute();
  },

  /** A match with a final result is played (as owner: only organizers write matches). */
  async markPlayed(tx: Tx, matchId: string): Promise<void> {
    await tx.updateTable('matches').set({ status: 'played' }).where('id', '=', matchId).execute();
  },

  history(tx: Tx, matchId: string) {
    return tx
      .selectFrom('matchEvents as e')
      .leftJoin('people as p', 'p.userId', 'e.actorId')
      .select(['e.at', 'p.displayName as actor', 'e.kind', 'e.details'])
      .where('e.matchId', '=', matchId)
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
          eb('m.homeTeamId', 'in', slot.teamIds),
          eb('m.awayTeamId', 'in', slot.teamIds),
          ...(slot.venueId ? [eb('m.venueId', '=', slot.venueId)] : []),
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
      .where('m.venueId', 'in', range.venueIds)
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
