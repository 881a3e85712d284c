/**
 * A large installation for the load benchmark and the query plans (issue #12): at `scale` 1,
 * 1,000 leagues, 10,000 teams, 100,000 players and a played season in every league (90,000 team
 * matches, 630,000 lines, 1.8 million line players). bench/load/README.md describes it.
 *
 * Everything is written by the owner in a few `insert … select generate_series` statements, so
 * that it takes minutes on PostgreSQL rather than hours. Ids are made from `md5('rally-scale:…')`,
 * so that rows refer to each other without reading anything back and a second run is refused by
 * the primary keys rather than doubling the data. Every tenth league is private.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { DEFAULT_MATCH_FORMAT, type MatchFormat } from '#domain/schemas/leagues';
import type { DB } from '../../server/db/schema';

/** At `scale` 1: leagues; each has one season of one division of `TEAMS` teams. */
export const LEAGUES = 1000;
export const TEAMS = 10;
export const PLAYERS = 10;
/** The format of every league: 4 singles and 3 doubles lines, 10 players a side. */
const SINGLES = 4;
const DOUBLES = 3;

/** The default format with the lines a 10-player roster fills. */
const FORMAT: MatchFormat = {
  ...DEFAULT_MATCH_FORMAT,
  lines: [
    { kind: 'singles', count: SINGLES },
    { kind: 'doubles', count: DOUBLES },
  ],
};

/** What the generator made, and how long each table took. */
export interface ScaleReport {
  leagues: number;
  rows: Record<string, number>;
  seconds: Record<string, number>;
}

/** The id of the scale set's row `key` (`league:12`, `team:12:3`, …). */
/**
 * An RFC 4122 UUID (version 4, variant 1: what the API's schemas accept) from the md5 of `text`.
 */
const uuidOf = (text: RawBuilder<unknown>) =>
  sql`overlay(overlay(md5(${text}) placing '4' from 13) placing '8' from 17)::uuid`;

export const scaleId = (key: string) => sql<string>`${uuidOf(sql`${`rally-scale:${key}`}`)}`;

/**
 * Writes the scale set (`scale` × 1,000 leagues) with the owner's connection `owner`, then
 * analyses the tables so that the planner sees them as they are.
 */
