import { sql, type Kysely } from 'kysely';

/**
 * Players' availability for each match, and captains' lineups (who plays which line), with
 * row-level security: a team's answers and lineup are its own (and its league organizers').
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table match_availability (
      match_id uuid not null references matches (id) on delete cascade,
      team_id uuid not null references teams (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      answer text not null check (answer in ('available', 'maybe', 'unavailable')),
      note text check (char_length(note) <= 200),
      updated_at timestamptz not null default now(),
      primary key (match_id, user_id)
    )`.execute(db);

  await sql`
    create table lineup_slots (
      match_id uuid not null references matches (id) on delete cascade,
      team_id uuid not null references teams (id) on delete cascade,
      kind text not null check (kind in ('singles', 'doubles')),
      line integer not null check (line between 1 and 9),
      seat integer not null check (seat between 1 and 2),
      user_id uuid not null references users (id) on delete cascade,
      primary key (match_id, team_id, kind, line, seat),
      check (kind = 'doubles' or seat = 1)
    )`.execute(db);
  // A player plays one line per match.
  await sql`create unique index lineup_one_line on lineup_slots (match_id, user_id)`.execute(db);

  const definer = sql.raw('language sql stable security definer set search_path = public');
  await sql`create function app_team_plays(match uuid, team uuid) returns boolean ${definer} as $$
    select exists (select 1 from matches where id = match
      and team in (home_team_id, away_team_id)) $$`.execute(db);
  await sql`grant execute on function app_team_plays(uuid, uuid) to rally_app`.execute(db);

  // A team that withdraws (is archived) no longer plays: its unplayed matches are cancelled, with
  // their history, by whoever may manage the team (a captain may not write matches otherwise).
  await sql`create function app_withdraw_team(team uuid) returns integer
    language plpgsql volatile security definer set search_path = public as $$
    declare cancelled integer;
    begin
      if not app_may_manage_team(team) then
        return 0;
      end if;
      with gone as (
        update matches set status = 'cancelled', sequence = sequence + 1,
          cancel_reason = 'The team withdrew from the division'
        where team in (home_team_id, away_team_id) and status in ('scheduled', 'postponed')
        returning id)
      insert into match_events (match_id, actor_id, kind, details)
        select id, app_user_id(), 'cancelled',
          jsonb_build_object('reason', 'The team withdrew from the division')
        from gone;
      get diagnostics cancelled = row_count;
      return cancelled;
    end $$`.execute(db);
  await sql`grant execute on function app_withdraw_team(uuid) to rally_app`.execute(db);

  for (const table of ['match_availability', 'lineup_slots']) {
    await sql`alter table ${sql.table(table)} enable row level security`.execute(db);
  }
  await sql`grant select, insert, update, delete on match_availability to rally_app`.execute(db);
  await sql`create policy availability_select on match_availability for select to rally_app
    using (app_is_team_member(team_id) or app_is_league_organizer(app_league_of_team(team_id)))`.execute(
    db,
  );
  await sql`create policy availability_own on match_availability for all to rally_app
    using (user_id = app_user_id())
    with check (user_id = app_user_id() and app_is_team_member(team_id)
      and app_team_plays(match_id, team_id))`.execute(db);

  await sql`grant select, insert, delete on lineup_slots to rally_app`.execute(db);
  await sql`create policy lineup_select on lineup_slots for select to rally_app
    using (app_is_team_member(team_id) or app_is_league_organizer(app_league_of_team(team_id)))`.execute(
    db,
  );
  // Writes only: a FOR ALL policy would also be OR-ed into every read and cost a per-row call.
  await sql`create policy lineup_insert on lineup_slots for insert to rally_app
    with check (app_is_team_captain(team_id) and app_team_plays(match_id, team_id)
      and exists (select 1 from team_members m where m.team_id = lineup_slots.team_id
        and m.user_id = lineup_slots.user_id))`.execute(db);
  await sql`create policy lineup_update on lineup_slots for update to rally_app
    using (app_is_team_captain(team_id)) with check (app_is_team_captain(team_id) and app_team_plays(match_id, team_id)
      and exists (select 1 from team_members m where m.team_id = lineup_slots.team_id
        and m.user_id = lineup_slots.user_id))`.execute(db);
  await sql`create policy lineup_delete on lineup_slots for delete to rally_app
    using (app_is_team_captain(team_id))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists lineup_slots`.execute(db);
  await sql`drop table if exists match_availability`.execute(db);
  await sql`drop function if exists app_team_plays(uuid, uuid)`.execute(db);
  await sql`drop function if exists app_withdraw_team(uuid)`.execute(db);
}
