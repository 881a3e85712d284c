import { sql } from 'kysely';
import type { Tx } from '../../db/database';

/** A line's columns for a player's or team's record, the date as `YYYY-MM-DD`. */
const lineColumns = [
  'lr.match_id',
  'lr.kind',
  'lr.line',
  sql<string>`lr.match_date::text`.as('date'),
  'lr.outcome',
  'lr.winner',
  'lr.sets',
  'l.sport',
  'l.custom_sport',
  'l.format',
] as const;

/**
 * Players' lines and teams' records. Every query runs under row-level security: lines of
 * divisions the user may see, names from the `people` view.
 */
export const playersRepository = {
  /** The person's display name, if the user may see them. */
  async person(tx: Tx, userId: string) {
    return tx
      .selectFrom('people')
      .select(['user_id', 'display_name'])
      .where('user_id', '=', userId)
      .executeTakeFirst();
  },

  async names(tx: Tx, userIds: readonly string[]) {
    if (userIds.length === 0) return new Map<string, string>();
    const rows = await tx
      .selectFrom('people')
      .select(['user_id', 'display_name'])
      .where('user_id', 'in', [...new Set(userIds)])
      .execute();
    return new Map(rows.map((r) => [r.user_id, r.display_name]));
  },

  /** The sport of the league of the player's newest team the user can see. */
  async teamSport(tx: Tx, userId: string) {
    return tx
      .selectFrom('team_members as tm')
      .innerJoin('teams as t', 't.id', 'tm.team_id')
      .innerJoin('divisions as d', 'd.id', 't.division_id')
      .innerJoin('seasons as s', 's.id', 'd.season_id')
      .innerJoin('leagues as l', 'l.id', 's.league_id')
      .select(['l.sport', 'l.custom_sport'])
      .where('tm.user_id', '=', userId)
      .orderBy('s.starts_on', 'desc')
      .limit(1)
      .executeTakeFirst();
  },

  /** Every final line the player played that the user can see, with its league's sport and format. */
  async playerLines(tx: Tx, userId: string) {
    return tx
      .selectFrom('line_players as lp')
      .innerJoin('line_results as lr', (j) =>
        j
          .onRef('lr.match_id', '=', 'lp.match_id')
          .onRef('lr.kind', '=', 'lp.kind')
          .onRef('lr.line', '=', 'lp.line'),
      )
      .innerJoin('divisions as d', 'd.id', 'lr.division_id')
      .innerJoin('seasons as s', 's.id', 'd.season_id')
      .innerJoin('leagues as l', 'l.id', 's.league_id')
      .select([...lineColumns, 'lp.side', 'lp.user_id'])
      .where('lp.user_id', '=', userId)
      .execute();
  },

  /** Every final line a team played, from its side, with its league's format. */
  async teamLines(tx: Tx, teamId: string) {
    return tx
      .selectFrom('line_results as lr')
      .innerJoin('matches as m', 'm.id', 'lr.match_id')
      .innerJoin('divisions as d', 'd.id', 'lr.division_id')
      .innerJoin('seasons as s', 's.id', 'd.season_id')
      .innerJoin('leagues as l', 'l.id', 's.league_id')
      .select([
        ...lineColumns,
        sql<'home' | 'away'>`case when m.home_team_id = ${teamId} then 'home' else 'away' end`.as(
          'side',
        ),
      ])
      .where((eb) => eb.or([eb('m.home_team_id', '=', teamId), eb('m.away_team_id', '=', teamId)]))
      .where('m.status', '<>', 'cancelled')
      .execute();
  },

  /** Who played each line of these matches (to name partners and opponents). */
  async linePlayers(tx: Tx, matchIds: readonly string[]) {
    if (matchIds.length === 0) return [];
    return tx
      .selectFrom('line_players')
      .select(['match_id', 'kind', 'line', 'side', 'team_id', 'user_id'])
      .where('match_id', 'in', [...new Set(matchIds)])
      .execute();
  },

  /** The team's league: its sport, for ratings. */
  async teamLeague(tx: Tx, teamId: string) {
    return tx
      .selectFrom('teams as t')
      .innerJoin('divisions as d', 'd.id', 't.division_id')
      .innerJoin('seasons as s', 's.id', 'd.season_id')
      .innerJoin('leagues as l', 'l.id', 's.league_id')
      .select(['l.sport', 'l.custom_sport'])
      .where('t.id', '=', teamId)
      .executeTakeFirst();
  },

  /** The team's current roster. */
  async roster(tx: Tx, teamId: string) {
    return tx.selectFrom('team_members').select('user_id').where('team_id', '=', teamId).execute();
  },

  /** The team's final team-match results (matches not cancelled), newest first. */
  async teamResults(tx: Tx, teamId: string) {
    return tx
      .selectFrom('match_results as r')
      .innerJoin('matches as m', 'm.id', 'r.match_id')
      .leftJoin('teams as o', (j) =>
        j.on(
          sql<boolean>`o.id = case when m.home_team_id = ${teamId} then m.away_team_id
            else m.home_team_id end`,
        ),
      )
      .select([
        'm.id',
        sql<string>`m.match_date::text`.as('date'),
        'm.home_team_id',
        'm.away_team_id',
        'o.name as opponent_name',
        'r.totals',
      ])
      .where('r.status', '=', 'final')
      .where('m.status', '<>', 'cancelled')
      .where((eb) => eb.or([eb('m.home_team_id', '=', teamId), eb('m.away_team_id', '=', teamId)]))
      .orderBy('m.match_date', 'desc')
      .orderBy('m.start_time', 'desc')
      .orderBy('m.id')
      .execute();
  },
};
