import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Tx } from '../../db/database';
import type { MatchFormat } from '#domain/schemas/leagues';
import type { SnakeCaseDB } from '../../db/naming';
import type { MatchResultsTable, ResultEventsTable } from '../../db/schema';

type ResultChange = Partial<{
  status: MatchResultsTable['status'];
  lines: string;
  totals: string;
  entered_by: string | null;
  entered_at: Date;
  confirm_by: Date | null;
  dispute_team_id: string | null;
  dispute_comment: string | null;
  dispute_lines: string | null;
  dispute_totals: string | null;
  disputed_at: Date | null;
  decided_how: MatchResultsTable['decidedHow'];
  decided_by: string | null;
  decided_at: Date | null;
}>;

/** A line of a final result, written out for standings, stats and ratings. */
export interface FinalLineRow {
  kind: 'singles' | 'doubles';
  line: number;
  outcome: 'completed' | 'retired' | 'walkover' | 'default';
  winner: 'home' | 'away';
  sets: string;
  sets_home: number;
  sets_away: number;
  games_home: number;
  games_away: number;
  text: string;
  rated: boolean;
  rating_games_home: number | null;
  rating_games_away: number | null;
  homePlayers: readonly string[];
  awayPlayers: readonly string[];
}

/** The SQL of results. */
export const resultsRepository = {
  find(tx: Tx, matchId: string) {
    return tx
      .selectFrom('match_results')
      .selectAll()
      .where('match_id', '=', matchId)
      .executeTakeFirst();
  },

  /** What a league's rules say about results: its format, sport and confirmation deadline. */
  async rules(tx: Kysely<SnakeCaseDB>, leagueId: string) {
    const row = await tx
      .selectFrom('leagues')
      .where('id', '=', leagueId)
      .select(['format', 'sport', 'custom_sport', 'result_confirm_hours'])
      .executeTakeFirstOrThrow();
    return { ...row, format: row.format as MatchFormat };
  },

  /** The acting user's standing in a match: captain of either team, organizer of its league. */
  async access(tx: Tx, match: { home_team_id: string; away_team_id: string; league_id: string }) {
    const { rows } = await sql<{ home: boolean; away: boolean; organizer: boolean }>`select
      app_is_team_captain(${match.home_team_id}::uuid) as home,
      app_is_team_captain(${match.away_team_id}::uuid) as away,
      app_is_league_organizer(${match.league_id}::uuid) as organizer`.execute(tx);
    return rows[0] ?? { home: false, away: false, organizer: false };
  },

  /** The rosters of the two teams (user ids per team). */
  roster(tx: Tx, teamIds: readonly string[]) {
    return tx
      .selectFrom('team_members')
      .where('team_id', 'in', teamIds)
      .select(['team_id', 'user_id'])
      .execute();
  },

  names(tx: Tx, userIds: readonly string[]) {
    if (userIds.length === 0) return Promise.resolve([]);
    return tx
      .selectFrom('people')
      .where('user_id', 'in', userIds)
      .select(['user_id', 'display_name'])
      .execute();
  },

  async insert(
    tx: Tx,
    row: {
      match_id: string;
      division_id: string;
      status: MatchResultsTable['status'];
      lines: string;
      totals: string;
      entered_team_id: string | null;
      entered_by: string;
      entered_at?: Date;
      confirm_by: Date | null;
      decided_how?: MatchResultsTable['decidedHow'];
      decided_by?: string | null;
      decided_at?: Date | null;
    },
  ) {
    await tx.insertInto('match_results').values(row).execute();
  },

  /**
   * Changes a result if it is still in one of `from` states (and at `version`, when given);
   * false when it was not (someone else acted first, or the copy was stale).
   */
  async update(
    tx: Tx,
    matchId: string,
    from: readonly MatchResultsTable['status'][],
    change: ResultChange,
    version?: number,
  ): Promise<boolean> {
    let query = tx
      .updateTable('match_results')
      .set({ ...change, updated_at: sql`now()` })
      .where('match_id', '=', matchId)
      .where('status', 'in', from);
    if (version !== undefined) query = query.where('version', '=', version);
    const result = await query.executeTakeFirst();
    return result.numUpdatedRows > 0n;
  },

  async record(
    tx: Tx,
    event: {
      match_id: string;
      division_id: string;
      kind: ResultEventsTable['kind'];
      actor_id: string | null;
      team_id: string | null;
      comment: string | null;
      lines: string | null;
      totals: string | null;
      at?: Date;
    },
  ) {
    await tx.insertInto('result_events').values(event).execute();
  },

  history(tx: Tx, matchId: string) {
    return tx
      .selectFrom('result_events as e')
      .leftJoin('people as p', 'p.user_id', 'e.actor_id')
      .where('e.match_id', '=', matchId)
      .select([
        'e.at',
        'e.kind',
        'e.team_id',
        'e.comment',
        'e.lines',
        'e.totals',
        'e.actor_id',
        'p.display_name',
      ])
      .orderBy('e.id')
      .execute();
  },

  /** Pending results whose confirmation deadline has passed (owner connection). */
  due(db: Kysely<SnakeCaseDB>, now: Date) {
    return db
      .selectFrom('match_results')
      .where('status', '=', 'pending')
      .where('confirm_by', '<=', now)
      .select('match_id')
      .orderBy('confirm_by')
      .limit(100)
      .execute();
  },

  /** Locks a pending result for the automatic confirmation, skipping one a user holds. */
  lockPending(tx: Tx, matchId: string, now: Date) {
    return tx
      .selectFrom('match_results')
      .selectAll()
      .where('match_id', '=', matchId)
      .where('status', '=', 'pending')
      .where('confirm_by', '<=', now)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
  },

  /** Writes out a final result's lines and players, replacing an earlier version (as owner). */
  async replaceLines(
    tx: Tx,
    match: { id: string; division_id: string; match_date: string },
    teams: { home: string; away: string },
    lines: readonly FinalLineRow[],
  ) {
    await tx.deleteFrom('line_results').where('match_id', '=', match.id).execute();
    if (lines.length === 0) return;
    await tx
      .insertInto('line_results')
      .values(
        lines.map(({ homePlayers: _h, awayPlayers: _a, ...l }) => ({
          ...l,
          match_id: match.id,
          division_id: match.division_id,
          match_date: match.match_date,
        })),
      )
      .execute();
    const players = lines.flatMap((l) => [
      ...l.homePlayers.map((user_id) => ({
        l,
        side: 'home' as const,
        team_id: teams.home,
        user_id,
      })),
      ...l.awayPlayers.map((user_id) => ({
        l,
        side: 'away' as const,
        team_id: teams.away,
        user_id,
      })),
    ]);
    if (players.length === 0) return;
    await tx
      .insertInto('line_players')
      .values(
        players.map((p) => ({
          match_id: match.id,
          division_id: match.division_id,
          kind: p.l.kind,
          line: p.l.line,
          side: p.side,
          team_id: p.team_id,
          user_id: p.user_id,
        })),
      )
      .execute();
  },
};
