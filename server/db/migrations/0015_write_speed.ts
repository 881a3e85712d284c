import { sql, type Kysely } from 'kysely';

/**
 * Writes at the speed of the launch plan's load (issue #12 item 5): the write policies' helper
 * functions in PL/pgSQL, and team creation in one statement.
 *
 * **The policies' helpers.** The write policies ask their questions through `security definer`
 * functions (`app_is_league_organizer`, `app_league_of_division`, `app_may_manage_team`, …),
 * written in SQL. A SQL function that cannot be inlined (a definer one cannot) has its body
 * parsed and planned on every statement that calls it: inserting a team called seven of them,
 * its captain five more, each about 0.1 ms of planning for a primary-key look-up. PL/pgSQL keeps
 * a function's plans for the session (as migration 0002 already does for the visibility arrays):
 * the same calls cost 0.02 ms. `HELPERS` are rewritten as `begin return (<their SQL body>); end`,
 * the body taken from the catalogue as it stands when this runs, with
 * `#variable_conflict use_column` (a SQL function's column names win over its parameters', as
 * here), the same arguments, result, volatility, `security definer` and `search_path`. What they
 * answer is unchanged; `create or replace` keeps their owner and grants. `down` turns them back
 * into SQL functions with the same bodies.
 *
 * **Team creation** in one statement (issue #12 item 5): `app_create_team(…)` makes the write that
 * `POST /api/divisions/{id}/teams` made in seven round trips (claim the `Idempotency-Key`, read
 * the division, insert the team, insert its captain, read the team, read its roster, store the
 * answer with the key) in one call, and answers with the team as the API shows it.
 *
 * It is `security invoker`: every statement in it runs as the caller (`rally_app`, with
 * `app.user_id` set) under the same policies as before. The division is read through
 * `divisions_select`, `seasons_select` and `leagues_select` (not seen: refused, the API's 404);
 * the team goes in through `teams_insert` and the captain through `members_insert` (its
 * bootstrap rule `app_created_unmanned_team`, which sees the team because a PL/pgSQL function's
 * statements each take a new snapshot: the reason this is a function and not one statement with
 * data-modifying CTEs), both returned through their select policies. The checks before the
 * insert only choose the API's refusal, as the service did: the policies decide.
 *
 * The answer is made from what those statements returned, not read back: a new team's roster is
 * its captain alone, whose name is their own profile's (the view `people` shows the user their
 * own), and who is its captain and member. Reading it back as `getTeam` does cost three times the
 * rest of the write (the select policies and the view `people` planned and run again).
 *
 * The key, when given, is claimed first (`insert … on conflict do nothing`: a concurrent request
 * with the same key waits on its unique index until the first commits, then finds it claimed)
 * and the answer stored with it in the same transaction, as `idempotent()` does. A refusal
 * returns `{"refused": …}` and the caller rolls the transaction back, the claim with it.
 */
/** The write policies' helpers made PL/pgSQL: each a single `select` of one value. */
const HELPERS = [
  'app_can_see_league',
  'app_created_unmanned_team',
  'app_created_unowned_league',
  'app_division_open',
  'app_invite_admits',
  'app_is_league_organizer',
  'app_is_match_party',
  'app_is_team_captain',
  'app_is_team_member',
  'app_leads_team',
  'app_league_of_division',
  'app_league_of_match',
  'app_league_of_season',
  'app_league_of_team',
  'app_may_manage_team',
  'app_organizer_invite_admits',
  'app_team_plays',
  'app_user_email',
  'app_user_role',
];

const OPEN = '#variable_conflict use_column\nbegin return (\n';
const CLOSE = '\n); end';

/** Recreates each of `HELPERS` written in `from` in the language `to`, with the same body. */
async function rewriteHelpers(db: Kysely<unknown>, from: 'sql' | 'plpgsql', to: 'sql' | 'plpgsql') {
  const { rows } = await sql<{
    name: string;
    args: string;
    result: string;
    volatility: string;
    body: string;
  }>`
    select p.proname as name, pg_get_function_arguments(p.oid) as args,
      pg_get_function_result(p.oid) as result, p.provolatile as volatility, p.prosrc as body
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      join pg_language l on l.oid = p.prolang
    where n.nspname = 'public' and p.proname = any (${HELPERS}) and l.lanname = ${from}
      and p.prosecdef and p.prokind = 'f' and not p.proretset and not p.proisstrict
      and p.proconfig = array['search_path=public']`.execute(db);
  for (const f of rows) {
    let body = f.body.trim().replace(/;$/, '');
    if (from === 'plpgsql') {
      if (!body.startsWith(OPEN) || !body.endsWith(CLOSE)) continue;
      body = body.slice(OPEN.length, -CLOSE.length);
    } else if (body.includes(';') || body.includes('$helper$') || !/^select\b/i.test(body)) {
      continue; // Not one select of one value: left as it is.
    }
    const volatility = { i: 'immutable', s: 'stable', v: 'volatile' }[f.volatility] as string;
    const source = to === 'plpgsql' ? `${OPEN}${body}${CLOSE}` : body;
    await sql`create or replace function ${sql.raw(f.name)}(${sql.raw(f.args)})
      returns ${sql.raw(f.result)} language ${sql.raw(to)} ${sql.raw(volatility)}
      security definer set search_path = public as ${sql.raw(`$helper$${source}$helper$`)}`.execute(
      db,
    );
  }
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await rewriteHelpers(db, 'sql', 'plpgsql');
  await createTeamFunction(db);
}

/** `app_create_team` as this migration makes it (migration 0018's `down` makes it so again). */
export async function createTeamFunction(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function app_create_team(division uuid, team_name text, team_home_venue text,
      team_primary_colour text, team_secondary_colour text, may_create boolean,
      idempotency_key text, request_hash text, answer_status integer)
    returns json language plpgsql volatile security invoker set search_path = public as $$
    declare
      me uuid := app_user_id();
      place record;
      team record;
      captain record;
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
      select d.name as division_name, s.id as season_id, s.name as season_name,
          s.registration_open, l.id as league_id, l.name as league_name, l.roster_min,
          l.roster_max, app_is_league_organizer(l.id) as organizer
        into place
        from divisions d join seasons s on s.id = d.season_id join leagues l on l.id = s.league_id
        where d.id = division;
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
      insert into team_members (team_id, user_id, role) values (team.id, me, 'captain')
        returning * into captain;
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
          'userId', captain.user_id, 'displayName', coalesce(display_name, 'A former member'),
          'role', captain.role, 'status', captain.status,
          'joinedAt', to_char(captain.joined_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))),
        'access', json_build_object('isCaptain', true, 'isMember', true,
          'isOrganizer', place.organizer));
      if idempotency_key is not null then
        update idempotency_keys set status_code = answer_status, response = answer::jsonb
          where user_id = me and key = idempotency_key;
      end if;
      return json_build_object('team', answer);
    end $$`.execute(db);
  await sql`grant execute on function app_create_team(uuid, text, text, text, text, boolean,
    text, text, integer) to rally_app`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await rewriteHelpers(db, 'plpgsql', 'sql');
  await sql`drop function if exists app_create_team(uuid, text, text, text, text, boolean,
    text, text, integer)`.execute(db);
}
