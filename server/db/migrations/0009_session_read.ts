import { sql, type Kysely } from 'kysely';
import * as readSpeed from './0008_read_speed';

/**
 * The hot read in one statement, session included (issue #5, decision 0006).
 *
 * `app_my_matches_of(me, from, before)` is `app_my_matches` (migration 0008) for a given user,
 * rewritten to start from that user's teams: their matches come from the `matches_home` and
 * `matches_away` indexes instead of every match of every visible division, and each joined row
 * is checked against its select policy one league at a time (public, or one of the few leagues
 * the user organizes, plays in or holds an invite to), where 0008 first built the arrays of every
 * visible league, division and team. What it returns is unchanged: the policies' rows, row for
 * row (server/modules/me/schedule.test.ts).
 *
 * It takes the user as an argument, so only the owner may run it: the API runs it in one
 * statement with the session look-up (`sessions.id = $1 and expires_at > now()`), so a request
 * cannot name somebody else. `app_my_matches(from, before)` stays, for the app role, as
 * `app_my_matches_of(app_user_id(), …)`.
 *
 * A team a user is a member of is in a league they play in, so their own membership rows are
 * always visible (members_select) and need no check here.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function app_my_matches_of(me uuid, from_date date, before_date date)
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
      mine uuid[];
      seen uuid[];
    begin
      if me is null then return; end if;
      select coalesce(array_agg(tm.team_id), '{}') into mine
        from team_members tm where tm.user_id = me;
      if cardinality(mine) = 0 then return; end if;
      -- app_visible_leagues() without the public ones, which are checked row by row.
      select coalesce(array_agg(x.id), '{}') into seen from (
        select lo.league_id as id from league_organizers lo where lo.user_id = me
        union
        select s.league_id from teams t join divisions d on d.id = t.division_id
          join seasons s on s.id = d.season_id where t.id = any (mine)
        union
        select s.league_id from team_invites i join teams t on t.id = i.team_id
          join divisions d on d.id = t.division_id join seasons s on s.id = d.season_id
          where i.token_hash = app_invite_token() and i.revoked_at is null
            and i.declined_at is null and i.expires_at > now() and i.uses < i.max_uses) x;
      return query
      select m.id, m.round, m.division_id, d.name, l.id, l.name, l.time_zone,
        m.home_team_id, h.name, m.away_team_id, a.name, m.venue_id, v.name, v.address,
        m.match_date::text, to_char(m.start_time, 'HH24:MI'), m.duration_minutes, m.courts,
        m.status, m.cancel_reason, m.sequence, m.version, m.updated_at, r.status, r.totals,
        my.answer
      from matches m
        -- matches_select, divisions_select, seasons_select, leagues_select: the match's league.
        join divisions d on d.id = m.division_id
        join seasons s on s.id = d.season_id
        join leagues l on l.id = s.league_id and (l.visibility = 'public' or l.id = any (seen))
        -- teams_select: each team's own league, or created by the user.
        join teams h on h.id = m.home_team_id
        join divisions hd on hd.id = h.division_id
        join seasons hs on hs.id = hd.season_id
        join leagues hl on hl.id = hs.league_id
        join teams a on a.id = m.away_team_id
        join divisions ad on ad.id = a.division_id
        join seasons aws on aws.id = ad.season_id
        join leagues al on al.id = aws.league_id
        -- venues_select and match_results_select: their own league.
        left join (venues v join leagues vl on vl.id = v.league_id
          and (vl.visibility = 'public' or vl.id = any (seen))) on v.id = m.venue_id
        left join (match_results r join divisions rd on rd.id = r.division_id
          join seasons rs on rs.id = rd.season_id join leagues rl on rl.id = rs.league_id
          and (rl.visibility = 'public' or rl.id = any (seen))) on r.match_id = m.id
        -- availability_own.
        left join match_availability my on my.match_id = m.id and my.user_id = me
      where (m.home_team_id = any (mine) or m.away_team_id = any (mine))
        and (h.created_by = me or hl.visibility = 'public' or hl.id = any (seen))
        and (a.created_by = me or al.visibility = 'public' or al.id = any (seen))
        and m.match_date >= coalesce(from_date, '-infinity'::date)
        and m.match_date < coalesce(before_date, 'infinity'::date)
      order by m.match_date, m.start_time, h.name
      limit 1000;
    end $$`.execute(db);
  await sql`revoke execute on function app_my_matches_of(uuid, date, date) from public`.execute(db);

  await sql`
    create or replace function app_my_matches(from_date date, before_date date)
    returns table (
      id uuid, round integer, division_id uuid, division_name text, league_id uuid,
      league_name text, time_zone text, home_team_id uuid, home_name text, away_team_id uuid, away_name text,
      venue_id uuid, venue_name text, venue_address text, match_date text, start_time text,
      duration_minutes integer, courts integer, status text, cancel_reason text,
      sequence integer, version integer, updated_at timestamptz, result_status text,
      result_totals jsonb, my_availability text
    )
    language plpgsql stable security definer set search_path = public as $$
    begin
      return query select * from app_my_matches_of(app_user_id(), from_date, before_date);
    end $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Back to 0008's own app_my_matches, which does not call app_my_matches_of.
  await sql`drop function if exists app_my_matches(date, date)`.execute(db);
  await readSpeed.up(db);
  await sql`drop function if exists app_my_matches_of(uuid, date, date)`.execute(db);
}
