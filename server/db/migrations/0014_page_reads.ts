import { sql, type Kysely } from 'kysely';

/**
 * The pages around a match, each read in one statement that checks visibility once (issue #12,
 * items 2 and 3; decision 0006, third step).
 *
 * A division's and a team's schedule joined matches, two teams, division, season, league, venue
 * and result, each table with its own select policy: about six policy checks per match and 2–5 ms
 * of planning per statement, after a separate statement to answer 404. A team's stats made nine
 * statements and a player's page eight, each checking every row it read.
 *
 * Each read is now one `security definer` function (PL/pgSQL, so its plans are kept per
 * connection), like `app_my_matches` (0008): it asks `app_my_leagues()` once, checks the page's
 * own division, team or player exactly as the 404 check did, and then applies to every table it
 * reads exactly the predicate of that table's select policy (migration 0012), for every row,
 * computed once per division rather than once per row:
 *
 * - `matches`, `match_results`, `line_results`, `line_players`, `rating_events`: their division
 *   is visible (`app_division_visible`); the divisions a page touches are checked together by
 *   `app_divisions_visible(ids, mine)` (public league, or one of `mine`), the same predicate;
 * - `divisions`, `seasons`, `leagues` reached from a visible division are visible (a division is
 *   visible exactly when its season's league is public or one of `mine`);
 * - `teams`: created by the user, or their division visible; `venues`: their league visible;
 * - `team_members` of a visible team: visible (`app_team_visible` is the team's division's);
 * - names through the `people` view and players through `visible_players`, as before (views
 *   owned by the migrating role, which compute their rows from `app_user_id()` themselves);
 * - `player_ratings`: the user's own, or a visible player's.
 *
 * Nothing is returned for a division, team or player the user cannot see, so such a page stays a
 * 404. A change to one of these select policies must change these functions too: the tests in
 * server/modules/{schedule,players}/page-reads.test.ts compare every function with the plain
 * queries under the policies, for every user.
 */
const definer = sql.raw('language plpgsql stable security definer set search_path = public');

/** The columns of a match row (`MatchRow`), as `app_my_matches` returns them minus the answer. */
const MATCH_COLUMNS = sql.raw(`id uuid, round integer, division_id uuid, division_name text,
  league_id uuid, league_name text, time_zone text, home_team_id uuid, home_name text,
  away_team_id uuid, away_name text, venue_id uuid, venue_name text, venue_address text,
  match_date text, start_time text, duration_minutes integer, courts integer, status text,
  cancel_reason text, sequence integer, version integer, updated_at timestamptz,
  result_status text, result_totals jsonb`);

