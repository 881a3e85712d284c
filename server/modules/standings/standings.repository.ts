import { sql } from 'kysely';
import type { Tx } from '../../db/database';

/**
 * What division standings are made of. Every query runs under row-level security: a division the
 * user cannot see has no rules, teams or results here.
 */
export const standingsRepository = {
  /** The league's standings rules, as stored (validated when they were written). */
  async rules(tx: Tx, divisionId: string) {
    return tx
      .selectFrom('divisions as d')
      .innerJoin('seasons as s', 's.id', 'd.season_id')
      .innerJoin('leagues as l', 'l.id', 's.league_id')
      .select(['l.standings_rules'])
      .where('d.id', '=', divisionId)
      .executeTakeFirst();
  },

  /**
   * The division's teams: every active team, and a team that withdrew (archived) only while it
   * has a final result here, since its played matches still count for its opponents. A team that
   * appears in a final result is always listed, so every result has both its teams in the table.
   */
  async teams(tx: Tx, divisionId: string) {
    return tx
      .selectFrom('teams as t')
      .select(['t.id', 't.name'])
      .where((eb) =>
        eb.or([
          eb.and([eb('t.division_id', '=', divisionId), eb('t.archived_at', 'is', null)]),
          eb.exists(
            eb
              .selectFrom('match_results as r')
              .innerJoin('matches as m', 'm.id', 'r.match_id')
              .select(sql`1`.as('one'))
              .where('r.division_id', '=', divisionId)
              .where('r.status', '=', 'final')
              .where('m.status', '<>', 'cancelled')
              .where((w) =>
                w.or([
                  w('m.home_team_id', '=', w.ref('t.id')),
                  w('m.away_team_id', '=', w.ref('t.id')),
                ]),
              ),
          ),
        ]),
      )
      .orderBy('t.name')
      .execute();
  },

  /** The division's final team-match results (matches not cancelled), with their totals. */
  async finalResults(tx: Tx, divisionId: string) {
    return tx
      .selectFrom('match_results as r')
      .innerJoin('matches as m', 'm.id', 'r.match_id')
      .select(['m.id', 'm.home_team_id', 'm.away_team_id', 'r.totals'])
      .where('r.division_id', '=', divisionId)
      .where('r.status', '=', 'final')
      .where('m.status', '<>', 'cancelled')
      .orderBy('m.match_date')
      .orderBy('m.id')
      .execute();
  },
};
