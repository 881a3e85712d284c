import { sql, type Kysely } from 'kysely';

/**
 * The leaderboard walks the board instead of ranking all of it (issue #12, decision 0003 "Read
 * speed at scale", `ratingReadsRepository.leaderboard`).
 *
 * The select policy of `player_ratings` (migration 0012) asked `exists (select 1 from
 * visible_players v where v.user_id = player_ratings.user_id)`. PostgreSQL may run such an
 * `exists` either per row (a probe by user id: team_members_user, then primary keys up to the
 * league) or hashed (the whole view, every roster row of every visible league, built once per
 * statement), and it chooses by the number of rows the scan is estimated to return, before any
 * `limit`: for a sport's board (36,000 rows at the launch plan's size) always hashed. Walking the
 * top 100 of the board then still read all 100,000 roster rows (about 200 ms) to check 111.
 *
 * `offset 0` keeps the sub-query as written (PostgreSQL does not turn an `exists` with an offset
 * into a hashable `in`), so each row the query reaches is probed by its user id, and a read costs
 * the rows it reaches. Who may see what is unchanged: the same view, the same rows.
 */
const BEFORE =
  'user_id = app_user_id() or exists (select 1 from visible_players v where v.user_id = player_ratings.user_id)';
const NOW =
  'user_id = app_user_id() or exists (select 1 from visible_players v where v.user_id = player_ratings.user_id offset 0)';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter policy player_ratings_select on player_ratings using (${sql.raw(NOW)})`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter policy player_ratings_select on player_ratings using (${sql.raw(BEFORE)})`.execute(
    db,
  );
}
