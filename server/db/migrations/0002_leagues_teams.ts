import { sql, type Kysely } from 'kysely';

/**
 * Leagues, organizers, seasons, divisions, teams, rosters and invites, with row-level security.
 *
 * The policies lean on a few `security definer` functions (owned by the migrating role, so they
 * read past row-level security without recursion) that answer one question each about the acting
 * user (`app.user_id`). An invite's token is itself the credential: the transaction that accepts
 * it carries the token's hash in `app.invite_token`, and the policies admit the invitee only
 * through an open invite with that hash.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table leagues (
      id uuid primary key default gen_random_uuid(),
      name text not null check (char_length(name) between 1 and 80),
      sport text not null check (sport in
        ('tennis', 'pickleball', 'padel', 'badminton', 'squash', 'table_tennis', 'custom')),
      custom_sport text check (char_length(custom_sport) <= 40),
      description text check (char_length(description) <= 2000),
      visibility text not null check (visibility in ('public', 'private')),
      format jsonb not null check (jsonb_typeof(format) = 'object'),
      roster_min integer not null check (roster_min between 1 and 100),
      roster_max integer not null check (roster_max between 1 and 100),
      created_by uuid not null references users (id),
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (roster_min <= roster_max),
      check ((sport = 'custom') = (custom_sport is not null))
    )`.execute(db);

  await sql`
    create table league_organizers (
      league_id uuid not null references leagues (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      role text not null check (role in ('owner', 'co_organizer')),
      created_at timestamptz not null default now(),
      primary key (league_id, user_id)
    )`.execute(db);
  await sql`create index league_organizers_user on league_organizers (user_id)`.execute(db);

  await sql`
    create table seasons (
      id uuid primary key default gen_random_uuid(),
      league_id uuid not null references leagues (id) on delete cascade,
      name text not null check (char_length(name) between 1 and 60),
      starts_on date not null,
      ends_on date not null,
      registration_open boolean not null default true,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (ends_on >= starts_on),
      unique (league_id, name)
    )`.execute(db);

  await sql`
    create table divisions (
      id uuid primary key default gen_random_uuid(),
      season_id uuid not null references seasons (id) on delete cascade,
      name text not null check (char_length(name) between 1 and 60),
      level_min numeric(3, 1),
      level_max numeric(3, 1),
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (level_min is null or level_max is null or level_min <= level_max),
      unique (season_id, name)
    )`.execute(db);

  await sql`
    create table teams (
      id uuid primary key default gen_random_uuid(),
      division_id uuid not null references divisions (id) on delete restrict,
      name text not null check (char_length(name) between 1 and 60),
      home_venue text check (char_length(home_venue) <= 120),
      primary_colour text check (primary_colour ~ '^#[0-9a-f]{6}$'),
      secondary_colour text check (secondary_colour ~ '^#[0-9a-f]{6}$'),
      archived_at timestamptz,
      created_by uuid not null references users (id),
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  // Two live teams of a division may not share a name, whatever its case.
  await sql`create unique index teams_division_name on teams (division_id, lower(name))
    where archived_at is null`.execute(db);

  await sql`
    create table team_members (
      team_id uuid not null references teams (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      role text not null check (role in ('captain', 'co_captain', 'player')),
      status text not null default 'active' check (status in ('active', 'substitute', 'injured')),
      joined_at timestamptz not null default now(),
      version integer not null default 1,
      updated_at timestamptz not null default now(),
      primary key (team_id, user_id)
    )`.execute(db);
  await sql`create index team_members_user on team_members (user_id)`.execute(db);
  await sql`create unique index team_members_one_captain on team_members (team_id)
    where role = 'captain'`.execute(db);

  await sql`
    create table team_invites (
      id uuid primary key default gen_random_uuid(),
      team_id uuid not null references teams (id) on delete cascade,
      token_hash text not null unique,
      kind text not null check (kind in ('link', 'email')),
      email text check (char_length(email) <= 254),
      message text check (char_length(message) <= 500),
      max_uses integer not null check (max_uses between 1 and 200),
      uses integer not null default 0,
      expires_at timestamptz not null,
      revoked_at timestamptz,
      declined_at timestamptz,
      created_by uuid not null references users (id),
      created_at timestamptz not null default now(),
      check (uses between 0 and max_uses),
      check ((kind = 'email') = (email is not null))
    )`.execute(db);
  await sql`create index team_invites_team on team_invites (team_id)`.execute(db);

  for (const table of ['leagues', 'seasons', 'divisions', 'teams', 'team_members']) {
    await sql`create trigger bump_version before update on ${sql.table(table)}
      for each row execute function bump_version()`.execute(db);
  }

  // Questions the policies ask. `security definer` with a fixed search_path: they read the
  // tables as their owner, so a policy can ask about rows the user cannot see themselves.
  const definer = sql.raw('language sql stable security definer set search_path = public');
  await sql`create function app_invite_token() returns text language sql stable as $$
    select nullif(current_setting('app.invite_token', true), '') $$`.execute(db);
  await sql`create function app_user_role() returns text ${definer} as $$
    select role from users where id = app_user_id() $$`.execute(db);
  await sql`create function app_is_league_organizer(league uuid) returns boolean ${definer} as $$
    select exists (select 1 from league_organizers
      where league_id = league and user_id = app_user_id()) $$`.execute(db);
  await sql`create function app_league_of_season(season uuid) returns uuid ${definer} as $$
    select league_id from seasons where id = season $$`.execute(db);
  await sql`create function app_league_of_division(division uuid) returns uuid ${definer} as $$
    select s.league_id from divisions d join seasons s on s.id = d.season_id
    where d.id = division $$`.execute(db);
  await sql`create function app_league_of_team(team uuid) returns uuid ${definer} as $$
    select s.league_id from teams t join divisions d on d.id = t.division_id
      join seasons s on s.id = d.season_id where t.id = team $$`.execute(db);
  await sql`create function app_is_team_captain(team uuid) returns boolean ${definer} as $$
    select exists (select 1 from team_members where team_id = team
      and user_id = app_user_id() and role in ('captain', 'co_captain')) $$`.execute(db);
  await sql`create function app_is_team_member(team uuid) returns boolean ${definer} as $$
    select exists (select 1 from team_members where team_id = team
      and user_id = app_user_id()) $$`.execute(db);
  // PL/pgSQL keeps these functions' plans for the session; a SQL function's body is planned anew
  // on every call.
  const visibility = sql.raw('language plpgsql stable security definer set search_path = public');
  // The leagues the acting user may see: public ones, those they organize or play in, and (to
  // decide on it) one they hold an open invite to. Select policies compare rows with these arrays
  // as `(select app_visible_…())`, which PostgreSQL computes once per statement: a per-row call of
  // a security-definer function cannot be inlined and made reads fifty times slower.
  await sql`create function app_visible_leagues() returns uuid[] ${visibility} as $$
    begin return (select coalesce(array_agg(l.id), '{}') from leagues l
    where l.visibility = 'public'
      or l.id in (select league_id from league_organizers where user_id = app_user_id())
      or l.id in (select s.league_id from team_members tm join teams t on t.id = tm.team_id
        join divisions d on d.id = t.division_id join seasons s on s.id = d.season_id
        where tm.user_id = app_user_id())
      or l.id in (select s.league_id from team_invites i join teams t on t.id = i.team_id
        join divisions d on d.id = t.division_id join seasons s on s.id = d.season_id
        where i.token_hash = app_invite_token() and i.revoked_at is null
          and i.declined_at is null and i.expires_at > now() and i.uses < i.max_uses)); end $$`.execute(
    db,
  );
  await sql`create function app_visible_divisions() returns uuid[] ${visibility} as $$
    begin return (select coalesce(array_agg(d.id), '{}') from divisions d join seasons s on s.id = d.season_id
    where s.league_id = any (app_visible_leagues())); end $$`.execute(db);
  await sql`create function app_visible_teams() returns uuid[] ${visibility} as $$
    begin return (select coalesce(array_agg(t.id), '{}') from teams t join divisions d on d.id = t.division_id
      join seasons s on s.id = d.season_id
    where s.league_id = any (app_visible_leagues())); end $$`.execute(db);
  await sql`create function app_can_see_league(league uuid) returns boolean ${definer} as $$
    select league = any (app_visible_leagues()) $$`.execute(db);
  await sql`create function app_may_manage_team(team uuid) returns boolean ${definer} as $$
    select app_is_team_captain(team) or app_is_league_organizer(app_league_of_team(team)) $$`.execute(
    db,
  );
  // Bootstrap: the creator of a league or team becomes its first owner or captain.
  await sql`create function app_created_unowned_league(league uuid) returns boolean ${definer} as $$
    select exists (select 1 from leagues where id = league and created_by = app_user_id())
      and not exists (select 1 from league_organizers where league_id = league) $$`.execute(db);
  await sql`create function app_created_unmanned_team(team uuid) returns boolean ${definer} as $$
    select exists (select 1 from teams where id = team and created_by = app_user_id())
      and not exists (select 1 from team_members where team_id = team) $$`.execute(db);
  await sql`create function app_invite_admits(team uuid) returns boolean ${definer} as $$
    select exists (select 1 from team_invites where team_id = team
      and token_hash = app_invite_token() and revoked_at is null and declined_at is null
      and expires_at > now() and uses < max_uses) $$`.execute(db);
  // Finding an account by e-mail (to add a co-organizer) is for organizers only: nobody else
  // may probe which addresses have signed in.
  await sql`create function app_find_user_by_email(address text) returns uuid ${definer} as $$
    select id from users where lower(email) = lower(address) and app_user_role() = 'organizer'
    order by created_at limit 1 $$`.execute(db);
  await sql`create function app_division_open(division uuid) returns boolean ${definer} as $$
    select s.registration_open from divisions d join seasons s on s.id = d.season_id
    where d.id = division $$`.execute(db);

  for (const table of [
    'leagues',
    'league_organizers',
    'seasons',
    'divisions',
    'teams',
    'team_members',
    'team_invites',
  ]) {
    await sql`alter table ${sql.table(table)} enable row level security`.execute(db);
  }
  await sql`grant execute on all functions in schema public to rally_app`.execute(db);

  // Leagues: visible if public or yours; created only by organizers; changed by their organizers.
  await sql`grant select, insert, delete on leagues to rally_app`.execute(db);
  await sql`grant update (name, sport, custom_sport, description, visibility, format,
    roster_min, roster_max) on leagues to rally_app`.execute(db);
  await sql`create policy leagues_select on leagues for select to rally_app
    using (id = any ((select app_visible_leagues())::uuid[]) or created_by = app_user_id())`.execute(
    db,
  );
  await sql`create policy leagues_insert on leagues for insert to rally_app
    with check (created_by = app_user_id() and app_user_role() = 'organizer')`.execute(db);
  await sql`create policy leagues_update on leagues for update to rally_app
    using (app_is_league_organizer(id)) with check (app_is_league_organizer(id))`.execute(db);
  await sql`create policy leagues_delete on leagues for delete to rally_app
    using (app_is_league_organizer(id))`.execute(db);

  await sql`grant select, insert, delete on league_organizers to rally_app`.execute(db);
  await sql`create policy organizers_select on league_organizers for select to rally_app
    using (league_id = any ((select app_visible_leagues())::uuid[]))`.execute(db);
  await sql`create policy organizers_insert on league_organizers for insert to rally_app
    with check (app_is_league_organizer(league_id) and role = 'co_organizer'
      or user_id = app_user_id() and role = 'owner' and app_created_unowned_league(league_id))`.execute(
    db,
  );
  await sql`create policy organizers_delete on league_organizers for delete to rally_app
    using (app_is_league_organizer(league_id) and role = 'co_organizer')`.execute(db);

  await sql`grant select, insert, delete on seasons to rally_app`.execute(db);
  await sql`grant update (name, starts_on, ends_on, registration_open) on seasons to rally_app`.execute(
    db,
  );
  await sql`create policy seasons_select on seasons for select to rally_app
    using (league_id = any ((select app_visible_leagues())::uuid[]))`.execute(db);
  // Writes only: a FOR ALL policy would also be OR-ed into every read and cost a per-row call.
  await sql`create policy seasons_insert on seasons for insert to rally_app
    with check (app_is_league_organizer(league_id))`.execute(db);
  await sql`create policy seasons_update on seasons for update to rally_app
    using (app_is_league_organizer(league_id)) with check (app_is_league_organizer(league_id))`.execute(
    db,
  );
  await sql`create policy seasons_delete on seasons for delete to rally_app
    using (app_is_league_organizer(league_id))`.execute(db);

  await sql`grant select, insert, delete on divisions to rally_app`.execute(db);
  await sql`grant update (name, level_min, level_max) on divisions to rally_app`.execute(db);
  await sql`create policy divisions_select on divisions for select to rally_app
    using (id = any ((select app_visible_divisions())::uuid[]))`.execute(db);
  // Writes only: a FOR ALL policy would also be OR-ed into every read and cost a per-row call.
  await sql`create policy divisions_insert on divisions for insert to rally_app
    with check (app_is_league_organizer(app_league_of_season(season_id)))`.execute(db);
  await sql`create policy divisions_update on divisions for update to rally_app
    using (app_is_league_organizer(app_league_of_season(season_id))) with check (app_is_league_organizer(app_league_of_season(season_id)))`.execute(
    db,
  );
  await sql`create policy divisions_delete on divisions for delete to rally_app
    using (app_is_league_organizer(app_league_of_season(season_id)))`.execute(db);

  // Teams: captains create them in a division open for registration; organizers anywhere.
  await sql`grant select, insert, delete on teams to rally_app`.execute(db);
  await sql`grant update (name, home_venue, primary_colour, secondary_colour, archived_at)
    on teams to rally_app`.execute(db);
  await sql`create policy teams_select on teams for select to rally_app
    using (id = any ((select app_visible_teams())::uuid[]) or created_by = app_user_id())`.execute(
    db,
  );
  await sql`create policy teams_insert on teams for insert to rally_app
    with check (created_by = app_user_id() and (
      app_is_league_organizer(app_league_of_division(division_id))
      or app_user_role() in ('captain', 'organizer') and app_division_open(division_id)
        and app_can_see_league(app_league_of_division(division_id))))`.execute(db);
  await sql`create policy teams_update on teams for update to rally_app
    using (app_may_manage_team(id)) with check (app_may_manage_team(id))`.execute(db);
  await sql`create policy teams_delete on teams for delete to rally_app
    using (app_may_manage_team(id))`.execute(db);

  // Rosters: visible with the league; managed by captains and organizers; a player joins only
  // through an open invite and may leave.
  await sql`grant select, insert, delete on team_members to rally_app`.execute(db);
  await sql`grant update (role, status) on team_members to rally_app`.execute(db);
  await sql`create policy members_select on team_members for select to rally_app
    using (team_id = any ((select app_visible_teams())::uuid[]))`.execute(db);
  await sql`create policy members_insert on team_members for insert to rally_app
    with check (
      app_may_manage_team(team_id) and role <> 'captain'
      or user_id = app_user_id() and role = 'captain' and app_created_unmanned_team(team_id)
      or user_id = app_user_id() and role = 'player' and app_invite_admits(team_id))`.execute(db);
  // The captain's row is the captain's (or an organizer's) to change; the captaincy itself only
  // moves through app_hand_over_captaincy.
  await sql`create function app_leads_team(team uuid) returns boolean ${definer} as $$
    select exists (select 1 from team_members where team_id = team
        and user_id = app_user_id() and role = 'captain')
      or app_is_league_organizer(app_league_of_team(team)) $$`.execute(db);
  await sql`create policy members_update on team_members for update to rally_app
    using (app_may_manage_team(team_id) and (role <> 'captain' or app_leads_team(team_id)))
    with check (app_may_manage_team(team_id) and role <> 'captain')`.execute(db);
  await sql`create function app_hand_over_captaincy(team uuid, successor uuid) returns boolean
    language plpgsql volatile security definer set search_path = public as $$
    begin
      if not app_leads_team(team) or not exists (select 1 from team_members
          where team_id = team and user_id = successor and role <> 'captain') then
        return false;
      end if;
      update team_members set role = 'co_captain' where team_id = team and role = 'captain';
      update team_members set role = 'captain' where team_id = team and user_id = successor;
      return true;
    end $$`.execute(db);
  await sql`grant execute on function app_hand_over_captaincy(uuid, uuid) to rally_app`.execute(db);
  await sql`create policy members_delete on team_members for delete to rally_app
    using (app_may_manage_team(team_id) or user_id = app_user_id())`.execute(db);

  // Invites: captains and organizers manage them (and may only withdraw them once made); the
  // holder of a token sees that one, and can only take one use of it or decline it, through
  // functions that make exactly that change: a policy cannot bound the values of an update.
  await sql`grant select, insert on team_invites to rally_app`.execute(db);
  await sql`grant update (revoked_at) on team_invites to rally_app`.execute(db);
  await sql`create policy invites_select on team_invites for select to rally_app
    using (app_may_manage_team(team_id) or token_hash = app_invite_token())`.execute(db);
  await sql`create policy invites_insert on team_invites for insert to rally_app
    with check (app_may_manage_team(team_id) and created_by = app_user_id())`.execute(db);
  await sql`create policy invites_update on team_invites for update to rally_app
    using (app_may_manage_team(team_id)) with check (app_may_manage_team(team_id))`.execute(db);
  await sql`create function app_take_invite_use() returns boolean
    language sql volatile security definer set search_path = public as $$
    with used as (
      update team_invites set uses = uses + 1
      where token_hash = app_invite_token() and revoked_at is null and declined_at is null
        and expires_at > now() and uses < max_uses
      returning 1)
    select exists (select 1 from used) $$`.execute(db);
  await sql`create function app_decline_invite() returns boolean
    language sql volatile security definer set search_path = public as $$
    with declined as (
      update team_invites set declined_at = now()
      where token_hash = app_invite_token() and max_uses = 1 and uses = 0
        and revoked_at is null and declined_at is null and expires_at > now()
      returning 1)
    select exists (select 1 from declined) $$`.execute(db);
  await sql`grant execute on function app_take_invite_use(), app_decline_invite() to rally_app`.execute(
    db,
  );

  // Names of people on rosters and organizer lists, readable where the league is: the view
  // exposes the display name only, never the e-mail or phone of the profile.
  await sql`create view people as
    select p.user_id, p.display_name from profiles p
    where p.user_id = app_user_id()
      or exists (select 1 from team_members tm
        where tm.user_id = p.user_id and tm.team_id = any ((select app_visible_teams())::uuid[]))
      or exists (select 1 from league_organizers lo
        where lo.user_id = p.user_id and lo.league_id = any ((select app_visible_leagues())::uuid[]))`.execute(
    db,
  );
  await sql`grant select on people to rally_app`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop view if exists people`.execute(db);
  for (const table of [
    'team_invites',
    'team_members',
    'teams',
    'divisions',
    'seasons',
    'league_organizers',
    'leagues',
  ]) {
    await sql`drop table if exists ${sql.table(table)} cascade`.execute(db);
  }
  for (const fn of [
    'app_user_role()',
    'app_is_league_organizer(uuid)',
    'app_league_of_season(uuid)',
    'app_league_of_division(uuid)',
    'app_league_of_team(uuid)',
    'app_is_team_captain(uuid)',
    'app_is_team_member(uuid)',
    'app_can_see_league(uuid)',
    'app_visible_teams()',
    'app_visible_divisions()',
    'app_visible_leagues()',
    'app_may_manage_team(uuid)',
    'app_created_unowned_league(uuid)',
    'app_created_unmanned_team(uuid)',
    'app_invite_token()',
    'app_invite_admits(uuid)',
    'app_division_open(uuid)',
    'app_find_user_by_email(text)',
    'app_take_invite_use()',
    'app_decline_invite()',
    'app_hand_over_captaincy(uuid, uuid)',
    'app_leads_team(uuid)',
  ]) {
    await sql`drop function if exists ${sql.raw(fn)}`.execute(db);
  }
}
