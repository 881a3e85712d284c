import { sql, type Insertable, type Kysely, type Updateable } from 'kysely';
import type { Tx } from '../../db/database';
import type { MatchFormat } from '#domain/schemas/leagues';
import type { DB, LineResultsTable, MatchResultsTable, ResultEventsTable } from '../../db/schema';

/** A line of a final result, written out for standings, stats and ratings, with its players. */
export type FinalLineRow = Omit<
  Insertable<LineResultsTable>,
  'matchId' | 'divisionId' | 'matchDate'
> & {
  homePlayers: readonly string[];
  awayPlayers: readonly string[];
};

/** The SQL of results, with camelCase names. */
export const resultsRepository = {
  find(tx: Tx, matchId: string) {
    return tx
      .selectFrom('matchResults')
      .selectAll()
      .where('matchId', '=', matchId)
      .executeTakeFirst();
  },

  /** What a league's rules say about results: its format, sport and confirmation deadline. */
  async rules(tx: Kysely<DB>, leagueId: string) {
    const row = await tx
      .selectFrom('leagues')
      .where('id', '=', leagueId)
      .select(['format', 'sport', 'customSport', 'resultConfirmHours'])
      .executeTakeFirstOrThrow();
    return { ...row, format: row.format as MatchFormat };
  },

  /** The acting user's standing in a match: captain of either team, organizer of its league. */
  async access(tx: Tx, match: { homeTeamId: string; awayTeamId: string; leagueId: string }) {
    const { rows } = await sql<{ home: boolean; away: boolean; organizer: boolean }>`select
      app_is_team_captain(${match.homeTeamId}::uuid) as home,
      app_is_team_captain(${match.awayTeamId}::uuid) as away,
      app_is_league_organizer(${match.leagueId}::uuid) as organizer`.execute(tx);
    return rows[0] ?? { home: false, away: false, organizer: false };
  },

  /** The rosters of the two teams (user ids per team). */
  roster(tx: Tx, teamIds: readonly string[]) {
    return tx
      .selectFrom('teamMembers')
      .where('teamId', 'in', teamIds)
      .select(['teamId', 'userId'])
      .execute();
  },

  names(tx: Tx, userIds: readonly string[]) {
    if (userIds.length === 0) return Promise.resolve([]);
    return tx
      .selectFrom('people')
      .where('userId', 'in', userIds)
      .select(['userId', 'displayName'])
      .execute();
  },

  async insert(tx: Tx, row: Insertable<MatchResultsTable>) {
    await tx.insertInto('matchResults').values(row).execute();
  },

  /**
   * Changes a result if it is still in one of `from` states (and at `version`, when given);
   * false when it was not (someone else acted first, or the copy was stale).
   */
  async update(
    tx: Tx,
    matchId: string,
    from: readonly MatchResultsTable['status'][],
    change: Omit<Updateable<MatchResultsTable>, 'updatedAt'>,
    version?: number,
  ): Promise<boolean> {
    let query = tx
      .updateTable('matchResults')
      .set({ ...change, updatedAt: sql`now()` })
      .where('matchId', '=', matchId)
      .where('status', 'in', from);
    if (version !== undefined) query = query.where('version', '=', version);
    const result = await query.executeTakeFirst();
    return result.numUpdatedRows > 0n;
  },

  async record(tx: Tx, event: Insertable<ResultEventsTable>) {
    await tx.insertInto('resultEvents').values(event).execute();
  },

  history(tx: Tx, matchId: string) {
    return tx
      .selectFrom('resultEvents as e')
      .leftJoin('people as p', 'p.userId', 'e.actorId')
      .where('e.matchId', '=', matchId)
      .select([
        'e.at',
        'e.kind',
        'e.teamId',
        'e.comment',
        'e.lines',
        'e.totals',
        'e.actorId',
        'p.displayName',
      ])
      .orderBy('e.id')
      .execute();
  },

  /** Pending results whose confirmation deadline has passed (owner connection). */
  due(db: Kysely<DB>, now: Date) {
    return db
      .selectFrom('matchResults')
      .where('status', '=', 'pending')
      .where('confirmBy', '<=', now)
      .select('matchId')
      .orderBy('confirmBy')
      .limit(100)
      .execute();
  },

  /** Locks a pending result for the automatic confirmation, skipping one a user holds. */
  lockPending(tx: Tx, matchId: string, now: Date) {
    return tx
      .selectFrom('matchResults')
      .selectAll()
      .where('matchId', '=', matchId)
      .where('status', '=', 'pending')
      .where('confirmBy', '<=', now)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
  },

  /** Writes out a final result's lines and players, replacing an earlier version (as owner). */
  async replaceLines(
    tx: Tx,
    match: { id: string; divisionId: string; matchDate: string },
    teams: { home: string; away: string },
    lines: readonly FinalLineRow[],
  ) {
    const db = tx;
    await db.deleteFrom('lineResults').where('matchId', '=', match.id).execute();
    if (lines.length === 0) return;
    const of = { matchId: match.id, divisionId: match.divisionId };
    await db
      .insertInto('lineResults')
      .values(
        lines.map(({ homePlayers: _h, awayPlayers: _a, ...l }) => ({
          ...l,
          ...of,
          matchDate: match.matchDate,
        })),
      )
      .execute();
    const players = lines.flatMap((l) => [
      ...l.homePlayers.map((userId) => ({ l, side: 'home' as const, teamId: teams.home, userId })),
      ...l.awayPlayers.map((userId) => ({ l, side: 'away' as const, teamId: teams.away, userId })),
    ]);
    if (players.length === 0) return;
    await db
      .insertInto('linePlayers')
      .values(
        players.map((p) => ({
          ...of,
          kind: p.l.kind,
          line: p.l.line,
          side: p.side,
          teamId: p.teamId,
          userId: p.userId,
        })),
      )
      .execute();
  },
};
