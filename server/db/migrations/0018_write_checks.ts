import { sql, type Kysely } from 'kysely';
import { createTeamFunction } from './0015_write_speed';

/**
 * Team creation without the user's league list (issue #12 item 5, decision 0015).
 *
 * `app_my_leagues()` (the leagues a user organizes, plays in or holds an invitation to) walks
 * every team the user is on, through teams, divisions and seasons: the largest part of a team
 * creation's work in the database. `app_create_team` asked for it four times: the division's
 * read through the select policies of divisions and seasons (each computes it, whatever the
 * league), the policy `teams_insert` (`app_can_see_league`), and the captain's row returned
 * through `members_select`. A public league needs none of them. Now:
 *
 * - `app_can_see_league(league)` asks whether the league is public first and reads the user's
 *   leagues only when it is not: the same answer (public, or one of the user's), in the other
 *   order.
 * - `app_division_place(division)` reads a division with its season and league, as the API shows
 *   them, when the user can see its league (`app_can_see_league`): the rows the same join read
 *   as the user gives (`divisions_select`, `seasons_select` and `leagues_select` each let a row
 *   through when its league is public or one of the user's), without the list for a public one.
 * - `app_create_team` reads its division through it, and inserts the captain without `returning`
 *   (nothing to read back: the row is what it inserted, its status and time given). The inserts
 *   still go through `teams_insert` and `members_insert`: the policies decide.
 *
 * And in one round trip: `app_create_team_as(acting, …)` is `app_create_team` as a statement of
 * its own, outside any transaction (PostgreSQL runs it in one, committed when it ends), called on
 * the login connection. It becomes `rally_app` with `app.user_id` set to `acting` for the rest of
 * that transaction (`set_config(…, true)`, as `withUser`'s BEGIN does), so the same policies
 * decide; a refusal raises `REFUSED_STATE` with the reason as its detail, which undoes the key's
 * claim as the rollback of `withUser` did. It replaces BEGIN, the call and COMMIT: three round
 * trips to one. The login role may become `rally_app` anyway (`set role`), so `rally_system`
 * may call it without gaining anything.
 */
/** The SQLSTATE of `app_create_team_as`'s refusals; the detail is `app_create_team`'s reason. */
const REFUSED_STATE = 'RA403';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create or replace function app_can_see_league(league uuid) returns boolean
    language plpgsql stable security definer set search_path = public as $$
    begin
      return exists (select 1 from leagues l where l.id = league and l.visibility = 'public')
        or league = any (app_my_leagues());
    end $$`.execute(db);
  await sql`create function app_division_place(division uuid)
    returns table (division_name text, season_id uuid, season_name text,
      registration_open boolean, league_id uuid, league_name text, roster_min integer,
      roster_max integer, organizer boolean)
    language plpgsql stable security definer set search_path = public as $$
    begin
      return query select d.name, s.id, s.name, s.registration_open, l.id, l.name, l.roster_min,
          l.roster_max, app_is_league_organizer(l.id)
        from divisions d join seasons s on s.id = d.season_id join leagues l on l.id = s.league_id
        where d.id = division and app_can_see_league(l.id);
    end $$`.execute(db);
  await sql`revoke execute on function app_division_place(uuid) from public`.execute(db);
  await sql`grant execute on function app_division_place(uuid) to rally_app`.execute(db);
  await sql`
    create or replace function app_create_team(division uuid, team_name text,
      team_home_venue text, team_primary_colour text, team_secondary_colour text,
      may_create boolean, idempotency_key text, request_hash text, answer_status integer)
    returns json language plpgsql volatile security invoker set search_path = public as $$
    declare
      me uuid := app_user_id();
      place record;
      team record;
      joined timestamptz := now();
      display_name text;
      answer json;
    begin
      if idempotency_key is not null then
        insert into idempotency_keys (user_id, key, request_hash, status_code, response)
          values (me, idempotency_key, request_hash, 0, null) on conflict do nothing;
        if not found then
          return json_build_object('claimed', false);
        end if;
      end if;
      -- The division as the user sees it (visibleDivision), with what the answer shows of it.
      select * into place from app_division_place(division);
      if not found then
        return json_build_object('refused', 'division');
      end if;
      if not may_create then
        return json_build_object('refused', 'role');
      end if;
      if not place.organizer and not place.registration_open then
        return json_build_object('refused', 'registration');
      end if;
      insert into teams (division_id, name, home_venue, primary_colour, secondary_colour, created_by)
        values (division, team_name, team_home_venue, team_primary_colour, team_secondary_colour, me)
        returning * into team;
      insert into team_members (team_id, user_id, role, status, joined_at)
        values (team.id, me, 'captain', 'active', joined);
      -- The user's own name, as the view people shows it to them.
      select p.display_name into display_name from profiles p where p.user_id = me;
      -- The team as getTeam answers it (teams.repository find and members): its only member is
      -- the captain just added, who is therefore its captain and a member.
      answer := json_build_object(
        'id', team.id, 'divisionId', team.division_id, 'divisionName', place.division_name,
        'seasonId', place.season_id, 'seasonName', place.season_name,
        'leagueId', place.league_id, 'leagueName', place.league_name,
        'name', team.name, 'homeVenue', team.home_venue, 'primaryColour', team.primary_colour,
        'secondaryColour', team.secondary_colour, 'archived', team.archived_at is not null,
        'version', team.version, 'rosterMin', place.roster_min, 'rosterMax', place.roster_max,
        'members', json_build_array(json_build_object(
          'userId', me, 'displayName', coalesce(display_name, 'A former member'),
          'role', 'captain', 'status', 'active',
          'joinedAt', to_char(joined at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))),
        'access', json_build_object('isCaptain', true, 'isMember', true,
          'isOrganizer', place.organizer));
      if idempotency_key is not null then
        update idempotency_keys set status_code = answer_status, response = answer::jsonb
          where user_id = me and key = idempotency_key;
      end if;
      return json_build_object('team', answer);
    end $$`.execute(db);
  await sql`
    create function app_create_team_as(acting uuid, division uuid, team_name text,
      team_home_venue text, team_primary_colour text, team_secondary_colour text,
      may_create boolean, idempotency_key text, request_hash text, answer_status integer)
    returns json language plpgsql volatile security invoker set search_path = public as $$
    declare
      result json;
    begin
      perform set_config('role', 'rally_app', true), set_config('app.user_id', acting::text, true);
      result := app_create_team(division, team_name, team_home_venue, team_primary_colour,
        team_secondary_colour, may_create, idempotency_key, request_hash, answer_status);
      if result ->> 'refused' is not null then
        raise exception 'team not created: %', result ->> 'refused'
          using errcode = ${sql.lit(REFUSED_STATE)}, detail = result ->> 'refused';
      end if;
      return result;
    end $$`.execute(db);
  await sql`revoke execute on function app_create_team_as(uuid, uuid, text, text, text, text,
    boolean, text, text, integer) from public`.execute(db);
  await sql`grant execute on function app_create_team_as(uuid, uuid, text, text, text, text,
    boolean, text, text, integer) to rally_system`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function app_create_team_as(uuid, uuid, text, text, text, text, boolean, text,
    text, integer)`.execute(db);
  await createTeamFunction(db);
  await sql`drop function app_division_place(uuid)`.execute(db);
  await sql`create or replace function app_can_see_league(league uuid) returns boolean
    language plpgsql stable security definer set search_path = public as $$
#variable_conflict use_column
begin return (
select app_league_visible(league, app_my_leagues())
); end$$`.execute(db);
}
