import { sql, type Kysely } from 'kysely';

/**
 * Users, profiles, sessions, sign-in flows and idempotency keys, with row-level security.
 *
 * Requests run as `rally_app`, a role that owns nothing, so every policy applies to it; the
 * connecting (owner) role is used only for migrations and the sign-in plumbing (sessions).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Roles are cluster-wide: another database of the same server may have created it already, or
  // an administrator may have (so that the migrating user needs no CREATEROLE).
  await sql`
    do $$ begin
      if not exists (select from pg_roles where rolname = 'rally_app') then
        create role rally_app nologin;
      end if;
    exception when duplicate_object or unique_violation then null;
    end $$`.execute(db);
  // The connecting user switches to rally_app for every request, so it must be a member. A
  // failed grant stops the migration: silently going on would refuse every request later.
  await sql`
    do $$ begin
      if not pg_has_role(current_user, 'rally_app', 'member') then
        execute format('grant rally_app to %I', current_user);
      end if;
    end $$`.execute(db);

  await sql`
    create function app_user_id() returns uuid language sql stable as $$
      select nullif(current_setting('app.user_id', true), '')::uuid
    $$`.execute(db);

  await sql`
    create function bump_version() returns trigger language plpgsql as $$
    begin
      new.version := old.version + 1;
      new.updated_at := now();
      return new;
    end $$`.execute(db);

  await sql`
    create table users (
      id uuid primary key default gen_random_uuid(),
      oidc_issuer text not null,
      oidc_subject text not null,
      email text check (char_length(email) <= 320),
      email_verified boolean not null default false,
      role text check (role in ('player', 'captain', 'organizer')),
      is_demo boolean not null default false,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (oidc_issuer, oidc_subject)
    )`.execute(db);

  await sql`
    create table profiles (
      user_id uuid primary key references users (id) on delete cascade,
      display_name text not null check (char_length(display_name) between 1 and 60),
      phone text check (phone ~ '^\\+[1-9][0-9]{6,14}$'),
      city_or_club text not null check (char_length(city_or_club) between 1 and 80),
      sports jsonb not null default '[]' check (jsonb_typeof(sports) = 'array'),
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table sessions (
      id text primary key,
      user_id uuid not null references users (id) on delete cascade,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      user_agent text
    )`.execute(db);
  await sql`create index sessions_user_id on sessions (user_id)`.execute(db);
  await sql`create index sessions_expires_at on sessions (expires_at)`.execute(db);

  await sql`
    create table auth_flows (
      id text primary key,
      state text not null,
      nonce text not null,
      code_verifier text not null,
      return_to text not null,
      expires_at timestamptz not null
    )`.execute(db);

  await sql`
    create table idempotency_keys (
      user_id uuid not null references users (id) on delete cascade,
      key text not null check (char_length(key) between 1 and 200),
      request_hash text not null,
      status_code integer not null,
      response jsonb,
      created_at timestamptz not null default now(),
      primary key (user_id, key)
    )`.execute(db);

  for (const table of ['users', 'profiles']) {
    await sql`create trigger bump_version before update on ${sql.table(table)}
      for each row execute function bump_version()`.execute(db);
  }

  // Row-level security. Sessions and sign-in flows are not granted to the app role at all.
  for (const table of ['users', 'profiles', 'idempotency_keys']) {
    await sql`alter table ${sql.table(table)} enable row level security`.execute(db);
  }
  await sql`grant usage on schema public to rally_app`.execute(db);
  await sql`grant execute on function app_user_id() to rally_app`.execute(db);

  await sql`grant select on users to rally_app`.execute(db);
  await sql`grant update (role) on users to rally_app`.execute(db);
  await sql`create policy users_self_select on users for select to rally_app
    using (id = app_user_id())`.execute(db);
  await sql`create policy users_self_update on users for update to rally_app
    using (id = app_user_id()) with check (id = app_user_id())`.execute(db);

  await sql`grant select, insert, update on profiles to rally_app`.execute(db);
  await sql`create policy profiles_self on profiles for all to rally_app
    using (user_id = app_user_id()) with check (user_id = app_user_id())`.execute(db);

  await sql`grant select, insert, update on idempotency_keys to rally_app`.execute(db);
  await sql`create policy idempotency_self on idempotency_keys for all to rally_app
    using (user_id = app_user_id()) with check (user_id = app_user_id())`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['idempotency_keys', 'auth_flows', 'sessions', 'profiles', 'users']) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
  await sql`drop function if exists bump_version()`.execute(db);
  await sql`drop function if exists app_user_id()`.execute(db);
}
