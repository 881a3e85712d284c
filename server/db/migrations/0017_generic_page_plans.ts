import { sql, type Kysely } from 'kysely';

/**
 * `app_match_rows` (migration 0014: a division's and a team's schedule) runs its one statement
 * with a plan kept for the connection's life instead of one planned for each call's values. Its
 * custom plan costs less to run than the generic one, so PostgreSQL chose a custom plan on every
 * call, and planning a join of nine tables took several times as long as running it (0.25 ms to
 * run, 6 to 35 ms to plan on the scale set, more than on the demo data): `GET
 * /api/teams/{id}/matches` took 2.7 times as long with 1,000 leagues (bench:routes). The generic
 * plan walks the same indexes (bitmaps of the division's, the home and the away team's matches),
 * so it is as good for every call. Only this function: elsewhere a generic plan can be worse
 * (`app_divisions_visible`'s scans every division when it cannot see the ids), so the setting is
 * not the database's.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter function app_match_rows(uuid, uuid, uuid[], uuid[], uuid, integer)
    set plan_cache_mode = force_generic_plan`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter function app_match_rows(uuid, uuid, uuid[], uuid[], uuid, integer)
    reset plan_cache_mode`.execute(db);
}
