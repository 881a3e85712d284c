import { sql, type Kysely } from 'kysely';

/**
 * Results, standings settings, ratings and their history (issue #6), with row-level security.
 *
 * A team match has at most one result (`match_results`): entered by one team's captain, then
 * confirmed or disputed by the other team's captain, confirmed on its own after the league's
 * deadline, settled or corrected by an organizer. A trigger enforces who may make each step, so
 * the database holds the rule even if the API forgot it. Every step is kept in `result_events`.
 *
 * A final result is written out line by line (`line_results`, `line_players`) and moves ratings
 * (`player_ratings`, with every move in `rating_events` and the engine state after it, so a
 * corrected result re-rates from that match on). Those rows are derived data, written by the
 * system in the same transaction as the step that made the result final (see asSystem).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table leagues
    add column result_confirm_hours integer not null default 48
      check (result_confirm_hours between 1 and 720),
    add column standings_rules jsonb not null default '{"pointsFor":"matches","win":2,"tie":1,"loss":0,"tiebreakers":["head_to_head","lines_pct","sets_pct","games_pct","fewest_forfeits"]}'
      check (jsonb_typeof(standings_rules) = 'object')`.execute(db);
  await sql`grant update (result_confirm_hours, standings_rules) on leagues to rally_app`.execute(
    db,
  );

  await sql`
    create table match_results (
      match_id uuid primary key references matches (id) on delete cascade,
      division_id uuid not null references divisions (id) on delete cascade,
      status text not null check (status in ('pending', 'disputed', 'final')),
      lines jsonb not null check (jsonb_typeof(lines) = 'array'),
      totals jsonb not null check (jsonb_typeof(totals) = 'object'),
      entered_team_id uuid references teams (id) on delete cascade,
      entered_by uuid references users (id) on delete set null,
      entered_at timestamptz not null default now(),
      confirm_by timestamptz,
      dispute_team_id uuid references teams (id) on delete cascade,
      dispute_comment text check (char_length(dispute_comment) <= 1000),
      dispute_lines jsonb check (jsonb_typeof(dispute_lines) = 'array'),
      dispute_totals jsonb,
      disputed_at timestamptz,
      decided_how text check (decided_how in ('confirmed', 'auto_confirmed', 'settled', 'corrected')),
      decided_by uuid references users (id) on delete set null,
      decided_at timestamptz,
      version integer not null default 1,
      updated_at timestamptz not null default now(),
      check ((status = 'final') = (decided_how is not null)),
      check (status <> 'disputed' or dispute_lines is not null),
      check (status <> 'pending' or confirm_by is not null)
    )`.execute(db);
  await sql`create index match_results_division on match_results (division_id)`.execute(db);
  await sql`create index match_results_due on match_results (confirm_by) where status = 'pending'`.execute(
    db,
  );
  await sql`create trigger bump_version before update on match_results
    for each row execute function bump_version()`.execute(db);

  await sql`
    create table result_events (
      id bigint generated always as identity primary key,
      match_id uuid not null references matches (id) on delete cascade,
      division_id uuid not null references divisions (id) on delete cascade,
      at timestamptz not null default clock_timestamp(),
      kind text not null check (kind in ('entered', 'reentered', 'confirmed', 'disputed',
        'auto_confirmed', 'settled', 'corrected')),
      actor_id uuid references users (id) on delete set null,
      team_id uuid references teams (id) on delete set null,
      comment text check (char_length(comment) <= 1000),
      lines jsonb,
      totals jsonb
    )`.execute(db);
  await sql`create index result_events_match on result_events (match_id, id)`.execute(db);

  await sql`
    create table line_results (
      match_id uuid not null references matches (id) on delete cascade,
      division_id uuid not null references divisions (id) on delete cascade,
      kind text not null check (kind in ('singles', 'doubles')),
      line integer not null check (line between 1 and 9),
      match_date date not null,
      outcome text not null check (outcome in ('completed', 'retired', 'walkover', 'default')),
      winner text not null check (winner in ('home', 'away')),
      sets jsonb not null check (jsonb_typeof(sets) = 'array'),
      sets_home integer not null,
      sets_away integer not null,
      games_home integer not null,
      games_away integer not null,
      text text not null,
      rated boolean not null,
      -- Games as played, for the rating engine's margin; null when the line was not completed.
      rating_games_home integer,
      rating_games_away integer,
      primary key (match_id, kind, line)
    )`.execute(db);
  await sql`create index line_results_division on line_results (division_id)`.execute(db);

  await sql`
    create table line_players (
      match_id uuid not null references matches (id) on delete cascade,
      division_id uuid not null references divisions (id) on delete cascade,
      kind text not null check (kind in ('singles', 'doubles')),
      line integer not null,
      side text not null check (side in ('home', 'away')),
      team_id uuid not null references teams (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      primary key (match_id, user_id),
      foreign key (match_id, kind, line) references line_results (match_id, kind, line)
        on delete cascade
    )`.execute(db);
  await sql`create index line_players_user on line_players (user_id)`.execute(db);
  await sql`create index line_players_team on line_players (team_id)`.execute(db);

  // Ratings are per sport (a custom sport is 'custom:<name>') and per kind of line.
  await sql`
    create table player_ratings (
      user_id uuid not null references users (id) on delete cascade,
      sport text not null,
      kind text not null check (kind in ('singles', 'doubles')),
      rating double precision not null,
      deviation double precision not null,
      reliability double precision not null,
      matches integer not null,
      won integer not null default 0,
      lost integer not null default 0,
      last_played date,
      state jsonb not null,
      updated_at timestamptz not null default now(),
      primary key (user_id, sport, kind)
    )`.execute(db);
  await sql`create index player_ratings_board on player_ratings (sport, kind, rating desc)`.execute(
    db,
  );

  await sql`
    create table rating_events (
      id bigint generated always as identity primary key,
      user_id uuid not null references users (id) on delete cascade,
      sport text not null,
      kind text not null check (kind in ('singles', 'doubles')),
      match_id uuid not null references matches (id) on delete cascade,
      division_id uuid not null references divisions (id) on delete cascade,
      line integer not null,
      match_date date not null,
      start_time time not null,
      won boolean not null,
      before double precision not null,
      after double precision not null,
      deviation_after double precision not null,
      explanation jsonb not null,
      state_after jsonb not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  // Replays run in (date, start time, match) order; a player's history reads their own events.
  await sql`create index rating_events_order on rating_events
    (sport, kind, match_date, start_time, match_id)`.execute(db);
  await sql`create index rating_events_player on rating_events
    (user_id, sport, kind, match_date, start_time, match_id)`.execute(db);
  await sql`create index rating_events_match on rating_events (match_id)`.execute(db);

  for (const table of [
    'match_results',
    'result_events',
    'line_results',
    'line_players',
    'player_ratings',
    'rating_events',
  ]) {
    await sql`alter table ${sql.table(table)} enable row level security`.execute(db);
  }

  const definer = sql.raw('language sql stable security definer set search_path = public');
  // A party to a match's result: a captain of either team, or an organizer of its league.
  await sql`create function app_is_match_party(match uuid) returns boolean ${definer} as $$
    select exists (select 1 from matches m where m.id = match
      and (app_is_team_captain(m.home_team_id) or app_is_team_captain(m.away_team_id)
        or app_is_league_organizer(app_league_of_division(m.division_id)))) $$`.execute(db);
  await sql`grant execute on function app_is_match_party(uuid) to rally_app`.execute(db);
  // The visible divisions once per call: as a condition on every team row, the division list
  // would be worked out again for each team.
  await sql`create function app_visible_players() returns uuid[]
    language plpgsql stable security definer set search_path = public as $$
    declare divisions uuid[] := app_visible_divisions();
    begin return (select coalesce(array_agg(distinct tm.user_id), '{}') from team_members tm
      join teams t on t.id = tm.team_id
      where t.division_id = any (divisions)) || app_user_id(); end $$`.execute(db);
  await sql`grant execute on function app_visible_players() to rally_app`.execute(db);

  // Who may make each step of a result, whatever the API does. The owner (automatic
  // confirmation, derived writes) is not the app role and passes.
  await sql`create function app_check_result_step() returns trigger
    language plpgsql set search_path = public as $$
    declare m matches;
    declare organizer boolean;
    declare other uuid;
    begin
      if current_user <> 'rally_app' then
        return new;
      end if;
      select * into m from matches where id = new.match_id;
      organizer := app_is_league_organizer(app_league_of_division(m.division_id));
      if tg_op = 'INSERT' then
        if new.status = 'pending' and new.entered_by = app_user_id()
          and app_is_team_captain(new.entered_team_id)
          and new.entered_team_id in (m.home_team_id, m.away_team_id) then
          return new;
        end if;
        if new.status = 'final' and new.decided_how = 'settled' and organizer then
          return new;
        end if;
        raise exception 'this result step is not allowed' using errcode = '42501';
      end if;
      if old.status = 'final' then
        if new.status = 'final' and new.decided_how = 'corrected' and organizer then
          return new;
        end if;
        raise exception 'a final result is locked; an organizer may correct it'
          using errcode = '42501';
      end if;
      other := case when old.entered_team_id = m.home_team_id then m.away_team_id
        else m.home_team_id end;
      if new.status = 'final' and new.decided_how = 'settled' and organizer then
        return new;
      end if;
      if old.status = 'pending' and new.status = 'pending'
        and new.entered_team_id = old.entered_team_id and app_is_team_captain(old.entered_team_id) then
        return new;
      end if;
      if old.status = 'pending' and new.status = 'final' and new.decided_how = 'confirmed'
        and new.decided_by = app_user_id() and app_is_team_captain(other) then
        return new;
      end if;
      if old.status = 'pending' and new.status = 'disputed' and new.dispute_team_id = other
        and app_is_team_captain(other) then
        return new;
      end if;
      raise exception 'this result step is not allowed' using errcode = '42501';
    end $$`.execute(db);
  await sql`create trigger check_result_step before insert or update on match_results
    for each row execute function app_check_result_step()`.execute(db);

  await sql`grant select, insert on match_results to rally_app`.execute(db);
  await sql`grant update (status, lines, totals, confirm_by, dispute_team_id, dispute_comment,
    dispute_lines, dispute_totals, disputed_at, decided_how, decided_by, decided_at, updated_at,
    entered_at, entered_by) on match_results to rally_app`.execute(db);
  await sql`create policy match_results_select on match_results for select to rally_app
    using (division_id = any ((select app_visible_divisions())::uuid[]))`.execute(db);
  await sql`create policy match_results_insert on match_results for insert to rally_app
    with check (app_is_match_party(match_id))`.execute(db);
  await sql`create policy match_results_update on match_results for update to rally_app
    using (app_is_match_party(match_id)) with check (app_is_match_party(match_id))`.execute(db);

  await sql`grant select, insert on result_events to rally_app`.execute(db);
  await sql`create policy result_events_select on result_events for select to rally_app
    using (division_id = any ((select app_visible_divisions())::uuid[]))`.execute(db);
  await sql`create policy result_events_insert on result_events for insert to rally_app
    with check (actor_id = app_user_id() and app_is_match_party(match_id))`.execute(db);

  // Derived data: read with the league, written only by the system.
  for (const table of ['line_results', 'line_players', 'rating_events']) {
    await sql`grant select on ${sql.table(table)} to rally_app`.execute(db);
    await sql`create policy ${sql.raw(`${table}_select`)} on ${sql.table(table)} for select
      to rally_app using (division_id = any ((select app_visible_divisions())::uuid[]))`.execute(
      db,
    );
  }
  await sql`grant select on player_ratings to rally_app`.execute(db);
  await sql`create policy player_ratings_select on player_ratings for select to rally_app
    using (user_id = any ((select app_visible_players())::uuid[]))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'rating_events',
    'player_ratings',
    'line_players',
    'line_results',
    'result_events',
    'match_results',
  ]) {
    await sql`drop table if exists ${sql.table(table)} cascade`.execute(db);
  }
  await sql`drop function if exists app_check_result_step()`.execute(db);
  await sql`drop function if exists app_visible_players()`.execute(db);
  await sql`drop function if exists app_is_match_party(uuid)`.execute(db);
  await sql`alter table leagues drop column if exists result_confirm_hours,
    drop column if exists standings_rules`.execute(db);
}
