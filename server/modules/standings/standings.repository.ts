import type { Tx } from '../../db/database';

/**
 * What division standings are made of, with camelCase names. Every query runs under row-level security: a division the
 * user cannot see has no rules, teams or results here.
 */
export const standingsRepository = {
  /** The league's standings rules, as stored (validated when they were written). */
  async rules(tx: Tx, divisionId: string) {
    return tx
      .selectFrom('divisions as d')
      .innerJoin('seasons as s', 's.id', 'd.seasonId')
      .innerJoin('leagues as l', 'l.id', 's.leagueId')
      .select(['l.standingsRules'])
      .where('d.id', '=', divisionId)
      .executeTakeFirst();
  },

  /**
   * The division's teams: every active team, and a team that withdrew (archived) only while it
   * has a final result here, since its played matches still count for its opponents. A team that
   * appears in a final result is always listed, so every result has both its teams in the table.
   */
  async teams(tx: Tx, divisionId: string) {
    // One set of ids (the division's active teams, then both sides of its final results) that
    // the planner looks the teams up by: an OR with a correlated EXISTS would scan every team.
    const final = (side: 'm.homeTeamId' | 'm.awayTeamId') =>
      tx
        .selectFrom('matchResults as r')
        .innerJoin('matches as m', 'm.id', 'r.matchId')
        .select(`${side} as id`)
        .where('r.divisionId', '=', divisionId)
        .where('r.status', '=', 'final')
        .where('m.status', '<>', 'cancelled');
    return tx
      .selectFrom('teams as t')
      .select(['t.id', 't.name'])
      .where('t.id', 'in', (eb) =>
        eb
          .selectFrom('teams as a')
          .select('a.id')
          .where('a.divisionId', '=', divisionId)
          .where('a.archivedAt', 'is', null)
          .unionAll(final('m.homeTeamId'))
          .unionAll(final('m.awayTeamId')),
      )
      .orderBy('t.name')
      .execute();
  },

  /** The division's final team-match results (matches not cancelled), with their totals. */
  async finalResults(tx: Tx, divisionId: string) {
    return tx
      .selectFrom('matchResults as r')
      .innerJoin('matches as m', 'm.id', 'r.matchId')
      .select(['m.id', 'm.homeTeamId', 'm.awayTeamId', 'r.totals'])
      .where('r.divisionId', '=', divisionId)
      .where('r.status', '=', 'final')
      .where('m.status', '<>', 'cancelled')
      .orderBy('m.matchDate')
      .orderBy('m.id')
      .execute();
  },
};