/** The functions this migration makes, with their arguments, for `down`. */
const FUNCTIONS = [
  'app_player_page(uuid)',
  'app_team_stats(uuid)',
  'app_team_matches(uuid)',
  'app_division_matches(uuid)',
  'app_match_rows(uuid, uuid, uuid[], uuid[], uuid, integer)',
  'app_divisions_visible(uuid[], uuid[])',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  // app_division_visible(division, mine) for many divisions at once: those whose league is
  // public or one of `mine`. Internal: only the functions below (owned by the owner) call it.
  await sql`create function app_divisions_visible(ids uuid[], mine uuid[]) returns uuid[]
    language sql stable security definer set search_path = public as $$
    select coalesce(array_agg(d.id), '{}') from divisions d
      join seasons s on s.id = d.season_id join leagues l on l.id = s.league_id
    where d.id = any (ids) and (l.visibility = 'public' or l.id = any (mine)) $$`.execute(db);

  // The matches of `division`, or of `team` (home and away), as the schedule views show them
  // (matchesRepository.select), each joined row kept by its select policy, in the views' order;
  // at most `max_rows` (null: all). `vis`: the visible divisions among the matches' own.
  // Internal: it takes `me`, `mine` and `vis` as arguments.
  await sql`create function app_match_rows(division uuid, team uuid, vis uuid[], mine uuid[],
      me uuid, max_rows integer)
    returns table (${MATCH_COLUMNS}) ${definer} as $$
    begin
      return query
      select m.id, m.round, m.division_id, d.name, l.id, l.name, l.time_zone,
        m.home_team_id, h.name, m.away_team_id, a.name, m.venue_id, v.name, v.address,
        m.match_date::text, to_char(m.start_time, 'HH24:MI'), m.duration_minutes, m.courts,
        m.status, m.cancel_reason, m.sequence, m.version, m.updated_at, r.status, r.totals
      from matches m
        -- matches_select; divisions_select, seasons_select and leagues_select follow from it.
        join divisions d on d.id = m.division_id
        join seasons s on s.id = d.season_id
        join leagues l on l.id = s.league_id
        -- teams_select.
        join teams h on h.id = m.home_team_id and (h.division_id = any (vis)
          or h.created_by = me or app_division_visible(h.division_id, mine))
        join teams a on a.id = m.away_team_id and (a.division_id = any (vis)
          or a.created_by = me or app_division_visible(a.division_id, mine))
        -- venues_select and match_results_select.
        left join venues v on v.id = m.venue_id
          and (v.league_id = l.id or app_league_visible(v.league_id, mine))
        left join match_results r on r.match_id = m.id
          and (r.division_id = any (vis) or app_division_visible(r.division_id, mine))
      where (m.division_id = division or m.home_team_id = team or m.away_team_id = team)
        and m.division_id = any (vis)
      order by m.match_date, m.start_time, h.name
      limit max_rows;
    end $$`.execute(db);

  // A division's schedule (GET /api/divisions/{id}/matches). No rows: the division is not
  // visible (404). One row of nulls: it is, and has no match.
  await sql`create function app_division_matches(division uuid)
    returns table (${MATCH_COLUMNS}) ${definer} as $$
    declare mine uuid[] := app_my_leagues();
    begin
      if not app_division_visible(division, mine) then return; end if;
      return query select * from app_match_rows(division, null, array[division], mine,
        app_user_id(), null);
      if not found then return next; end if;
    end $$`.execute(db);

  // A team's schedule (GET /api/teams/{id}/matches), at most 1,000 matches. No rows: the team is
  // not visible (404: the team page's check, its division, season and league all visible). One
  // row of nulls: it is, and has no match.
  await sql`create function app_team_matches(team uuid)
    returns table (${MATCH_COLUMNS}) ${definer} as $$
    declare mine uuid[] := app_my_leagues();
    begin
      if not exists (select 1 from teams t
          where t.id = team and app_division_visible(t.division_id, mine)) then
        return;
      end if;
      return query select * from app_match_rows(null, team, app_divisions_visible(array(
          select m.division_id from matches m where m.home_team_id = team
          union select m.division_id from matches m where m.away_team_id = team), mine),
        mine, app_user_id(), 1000);
      if not found then return next; end if;
    end $$`.execute(db);

  // What a team's stats are made of (GET /api/teams/{id}/stats), as one JSON document, or null
  // when the team is not visible (404). players.service.ts computes the page from it.
  await sql`create function app_team_stats(team uuid) returns json ${definer} as $$
    declare
      me uuid := app_user_id();
      mine uuid[] := app_my_leagues();
      own_division uuid;
      played uuid[];
      vis uuid[];
      players uuid[];
      answer json;
    begin
      select t.division_id into own_division from teams t where t.id = team;
      if own_division is null or not app_division_visible(own_division, mine) then
        return null;
      end if;
      -- The team's matches not cancelled, of divisions the user can see (matches_select).
      played := array(
        select m.id from matches m where m.home_team_id = team and m.status <> 'cancelled'
        union select m.id from matches m where m.away_team_id = team and m.status <> 'cancelled');
      vis := app_divisions_visible(
        array(select distinct m.division_id from matches m where m.id = any (played)), mine);
      select coalesce(array_agg(m.id), '{}') into played
        from matches m where m.id = any (played) and m.division_id = any (vis);
      -- The roster (members_select: the team is visible) and who played its lines.
      select coalesce(array_agg(distinct u), '{}') into players from (
        select tm.user_id as u from team_members tm where tm.team_id = team
        union all
        select lp.user_id from line_players lp
        where lp.match_id = any (played) and lp.team_id = team
          and (lp.division_id = any (vis) or app_division_visible(lp.division_id, mine))) x;
      select json_build_object(
        'league', (select json_build_object('sport', l.sport, 'customSport', l.custom_sport)
          from divisions d join seasons s on s.id = d.season_id join leagues l on l.id = s.league_id
          where d.id = own_division),
        'results', (select coalesce(json_agg(json_build_object(
            'id', m.id, 'date', m.match_date::text, 'homeTeamId', m.home_team_id,
            'awayTeamId', m.away_team_id, 'opponentName', o.name, 'totals', r.totals)
            order by m.match_date desc, m.start_time desc, m.id), '[]')
          from match_results r join matches m on m.id = r.match_id
            left join teams o on o.id = case when m.home_team_id = team then m.away_team_id
                else m.home_team_id end
              and (o.division_id = any (vis) or o.created_by = me
                or app_division_visible(o.division_id, mine))
          where r.match_id = any (played) and r.status = 'final'
            and (r.division_id = any (vis) or app_division_visible(r.division_id, mine))),
        'lines', (select coalesce(json_agg(json_build_object(
            'matchId', lr.match_id, 'kind', lr.kind, 'line', lr.line,
            'date', lr.match_date::text, 'outcome', lr.outcome, 'winner', lr.winner,
            'sets', lr.sets, 'sport', l.sport, 'customSport', l.custom_sport, 'format', l.format,
            'side', case when m.home_team_id = team then 'home' else 'away' end)
            order by lr.match_id, lr.kind, lr.line), '[]')
          from line_results lr join matches m on m.id = lr.match_id
            join divisions d on d.id = lr.division_id join seasons s on s.id = d.season_id
            join leagues l on l.id = s.league_id
          where lr.match_id = any (played)
            and (lr.division_id = any (vis) or app_division_visible(lr.division_id, mine))),
        'roster', (select coalesce(json_agg(tm.user_id order by tm.user_id), '[]')
          from team_members tm where tm.team_id = team),
        'mates', (select coalesce(json_agg(json_build_object(
            'matchId', lp.match_id, 'kind', lp.kind, 'line', lp.line, 'side', lp.side,
            'teamId', lp.team_id, 'userId', lp.user_id) order by lp.match_id, lp.user_id), '[]')
          from line_players lp
          where lp.match_id = any (played) and lp.team_id = team
            and (lp.division_id = any (vis) or app_division_visible(lp.division_id, mine))),
        'names', (select coalesce(json_agg(json_build_object(
            'userId', p.user_id, 'displayName', p.display_name)), '[]')
          from people p where p.user_id = any (players)),
        'ratings', (select coalesce(json_agg(json_build_object(
            'userId', pr.user_id, 'sport', pr.sport, 'kind', pr.kind, 'rating', pr.rating)), '[]')
          from player_ratings pr where pr.user_id = any (players)
            and (pr.user_id = me
              or exists (select 1 from visible_players v where v.user_id = pr.user_id)))
      ) into answer;
      return answer;
    end $$`.execute(db);

  // What a player's page is made of (GET /api/players/{id}), every sport, as one JSON document,
  // or null when the user cannot see the player (404). players.service.ts picks the sport.
  await sql`create function app_player_page(player uuid) returns json ${definer} as $$
    declare
      me uuid := app_user_id();
      mine uuid[] := app_my_leagues();
      shown_name text;
      vis uuid[];
      played uuid[];
      answer json;
    begin
      select p.display_name into shown_name from people p where p.user_id = player;
      if not found then return null; end if;
      -- The divisions of the player's lines and rating moves that the user can see.
      vis := app_divisions_visible(array(
        select lp.division_id from line_players lp where lp.user_id = player
        union select e.division_id from rating_events e where e.user_id = player), mine);
      select coalesce(array_agg(x.match_id), '{}') into played from (
        select lp.match_id from line_players lp where lp.user_id = player and lp.division_id = any (vis)
        union select e.match_id from rating_events e
        where e.user_id = player and e.division_id = any (vis)) x;
      select json_build_object(
        'name', shown_name,
        'ratings', (select coalesce(json_agg(json_build_object(
            'userId', pr.user_id, 'sport', pr.sport, 'kind', pr.kind, 'rating', pr.rating,
            'deviation', pr.deviation, 'reliability', pr.reliability, 'matches', pr.matches,
            'lastPlayed', pr.last_played::text) order by pr.sport, pr.kind desc), '[]')
          from player_ratings pr where pr.user_id = player
            and (pr.user_id = me
              or exists (select 1 from visible_players v where v.user_id = pr.user_id))),
        'latestSport', (select e.sport from rating_events e
          where e.user_id = player and e.division_id = any (vis)
          order by e.match_date desc, e.start_time desc, e.id desc limit 1),
        -- teams_select, members_select and the joins up to the league: the team's division.
        'teamSport', (select json_build_object('sport', l.sport, 'customSport', l.custom_sport)
          from team_members tm join teams t on t.id = tm.team_id
            join divisions d on d.id = t.division_id join seasons s on s.id = d.season_id
            join leagues l on l.id = s.league_id
          where tm.user_id = player and app_division_visible(t.division_id, mine)
          order by s.starts_on desc limit 1),
        'lines', (select coalesce(json_agg(json_build_object(
            'matchId', lr.match_id, 'kind', lr.kind, 'line', lr.line,
            'date', lr.match_date::text, 'outcome', lr.outcome, 'winner', lr.winner,
            'sets', lr.sets, 'sport', l.sport, 'customSport', l.custom_sport, 'format', l.format,
            'side', lp.side, 'userId', lp.user_id)
            order by lr.match_id, lr.kind, lr.line), '[]')
          from line_players lp
            join line_results lr on lr.match_id = lp.match_id and lr.kind = lp.kind
              and lr.line = lp.line
            join divisions d on d.id = lr.division_id join seasons s on s.id = d.season_id
            join leagues l on l.id = s.league_id
          where lp.user_id = player and lp.division_id = any (vis)
            and (lr.division_id = any (vis) or app_division_visible(lr.division_id, mine))),
        'history', (select coalesce(json_agg(json_build_object(
            'sport', e.sport, 'matchId', e.match_id, 'kind', e.kind, 'line', e.line,
            'date', e.match_date::text, 'won', e.won, 'before', e.before, 'after', e.after,
            'deviationAfter', e.deviation_after, 'explanation', e.explanation)
            order by e.match_date, e.start_time, e.match_id, e.id), '[]')
          from rating_events e where e.user_id = player and e.division_id = any (vis)),
        'mates', (select coalesce(json_agg(json_build_object(
            'matchId', lp.match_id, 'kind', lp.kind, 'line', lp.line, 'side', lp.side,
            'teamId', lp.team_id, 'userId', lp.user_id) order by lp.match_id, lp.user_id), '[]')
          from line_players lp
          where lp.match_id = any (played)
            and (lp.division_id = any (vis) or app_division_visible(lp.division_id, mine))),
        'names', (select coalesce(json_agg(json_build_object(
            'userId', p.user_id, 'displayName', p.display_name)), '[]')
          from people p where p.user_id in (select player union
            select lp.user_id from line_players lp where lp.match_id = any (played)
              and (lp.division_id = any (vis) or app_division_visible(lp.division_id, mine))))
      ) into answer;
      return answer;
    end $$`.execute(db);

  await sql`grant execute on function app_division_matches(uuid), app_team_matches(uuid),
    app_team_stats(uuid), app_player_page(uuid) to rally_app`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const fn of FUNCTIONS) await sql`drop function if exists ${sql.raw(fn)}`.execute(db);
}
