import { sql, type Kysely, type RawBuilder } from 'kysely';

/**
 * Select policies whose cost does not grow with other people's data (issue #12, decision 0003,
 * "Read speed at scale").
 *
 * Until now a select policy compared each row with an array of everything the user may see,
 * built once per statement: `app_visible_teams()` held every team of every public league (10,000
 * at the launch plan's size), `app_visible_players()` every player (100,000), and `= any` searched
 * it row by row. The standings' team read took 263,839 buffer hits for 4 rows.
 *
 * Now only the user's own part is computed once per statement: `app_my_leagues()`, the few
 * leagues they organize, play in or hold an open invitation to (an init plan,
 * `(select app_my_leagues())`). Whether a row's league is public is asked of the row itself, by
 * primary-key look-ups from the row up to its league (`app_league_visible`,
 * `app_division_visible`, `app_team_visible`; players through the view `visible_players`), so a
 * read costs what it returns: the query's own condition (`division_id = $1`) picks the rows from an index, and only
 * those are checked. Who may see what is unchanged: the same rule, `visibility = 'public'` or
 * one of the leagues of `app_my_leagues()`, applied to the same rows.
 *
 * `teams (division_id)` gets an index for every team of a division (the existing one covers
 * live teams only, and the standings list withdrawn ones too).
 */
const definer = sql.raw('language plpgsql stable security definer set search_path = public');

/** The select policies this migration rewrites: table, policy, new condition, old condition. */
const policies: [table: string, policy: string, now: string, before: string][] = [
  [
    'leagues',
    'leagues_select',
    "visibility = 'public' or id = any ((select app_my_leagues())::uuid[]) or created_by = app_user_id()",
    'id = any ((select app_visible_leagues())::uuid[]) or created_by = app_user_id()',
  ],
  ...(['league_organizers', 'seasons', 'venues'] as const).map(
    (table): [string, string, string, string] => [
      table,
      table === 'league_organizers' ? 'organizers_select' : `${table}_select`,
      'app_league_visible(league_id, (select app_my_leagues()))',
      'league_id = any ((select app_visible_leagues())::uuid[])',
    ],
  ),
  [
    'divisions',
    'divisions_select',
    'app_division_visible(id, (select app_my_leagues()))',
    'id = any ((select app_visible_divisions())::uuid[])',
  ],
  [
    'teams',
    'teams_select',
    'created_by = app_user_id() or app_division_visible(division_id, (select app_my_leagues()))',
    'id = any ((select app_visible_teams())::uuid[]) or created_by = app_user_id()',
  ],
  [
    'team_members',
    'members_select',
    'app_team_visible(team_id, (select app_my_leagues()))',
    'team_id = any ((select app_visible_teams())::uuid[])',
  ],
  ...(
    [
      ['matches', 'matches_select'],
      ['match_results', 'match_results_select'],
      ['result_events', 'result_events_select'],
      ['line_results', 'line_results_select'],
      ['line_players', 'line_players_select'],
      ['rating_events', 'rating_events_select'],
    ] as const
  ).map(([table, policy]): [string, string, string, string] => [
    table,
    policy,
    'app_division_visible(division_id, (select app_my_leagues()))',
    'division_id = any ((select app_visible_divisions())::uuid[])',
  ]),
  [
    'match_events',
    'match_events_select',
    'app_league_visible(app_league_of_match(match_id), (select app_my_leagues()))',
    'app_can_see_league(app_league_of_match(match_id))',
  ],
  [
    'player_ratings',
    'player_ratings_select',
    'user_id = app_user_id() or exists (select 1 from visible_players v where v.user_id = player_ratings.user_id)',
    'user_id = any ((select app_visible_players())::uuid[])',
  ],
];

