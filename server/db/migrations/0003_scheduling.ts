import { sql, type Kysely } from 'kysely';

/**
 * Venues, matches with their history, and calendar feeds, with row-level security.
 *
 * A match keeps its local date and start time (the league's wall clock) and a `sequence` that
 * goes up on every change a calendar must notice (iCal SEQUENCE). Its history is append-only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table venues (
      id uuid primary key default gen_random_uuid(),
      league_id uuid not null references leagues (id) on delete cascade,
      name text not null check (char_length(name) between 1 and 120),
      address text check (char_length(address) <= 300),
      courts integer not null check (courts between 1 and 100),
      availability jsonb not null check (jsonb_typeof(availability) = 'array'),
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (league_id, name)
    )`.execute(db);

  await sql`
    create table matches (
      id uuid primary key default gen_random_uuid(),
      division_id uuid not null references divisions (id) on delete cascade,
      round integer check (round >= 1),
      home_team_id uuid not null references teams (id) on delete cascade,
      away_team_id uuid not null references teams (id) on delete cascade,
      venue_id uuid references venues (id) on delete set null,
      match_date date not null,
      start_time time not null,
      duration_minutes integer not null check (duration_minutes between 15 and 720),
      courts integer not null default 1 check (courts between 1 and 100),
      status text not null default 'scheduled'
        check (status in ('scheduled', 'postponed', 'cancelled', 'played')),
      cancel_reason text check (char_length(cancel_reason) <= 500),
      sequence integer not null default 0,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (home_team_id <> away_team_id),
      check ((status = 'cancelled') = (cancel_reason is not null))
    )`.execute(db);
  await sql`create index matches_division on matches (division_id, match_date)`.execute(db);
  await sql`create index matches_home on matches (home_team_id, match_date)`.execute(db);
  await sql`create index matches_away on matches (away_team_id, match_date)`.execute(db);
  await sql`create trigger bump_version before update on matches
    for each row execute function bump_version()`.execute(db);
  await sql`create trigger bump_version before update on venues
    for each row execute function bump_version()`.execute(db);

  await sql`
    create table match_events (
      id bigint generated always as identity primary key,
      match_id uuid not null references matches (id) on delete cascade,
      actor_id uuid references users (id) on delete set null,
      at timestamptz not null default now(),
      kind text not null check (kind in ('created', 'updated', 'postponed', 'cancelled')),
      details jsonb not null default '{}'
    )`.execute(db);
  await sql`create index match_events_match on match_events (match_id, at)`.execute(db);

  await sql`
    create table calendar_feeds (
      id uuid primary key default gen_random_uuid(),
      token_hash text not null unique,
      user_id uuid references users (id) on delete cascade,
      team_id uuid references teams (id) on delete cascade,
      created_by uuid not null references users (id) on delete cascade,
      created_at timestamptz not null default now(),
      revoked_at timestamptz,
      check ((user_id is null) <> (team_id is null))
    )`.execute(db);

  for (const table of ['venues', 'matches', 'match_events', 'calendar_feeds']) {
    await sql`alter table ${sql.table(table)} enable row level security`.execute(db);
  }
  const definer = sql.raw('language sql stable security definer set search_path = public');
  await sql`create function app_league_of_match(match uuid) returns uuid ${definer} as $$
    select app_league_of_division(division_id) from matches where id = match $$`.execute(db);
  await sql`grant execute on function app_league_of_match(uuid) to rally_app`.execute(db);

  // Venues and matches: seen with their league, changed by its organizers only.
  await sql`grant select, insert, delete on venues to rally_app`.execute(db);
  await sql`grant update (name, address, courts, availability) on venues to rally_app`.execute(db);
  await sql`create policy venues_select on venues for select to rally_app
    using (league_id = any ((select app_visible_leagues())::uuid[]))`.execute(db);
  // Writes only: a FOR ALL policy would also be OR-ed into every read and cost a per-row call.
  await sql`create policy venues_insert on venues for insert to rally_app
    with check (app_is_league_organizer(league_id))`.execute(db);
  await sql`create policy venues_update on venues for update to rally_app
    using (app_is_league_organizer(league_id)) with check (app_is_league_organizer(league_id))`.execute(
    db,
  );
  await sql`create policy venues_delete on venues for delete to rally_app
    using (app_is_league_organizer(league_id))`.execute(db);

  await sql`grant select, insert, delete on matches to rally_app`.execute(db);
  await sql`grant update (round, venue_id, match_date, start_time, duration_minutes, courts, status,
    cancel_reason, sequence) on matches to rally_app`.execute(db);
  await sql`create policy matches_select on matches for select to rally_app
    using (division_id = any ((select app_visible_divisions())::uuid[]))`.execute(db);
  await sql`create policy matches_insert on matches for insert to rally_app
    with check (app_is_league_organizer(app_league_of_division(division_id)))`.execute(db);
  await sql`create policy matches_update on matches for update to rally_app
    using (app_is_league_organizer(app_league_of_division(division_id)))
    with check (app_is_league_organizer(app_league_of_division(division_id)))`.execute(db);
  await sql`create policy matches_delete on matches for delete to rally_app
    using (app_is_league_organizer(app_league_of_division(division_id)))`.execute(db);

  // History: read with the match, written by whoever may change it, never edited.
  await sql`grant select, insert on match_events to rally_app`.execute(db);
  await sql`create policy match_events_select on match_events for select to rally_app
    using (app_can_see_league(app_league_of_match(match_id)))`.execute(db);
  await sql`create policy match_events_insert on match_events for insert to rally_app
    with check (actor_id = app_user_id()
      and app_is_league_organizer(app_league_of_match(match_id)))`.execute(db);

  // Feeds: your own, or your team's; the feed itself is read by token on the owner connection.
  await sql`grant select, insert on calendar_feeds to rally_app`.execute(db);
  await sql`grant update (revoked_at) on calendar_feeds to rally_app`.execute(db);
  await sql`create policy feeds_own on calendar_feeds for all to rally_app
    using (created_by = app_user_id())
    with check (created_by = app_user_id() and (user_id = app_user_id()
      or team_id is not null and app_is_team_member(team_id)))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['calendar_feeds', 'match_events', 'matches', 'venues']) {
    await sql`drop table if exists ${sql.table(table)} cascade`.execute(db);
  }
  await sql`drop function if exists app_league_of_match(uuid)`.execute(db);
}
