import { sql, type Kysely } from 'kysely';

/**
 * The app no longer connects as the owner of its tables (issue #10, finding 11; decision 0007).
 *
 * - Every table of the public schema but the migrations' bookkeeping gets row-level security,
 *   FORCEd, so that owning a table no longer lets a role past its policies. The migrating role
 *   (the owner) keeps its own reach through an explicit policy, `<table>_owner`, which the
 *   `security definer` helpers and the `people` view (owned by it) need; a role that becomes owner
 *   later gets no such policy.
 * - `rally_system` (nologin) holds what the app does with nobody signed in: sessions, sign-in
 *   flows, finding an account at sign-in, calendar feeds by token, housekeeping, automatic
 *   confirmation and the ratings a final result moves. Narrow grants, and one policy per table
 *   it needs. The app's login role is a member of `rally_system` and `rally_app`, and owns nothing.
 * - No function may be executed by PUBLIC: `rally_app` may execute the helpers; the hot read
 *   `app_my_matches_of`, which takes the user as an argument, only `rally_system` (the API runs
 *   it together with the session look-up, decision 0006). Functions made by later migrations
 *   start without PUBLIC's EXECUTE too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Cluster-wide, like rally_app (0001): an administrator may have created it already.
  await sql`
    do $$ begin
      if not exists (select from pg_roles where rolname = 'rally_system') then
        create role rally_system nologin;
      end if;
    exception when duplicate_object or unique_violation then null;
    end $$`.execute(db);

  // Every table, including any a parallel migration added before this one ran.
  await sql`
    do $$ declare t text;
    begin
      for t in select tablename from pg_tables where schemaname = 'public'
          and tablename not in ('rally_migrations', 'rally_migrations_lock') order by tablename loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy %I on %I for all to current_user using (true) with check (true)',
          t || '_owner', t);
      end loop;
    end $$`.execute(db);

  await sql`revoke execute on all functions in schema public from public`.execute(db);
  await sql`alter default privileges revoke execute on functions from public`.execute(db);
  await sql`grant execute on all functions in schema public to rally_app`.execute(db);
  await sql`revoke execute on function app_my_matches_of(uuid, date, date) from rally_app`.execute(
    db,
  );
  await sql`grant execute on function app_my_matches_of(uuid, date, date) to rally_system`.execute(
    db,
  );

  await sql`grant usage on schema public to rally_system`.execute(db);
  const grants = [
    // Sessions: look-up, start, renewal, end, expiry (server/plugins/session.ts, housekeeping).
    'select (id, user_id, expires_at, created_at), insert (id, user_id, expires_at, user_agent), update (expires_at), delete on sessions',
    // Sign-in flows and first sign-in (server/modules/auth): never the e-mail read back.
    'select, insert, delete on auth_flows',
    'select (id, oidc_issuer, oidc_subject, role, is_demo), insert (oidc_issuer, oidc_subject, email, email_verified, is_demo), update (email, email_verified) on users',
    // Housekeeping: old idempotency keys.
    'select (created_at), delete on idempotency_keys',
    // A calendar feed is found by its token before anyone is known.
    'select (id, token_hash, user_id, team_id, created_by, revoked_at) on calendar_feeds',
    // Automatic confirmation: the due result, its match, the league's rules.
    'select on leagues, seasons, divisions, teams, venues',
    'select, update (status) on matches',
    'select, update (status, decided_how, decided_by, decided_at, confirm_by, updated_at) on match_results',
    'insert on result_events',
    // The derived data of a final result (results.service.ts finalize, ratings.repository.ts).
    'select, insert, delete on line_results, line_players, rating_events',
    'select, insert, update, delete on player_ratings',
    'select (user_id, sports) on profiles',
  ];
  for (const grant of grants) {
    await sql`grant ${sql.raw(grant)} to rally_system`.execute(db);
  }
  for (const table of [
    'sessions',
    'auth_flows',
    'users',
    'idempotency_keys',
    'calendar_feeds',
    'leagues',
    'seasons',
    'divisions',
    'teams',
    'venues',
    'matches',
    'match_results',
    'result_events',
    'line_results',
    'line_players',
    'rating_events',
    'player_ratings',
    'profiles',
  ]) {
    await sql`create policy ${sql.raw(`${table}_system`)} on ${sql.table(table)} for all
      to rally_system using (true) with check (true)`.execute(db);
  }
  // `/ready` and the server's start compare the applied migrations with its own list.
  await sql`grant select on rally_migrations, rally_migrations_lock to rally_system`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`revoke all on rally_migrations, rally_migrations_lock from rally_system`.execute(db);
  await sql`
    do $$ declare p record;
    begin
      for p in select policyname, tablename from pg_policies where schemaname = 'public'
          and (policyname like '%\\_system' or policyname like '%\\_owner') loop
        execute format('drop policy %I on %I', p.policyname, p.tablename);
      end loop;
    end $$`.execute(db);
  await sql`revoke all on all tables in schema public from rally_system`.execute(db);
  await sql`revoke all on all functions in schema public from rally_system`.execute(db);
  await sql`revoke usage on schema public from rally_system`.execute(db);
  await sql`grant execute on all functions in schema public to public`.execute(db);
  await sql`alter default privileges grant execute on functions to public`.execute(db);
  await sql`
    do $$ declare t text;
    begin
      for t in select tablename from pg_tables where schemaname = 'public' loop
        execute format('alter table %I no force row level security', t);
      end loop;
    end $$`.execute(db);
  await sql`alter table sessions disable row level security`.execute(db);
  await sql`alter table auth_flows disable row level security`.execute(db);
}