export async function generateScale(
  owner: Kysely<DB>,
  leagues: { from: number; to: number },
  log: (line: string) => void = () => {},
): Promise<ScaleReport> {
  const report: ScaleReport = { leagues: leagues.to - leagues.from + 1, rows: {}, seconds: {} };
  const id = (prefix: string, ...parts: string[]) =>
    uuidOf(sql.raw(`'rally-scale:${prefix}:' || ${parts.join(` || ':' || `)}`));
  const step = async (table: string, statement: ReturnType<typeof sql>) => {
    const started = performance.now();
    const result = await statement.execute(owner);
    const seconds = (performance.now() - started) / 1000;
    report.rows[table] = (report.rows[table] ?? 0) + Number(result.numAffectedRows ?? 0n);
    report.seconds[table] = (report.seconds[table] ?? 0) + seconds;
    log(`${table}: ${report.rows[table]} rows, ${seconds.toFixed(1)} s`);
  };
  const range = sql`generate_series(${sql.lit(leagues.from)}, ${sql.lit(leagues.to)})`;
  const teams = sql.lit(TEAMS);
  const players = sql.lit(PLAYERS);

  // Users: an organizer per league, `PLAYERS` per team (the first is its captain).
  await step(
    'users',
    sql`insert into users (id, oidc_issuer, oidc_subject, email, email_verified, role)
      select ${id('organizer', 'l')}, 'rally:scale', 'organizer-' || l,
        'organizer-' || l || '@scale.rally.invalid', true, 'organizer'
      from ${range} l`,
  );
  await step(
    'users',
    sql`insert into users (id, oidc_issuer, oidc_subject, email, email_verified, role)
      select ${id('player', 'l', 't', 'p')}, 'rally:scale', 'player-' || l || '-' || t || '-' || p,
        'player-' || l || '-' || t || '-' || p || '@scale.rally.invalid', true,
        case when p = 1 then 'captain' else 'player' end
      from ${range} l, generate_series(1, ${teams}) t,
        generate_series(1, ${players}) p`,
  );
  await step(
    'profiles',
    sql`insert into profiles (user_id, display_name, city_or_club, sports)
      select id, 'Scale ' || oidc_subject, 'Scale club', '[{"sport":"tennis","level":"intermediate"}]'
      from users u where oidc_issuer = 'rally:scale'
        and not exists (select 1 from profiles p where p.user_id = u.id)`,
  );

  await step(
    'leagues',
    sql`insert into leagues (id, name, sport, visibility, format, roster_min, roster_max, created_by)
      select ${id('league', 'l')}, 'Scale league ' || l, 'tennis',
        case when l % 10 = 0 then 'private' else 'public' end,
        ${JSON.stringify(FORMAT)}::jsonb, 1, 12, ${id('organizer', 'l')}
      from ${range} l`,
  );
  await step(
    'league_organizers',
    sql`insert into league_organizers (league_id, user_id, role)
      select ${id('league', 'l')}, ${id('organizer', 'l')}, 'owner'
      from ${range} l`,
  );
  await step(
    'seasons',
    sql`insert into seasons (id, league_id, name, starts_on, ends_on, registration_open)
      select ${id('season', 'l')}, ${id('league', 'l')}, 'Season 2026', '2026-01-01', '2026-12-31', true
      from ${range} l`,
  );
  await step(
    'divisions',
    sql`insert into divisions (id, season_id, name)
      select ${id('division', 'l')}, ${id('season', 'l')}, 'Division 1'
      from ${range} l`,
  );
  await step(
    'teams',
    sql`insert into teams (id, division_id, name, created_by)
      select ${id('team', 'l', 't')}, ${id('division', 'l')}, 'Scale team ' || l || '-' || t,
        ${id('organizer', 'l')}
      from ${range} l, generate_series(1, ${teams}) t`,
  );
  await step(
    'team_members',
    sql`insert into team_members (team_id, user_id, role)
      select ${id('team', 'l', 't')}, ${id('player', 'l', 't', 'p')},
        case when p = 1 then 'captain' else 'player' end
      from ${range} l, generate_series(1, ${teams}) t,
        generate_series(1, ${players}) p`,
  );

  await step(
    'venues',
    sql`insert into venues (id, league_id, name, address, courts, availability)
      select ${id('venue', 'l')}, ${id('league', 'l')}, 'Scale courts ' || l, 'Court road ' || l, 4,
        '[]'::jsonb
      from ${range} l`,
  );
  // A double round robin in every division, played on Saturdays from January on: home team h
  // meets away team a (h ≠ a) in round ((h + a) mod (TEAMS − 1)) + 1, rounds a week apart.
  await step(
    'matches',
    sql`insert into matches (id, division_id, round, home_team_id, away_team_id, venue_id,
        match_date, start_time, duration_minutes, status)
      select ${id('match', 'l', 'h', 'a')}, ${id('division', 'l')}, r,
        ${id('team', 'l', 'h')}, ${id('team', 'l', 'a')}, ${id('venue', 'l')},
        date '2026-01-03' + 7 * (r - 1) + case when h < a then 0 else 7 * ${sql.lit(TEAMS - 1)} end,
        '10:00', 180, 'played'
      from ${range} l, generate_series(1, ${teams}) h,
        generate_series(1, ${teams}) a, lateral (select (h + a) % ${sql.lit(TEAMS - 1)} + 1 as r) round
      where h <> a`,
  );
  // Lines: the winner of each is a coin toss of its ids; 6–3 6–4 either way.
  await step(
    'line_results',
    sql`insert into line_results (match_id, division_id, kind, line, match_date, outcome, winner,
        sets, sets_home, sets_away, games_home, games_away, text, rated, rating_games_home,
        rating_games_away)
      select m.id, m.division_id, k.kind, k.line, m.match_date, 'completed', w.winner,
        case w.winner when 'home' then '[{"home":6,"away":3},{"home":6,"away":4}]'::jsonb
          else '[{"home":3,"away":6},{"home":4,"away":6}]'::jsonb end,
        case w.winner when 'home' then 2 else 0 end, case w.winner when 'home' then 0 else 2 end,
        case w.winner when 'home' then 12 else 7 end, case w.winner when 'home' then 7 else 12 end,
        case w.winner when 'home' then '6-3 6-4' else '3-6 4-6' end, true,
        case w.winner when 'home' then 12 else 7 end, case w.winner when 'home' then 7 else 12 end
      from ${range} l
        join matches m on m.division_id = ${id('division', 'l')}
        cross join (select 'singles' as kind, g as line from generate_series(1, ${sql.lit(SINGLES)}) g
          union all select 'doubles', g from generate_series(1, ${sql.lit(DOUBLES)}) g) k
        cross join lateral (select case when hashtext(m.id::text || k.kind || k.line) % 2 = 0
          then 'home' else 'away' end as winner) w`,
  );
  // Players 1–4 play the singles lines, 5–10 the doubles lines in pairs.
  for (const side of ['home', 'away'] as const) {
    await step(
      'line_players',
      sql`insert into line_players (match_id, division_id, kind, line, side, team_id, user_id)
        select m.id, m.division_id, k.kind, k.line, ${side}, m.${sql.raw(`${side}_team_id`)},
          ${id('player', 'l', 't', 'k.p')}
        from ${range} l cross join generate_series(1, ${teams}) t
          join matches m on m.${sql.raw(`${side}_team_id`)} = ${id('team', 'l', 't')}
          cross join (select 'singles' as kind, g as line, g as p
              from generate_series(1, ${sql.lit(SINGLES)}) g
            union all select 'doubles', g, ${sql.lit(SINGLES)} + 2 * g - 1
              from generate_series(1, ${sql.lit(DOUBLES)}) g
            union all select 'doubles', g, ${sql.lit(SINGLES)} + 2 * g
              from generate_series(1, ${sql.lit(DOUBLES)}) g) k`,
    );
  }
  await step(
    'match_results',
    sql`insert into match_results (match_id, division_id, status, lines, totals, entered_team_id,
        entered_at, decided_how, decided_at)
      select m.id, m.division_id, 'final', '[]'::jsonb,
        jsonb_build_object('winner', case when t.lh > t.la then 'home' when t.la > t.lh then 'away'
            else 'tie' end,
          'linesHome', t.lh, 'linesAway', t.la, 'setsHome', t.sh, 'setsAway', t.sa,
          'gamesHome', t.gh, 'gamesAway', t.ga, 'forfeitsHome', 0, 'forfeitsAway', 0),
        m.home_team_id, m.match_date, 'confirmed', m.match_date
      from ${range} l
        join matches m on m.division_id = ${id('division', 'l')}
        cross join lateral (select count(*) filter (where winner = 'home')::int as lh,
            count(*) filter (where winner = 'away')::int as la, sum(sets_home)::int as sh,
            sum(sets_away)::int as sa, sum(games_home)::int as gh, sum(games_away)::int as ga
          from line_results lr where lr.match_id = m.id) t`,
  );
  // A singles rating for every player who played singles, from their lines won and lost.
  await step(
    'player_ratings',
    sql`insert into player_ratings (user_id, sport, kind, rating, deviation, reliability, matches,
        won, lost, last_played, state)
      select lp.user_id, 'tennis', 'singles', 1500 + 20 * (count(*) filter (where lp.side = lr.winner)
          - count(*) filter (where lp.side <> lr.winner)), 80, 0.8, count(*)::int,
        count(*) filter (where lp.side = lr.winner)::int,
        count(*) filter (where lp.side <> lr.winner)::int, max(lr.match_date), '{}'::jsonb
      from ${range} l
        join line_players lp on lp.division_id = ${id('division', 'l')} and lp.kind = 'singles'
        join line_results lr on lr.match_id = lp.match_id and lr.kind = lp.kind and lr.line = lp.line
      group by lp.user_id`,
  );
  const started = performance.now();
  await sql`analyze`.execute(owner);
  report.seconds.analyze = (performance.now() - started) / 1000;
  log(`analyze: ${report.seconds.analyze.toFixed(1)} s`);
  return report;
}
