import { sql, type Kysely } from 'kysely';

/**
 * The hot read, a player's schedule (`GET /api/me/matches`), in one statement that is planned
 * once per connection (issue #5, decision 0006).
 *
 * The schedule joins seven tables. Under row-level security each brings its own select policy,
 * and each policy its own `(select app_visible_…())`: eight per statement, each recomputing the
 * visible leagues, and the whole join planned again on every request (1.6 ms on PostgreSQL, more
 * on embedded PGlite, five times what running it cost).
 *
 * `app_my_matches` computes the visible leagues once, the visible divisions and teams from them
 * (the definitions of `app_visible_divisions()` and `app_visible_teams()`), and then applies to
 * every table exactly the predicate of its select policy, as the acting user (`app_user_id()`).
 * PL/pgSQL keeps the plan of its query for the connection. It is `security definer` so that the
 * policies are not applied a second time; what it returns is what the plain query under the
 * policies returned, row for row (server/modules/me/schedule.test.ts compares the two for every
 * kind of user). A change to one of these select policies must change this function too.
 *
 * `my_availability` is the acting player's own answer for the match (null: not answered yet): own
 * answers are always visible (policy availability_own).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function app_my_matches(from_date date, before_date date)
    returns table (
      id uuid, round integer, division_id uuid, division_name text, league_id uuid,
      league_name text, time_zone text, home_team_id uuid, home_name text, away_team_id uuid, away_name text,
      venue_id uuid, venue_name text, venue_address text, match_date text, start_time text,
      duration_minutes integer, courts integer, status text, cancel_reason text,
      sequence integer, version integer, updated_at timestamptz, result_status text,
      result_totals jsonb, my_availability text
    )
    language plpgsql stable security definer set search_path = public as $$
    declare
      me uuid := app_user_id();
      vis_leagues uuid[];
      vis_divisions uuid[];
      vis_teams uuid[];
    begin
      if me is null then return; end if;
      vis_leagues := app_visible_leagues();
      -- app_visible_divisions() and app_visible_teams(), from the same leagues.
      select coalesce(array_agg(d.id), '{}') into vis_divisions
        from divisions d join seasons s on s.id = d.season_id
        where s.league_id = any (vis_leagues);
      select coalesce(array_agg(t.id), '{}') into vis_teams
        from teams t join divisions d on d.id = t.division_id join seasons s on s.id = d.season_id
        where s.league_id = any (vis_leagues);
      return query
      select m.id, m.round, m.division_id, d.name, l.id, l.name, l.time_zone,
        m.home_team_id, h.name, m.away_team_id, a.name, m.venue_id, v.name, v.address,
        m.match_date::text, to_char(m.start_time, 'HH24:MI'), m.duration_minutes, m.courts,
        m.status, m.cancel_reason, m.sequence, m.version, m.updated_at, r.status, r.totals,
        my.answer
      from matches m
        -- Each table with its select policy: matches_select, teams_select, divisions_select,
        -- seasons_select, leagues_select, venues_select, match_results_select, members_select,
        -- availability_own.
        join teams h on h.id = m.home_team_id and (h.id = any (vis_teams) or h.created_by = me)
        join teams a on a.id = m.away_team_id and (a.id = any (vis_teams) or a.created_by = me)
        join divisions d on d.id = m.division_id and d.id = any (vis_divisions)
        join seasons s on s.id = d.season_id and s.league_id = any (vis_leagues)
        join leagues l on l.id = s.league_id and (l.id = any (vis_leagues) or l.created_by = me)
        left join venues v on v.id = m.venue_id and v.league_id = any (vis_leagues)
        left join match_results r on r.match_id = m.id and r.division_id = any (vis_divisions)
        left join match_availability my on my.match_id = m.id and my.user_id = me
      where m.division_id = any (vis_divisions)
        and exists (select 1 from team_members tm
          where tm.user_id = me and tm.team_id = any (vis_teams)
            and (tm.team_id = m.home_team_id or tm.team_id = m.away_team_id))
        and m.match_date >= coalesce(from_date, '-infinity'::date)
        and m.match_date < coalesce(before_date, 'infinity'::date)
      order by m.match_date, m.start_time, h.name
      limit 1000;
    end $$`.execute(db);
  await sql`revoke execute on function app_my_matches(date, date) from public`.execute(db);
  await sql`grant execute on function app_my_matches(date, date) to rally_app`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function if exists app_my_matches(date, date)`.execute(db);
}
