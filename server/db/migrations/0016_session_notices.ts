import { sql, type Kysely } from 'kysely';

/**
 * Every change to a session, or to what a session says of its user (role, demo account), is
 * announced on the channel `rally_sessions` with the user's id, when the change commits. Servers
 * on PostgreSQL keep the sessions they have looked up in memory and drop a user's as soon as the
 * notice arrives, so that a sign-out, an expiry or a role change on one instance holds on every
 * other at once (decision 0013). Inserts are not announced: a new session was never kept.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create function app_announce_session_change() returns trigger language plpgsql as $$
    begin
      -- The trigger names the column that holds the user's id.
      perform pg_notify('rally_sessions', to_jsonb(old) ->> tg_argv[0]);
      return null;
    end $$`.execute(db);
  await sql`create trigger sessions_announce after update or delete on sessions
    for each row execute function app_announce_session_change('user_id')`.execute(db);
  await sql`create trigger users_announce after update of role, is_demo or delete on users
    for each row execute function app_announce_session_change('id')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger users_announce on users`.execute(db);
  await sql`drop trigger sessions_announce on sessions`.execute(db);
  await sql`drop function app_announce_session_change()`.execute(db);
}