/** The visible-array functions of migrations 0002 and 0006, which the old policies used. */
async function createVisibleArrays(db: Kysely<unknown>) {
  await sql`create function app_visible_leagues() returns uuid[] ${definer} as $$
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
  await sql`create function app_visible_divisions() returns uuid[] ${definer} as $$
    begin return (select coalesce(array_agg(d.id), '{}') from divisions d join seasons s on s.id = d.season_id
    where s.league_id = any (app_visible_leagues())); end $$`.execute(db);
  await sql`create function app_visible_teams() returns uuid[] ${definer} as $$
    begin return (select coalesce(array_agg(t.id), '{}') from teams t join divisions d on d.id = t.division_id
      join seasons s on s.id = d.season_id
    where s.league_id = any (app_visible_leagues())); end $$`.execute(db);
  await sql`create function app_visible_players() returns uuid[] ${definer} as $$
    declare divisions uuid[] := app_visible_divisions();
    begin return (select coalesce(array_agg(distinct tm.user_id), '{}') from team_members tm
      join teams t on t.id = tm.team_id
      where t.division_id = any (divisions)) || app_user_id(); end $$`.execute(db);
  await sql`grant execute on function app_visible_leagues(), app_visible_divisions(),
    app_visible_teams(), app_visible_players() to rally_app`.execute(db);
}

const VISIBLE_ARRAYS = [
  'app_visible_players()',
  'app_visible_teams()',
  'app_visible_divisions()',
  'app_visible_leagues()',
];

/** The `people` view: the user, and people on a visible roster or organizing a visible league. */
async function createPeople(
  db: Kysely<unknown>,
  member: RawBuilder<unknown>,
  organizer: RawBuilder<unknown>,
) {
  await sql`create or replace view people as
    select p.user_id, p.display_name from profiles p
    where p.user_id = app_user_id() or ${member} or ${organizer}`.execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  // The user's own leagues: organized, played in, or reached by the invitation they hold. The
  // public ones are not listed: each row's league says so itself.
  await sql`create function app_my_leagues() returns uuid[] ${definer} as $$
    declare me uuid := app_user_id();
    begin return (select coalesce(array_agg(distinct x.id), '{}') from (
      select lo.league_id as id from league_organizers lo where lo.user_id = me
      union all
      select s.league_id from team_members tm join teams t on t.id = tm.team_id
        join divisions d on d.id = t.division_id join seasons s on s.id = d.season_id
        where tm.user_id = me
      union all
      select s.league_id from team_invites i join teams t on t.id = i.team_id
        join divisions d on d.id = t.division_id join seasons s on s.id = d.season_id
        where i.token_hash = app_invite_token() and i.revoked_at is null
          and i.declined_at is null and i.expires_at > now() and i.uses < i.max_uses) x); end $$`.execute(
    db,
  );
  // One row's league, division, team or player, looked up by primary key: public, or one of
  // `mine` (the caller passes `(select app_my_leagues())`, computed once per statement).
  await sql`create function app_league_visible(league uuid, mine uuid[]) returns boolean ${definer} as $$
    begin return league = any (mine)
      or exists (select 1 from leagues l where l.id = league and l.visibility = 'public'); end $$`.execute(
    db,
  );
  await sql`create function app_division_visible(division uuid, mine uuid[]) returns boolean ${definer} as $$
    begin return exists (select 1 from divisions d join seasons s on s.id = d.season_id
      join leagues l on l.id = s.league_id
      where d.id = division and (l.visibility = 'public' or l.id = any (mine))); end $$`.execute(
    db,
  );
  await sql`create function app_team_visible(team uuid, mine uuid[]) returns boolean ${definer} as $$
    begin return exists (select 1 from teams t join divisions d on d.id = t.division_id
      join seasons s on s.id = d.season_id join leagues l on l.id = s.league_id
      where t.id = team and (l.visibility = 'public' or l.id = any (mine))); end $$`.execute(db);
  // The players on a roster of a visible team. A view (owned by the migrating role, so it reads
  // past the policies) rather than a function: the planner probes it by user id for a few rows
  // and hashes it once for a whole leaderboard. It shows what app_visible_players() returned.
  await sql`create view visible_players as
    select tm.user_id from team_members tm join teams t on t.id = tm.team_id
      join divisions d on d.id = t.division_id join seasons s on s.id = d.season_id
      join leagues l on l.id = s.league_id
    where l.visibility = 'public' or l.id = any ((select app_my_leagues())::uuid[])`.execute(db);
  await sql`grant select on visible_players to rally_app`.execute(db);
  await sql`grant execute on function app_my_leagues(), app_league_visible(uuid, uuid[]),
    app_division_visible(uuid, uuid[]), app_team_visible(uuid, uuid[]) to rally_app`.execute(db);

  for (const [table, policy, now] of policies) {
    await sql`drop policy ${sql.id(policy)} on ${sql.table(table)}`.execute(db);
    await sql`create policy ${sql.id(policy)} on ${sql.table(table)} for select to rally_app
      using (${sql.raw(now)})`.execute(db);
  }
  await createPeople(
    db,
    sql`exists (select 1 from visible_players v where v.user_id = p.user_id)`,
    sql`exists (select 1 from league_organizers lo
      where lo.user_id = p.user_id and app_league_visible(lo.league_id, (select app_my_leagues())))`,
  );
  await sql`create or replace function app_can_see_league(league uuid) returns boolean
    language sql stable security definer set search_path = public as $$
    select app_league_visible(league, app_my_leagues()) $$`.execute(db);
  for (const fn of VISIBLE_ARRAYS) await sql`drop function ${sql.raw(fn)}`.execute(db);

  await sql`create index teams_division on teams (division_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists teams_division`.execute(db);
  await createVisibleArrays(db);
  await sql`create or replace function app_can_see_league(league uuid) returns boolean
    language sql stable security definer set search_path = public as $$
    select league = any (app_visible_leagues()) $$`.execute(db);
  await createPeople(
    db,
    sql`exists (select 1 from team_members tm
      where tm.user_id = p.user_id and tm.team_id = any ((select app_visible_teams())::uuid[]))`,
    sql`exists (select 1 from league_organizers lo
      where lo.user_id = p.user_id and lo.league_id = any ((select app_visible_leagues())::uuid[]))`,
  );
  await sql`drop view if exists visible_players`.execute(db);
  for (const [table, policy, , before] of policies) {
    await sql`drop policy ${sql.id(policy)} on ${sql.table(table)}`.execute(db);
    await sql`create policy ${sql.id(policy)} on ${sql.table(table)} for select to rally_app
      using (${sql.raw(before)})`.execute(db);
  }
  for (const fn of [
    'app_team_visible(uuid, uuid[])',
    'app_division_visible(uuid, uuid[])',
    'app_league_visible(uuid, uuid[])',
    'app_my_leagues()',
  ]) {
    await sql`drop function if exists ${sql.raw(fn)}`.execute(db);
  }
}
