import { sql, type Kysely } from 'kysely';

/**
 * `app_match_rows` (migration 0014: a division's and a team's schedule) runs its one statement
 * with a plan kept for the connection's life instead of one planned for each call's values. Its
 * custom plan costs less to run than the generic one, so PostgreSQL chose a custom plan on every
 * call, and planning a join of nine tables took many times as long as running it (on the scale
 * set, a loaded machine: 0.25 ms to run, 6 to 35 ms the whole call): `GET /api/teams/{id}/matches`
 * took 2.8 times as long with 1,000 leagues as on the demo data (bench:routes). The generic
 * plan walks the same indexes (bitmaps of the division's, the home and the away team's matches),
 * so it is as good for every call (server/db/page-plans.test.ts). Not `app_team_stats` (a team's
 * stats, 1.7 to 2.0 times as long on the large set, also planned on every call): its generic
 * plans scan whole tables (matches, teams, rosters) at 40 leagues, where its `= any (array)`
 * guesses make an index look dear. Set on this function only, not the database: the generic
 * plans of other statements were not checked.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter function app_match_rows(uuid, uuid, uuid[], uuid[], uuid, integer)
    set plan_cache_mode = force_generic_plan`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter function app_match_rows(uuid, uuid, uuid[], uuid[], uuid, integer)
    reset plan_cache_mode`.execute(db);
}
