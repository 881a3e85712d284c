import { sql } from 'kysely';
import type { Tx } from './database';

/**
 * The SQL of `Database.viewer`: what decides which rows of the shared pages a user sees
 * (decision 0016).
 */
export const viewerRepository = {
  /**
   * The acting user's visibility key, run as that user under row-level security: the leagues of
   * `app_my_leagues()` (organized, played in), then the teams and the leagues they created that
   * only `created_by = app_user_id()` shows them (a team whose division, a league that is neither
   * public nor one of those leagues), each list sorted, joined by `|`. Signed out, or signed in
   * with none of these: `||`. `onRoster`: the user is on a team's roster, which the select
   * policies then show to everyone with the same key, with their name and ratings.
   */
  async visibility(tx: Tx): Promise<{ key: string; onRoster: boolean }> {
    return viewerRepository.visibilityQuery(tx).executeTakeFirstOrThrow();
  },

  /** `visibility`'s statement (server/test/hot-reads.ts explains it). */
  visibilityQuery(tx: Tx) {
    return tx
      .with(
        (cte) => cte('m').materialized(),
        (db) => db.selectNoFrom(sql<string[]>`app_my_leagues()`.as('mine')),
      )
      .selectFrom('m')
      .select([
        sql<string>`concat_ws('|',
          array_to_string(array(select x from unnest(m.mine) x order by x), ','),
          array_to_string(array(select t.id from teams t where t.created_by = app_user_id()
            and not app_division_visible(t.division_id, m.mine) order by t.id), ','),
          array_to_string(array(select l.id from leagues l where l.created_by = app_user_id()
            and l.visibility <> 'public' and l.id <> all (m.mine) order by l.id), ','))`.as('key'),
        sql<boolean>`exists (select 1 from team_members tm where tm.user_id = app_user_id())`.as(
          'onRoster',
        ),
      ]);
  },
};
