import { sql, type Kysely } from 'kysely';

/**
 * Co-organizers by invitation and consent (issue #10, finding 4).
 *
 * An organizer used to add anyone as co-organizer by e-mail, and learned from the answer whether
 * the address had an account. Now an organizer invites an address (`league_organizer_invites`),
 * and only the account that signed in with that address, verified, can accept it and so become
 * co-organizer. The rules hold in the database too:
 *
 * - an organizer can no longer insert somebody else into `league_organizers`: a co-organizer's
 *   row is inserted by that person, and only while an open invitation to the league is addressed
 *   to their verified e-mail (`app_organizer_invite_admits`);
 * - invitations are seen by the league's organizers and by their addressee; organizers create
 *   them (pending only) and may set `withdrawn_at`; the addressee accepts or declines through
 *   functions that make exactly that change (a policy cannot bound an update's new values).
 *
 * The e-mail is stored as typed (trimmed, lower-cased); it is never looked up against accounts
 * when the invitation is made, so nothing in the answer depends on whether it has one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table league_organizer_invites (
      id uuid primary key default gen_random_uuid(),
      league_id uuid not null references leagues (id) on delete cascade,
      email text not null check (char_length(email) between 3 and 254 and email = lower(email)),
      invited_by uuid not null references users (id),
      expires_at timestamptz not null,
      accepted_at timestamptz,
      declined_at timestamptz,
      withdrawn_at timestamptz,
      created_at timestamptz not null default now(),
      check (num_nonnulls(accepted_at, declined_at, withdrawn_at) <= 1)
    )`.execute(db);
  await sql`create index league_organizer_invites_league
    on league_organizer_invites (league_id)`.execute(db);
  await sql`create index league_organizer_invites_email
    on league_organizer_invites (email)`.execute(db);

  const definer = sql.raw('language sql stable security definer set search_path = public');
  // The acting user's e-mail, only if their identity provider verified it: an unverified claim
  // must not collect invitations addressed to somebody else.
  await sql`create function app_user_email() returns text ${definer} as $$
    select lower(email) from users where id = app_user_id() and email_verified $$`.execute(db);
  const open = sql.raw(`accepted_at is null and declined_at is null and withdrawn_at is null
    and expires_at > now()`);
  await sql`create function app_organizer_invite_admits(league uuid) returns boolean ${definer} as $$
    select exists (select 1 from league_organizer_invites where league_id = league
      and email = app_user_email() and ${open}) $$`.execute(db);
  // What the addressee is shown to decide on: the league may be private, and its inviter's
  // name is not otherwise theirs to read.
  await sql`create function app_my_organizer_invites()
    returns table (id uuid, league_id uuid, league_name text, sport text, custom_sport text,
      invited_by text, expires_at timestamptz, created_at timestamptz) ${definer} as $$
    select i.id, i.league_id, l.name, l.sport, l.custom_sport, p.display_name, i.expires_at,
      i.created_at
    from league_organizer_invites i join leagues l on l.id = i.league_id
      left join profiles p on p.user_id = i.invited_by
    where i.email = app_user_email() and i.accepted_at is null and i.declined_at is null
      and i.withdrawn_at is null and i.expires_at > now()
    order by i.created_at desc limit 50 $$`.execute(db);
  const answer = sql.raw('language sql volatile security definer set search_path = public');
  await sql`create function app_accept_organizer_invite(invite uuid) returns boolean ${answer} as $$
    with accepted as (
      update league_organizer_invites set accepted_at = now()
      where id = invite and email = app_user_email() and ${open}
      returning 1)
    select exists (select 1 from accepted) $$`.execute(db);
  await sql`create function app_decline_organizer_invite(invite uuid) returns boolean ${answer} as $$
    with declined as (
      update league_organizer_invites set declined_at = now()
      where id = invite and email = app_user_email() and ${open}
      returning 1)
    select exists (select 1 from declined) $$`.execute(db);
  for (const fn of [
    'app_user_email()',
    'app_organizer_invite_admits(uuid)',
    'app_my_organizer_invites()',
    'app_accept_organizer_invite(uuid)',
    'app_decline_organizer_invite(uuid)',
  ]) {
    await sql`revoke execute on function ${sql.raw(fn)} from public`.execute(db);
    await sql`grant execute on function ${sql.raw(fn)} to rally_app`.execute(db);
  }

  await sql`alter table league_organizer_invites enable row level security`.execute(db);
  await sql`grant select on league_organizer_invites to rally_app`.execute(db);
  // Only these columns: the state columns start empty and only the functions above fill them.
  await sql`grant insert (id, league_id, email, invited_by, expires_at)
    on league_organizer_invites to rally_app`.execute(db);
  await sql`grant update (withdrawn_at) on league_organizer_invites to rally_app`.execute(db);
  await sql`create policy organizer_invites_select on league_organizer_invites
    for select to rally_app
    using (app_is_league_organizer(league_id) or email = (select app_user_email()))`.execute(db);
  await sql`create policy organizer_invites_insert on league_organizer_invites
    for insert to rally_app
    with check (app_is_league_organizer(league_id) and invited_by = app_user_id()
      and expires_at <= now() + interval '30 days')`.execute(db);
  await sql`create policy organizer_invites_update on league_organizer_invites
    for update to rally_app
    using (app_is_league_organizer(league_id)) with check (app_is_league_organizer(league_id))`.execute(
    db,
  );

  // Nobody is made co-organizer by somebody else any more: the person inserts their own row,
  // through an open invitation addressed to them. The owner's bootstrap row is unchanged.
  await sql`drop policy organizers_insert on league_organizers`.execute(db);
  await sql`create policy organizers_insert on league_organizers for insert to rally_app
    with check (user_id = app_user_id() and (
      role = 'co_organizer' and app_organizer_invite_admits(league_id)
      or role = 'owner' and app_created_unowned_league(league_id)))`.execute(db);
  // Nothing looks accounts up by e-mail any more; it answered whether an address had signed in.
  await sql`drop function app_find_user_by_email(text)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop policy organizers_insert on league_organizers`.execute(db);
  await sql`create policy organizers_insert on league_organizers for insert to rally_app
    with check (app_is_league_organizer(league_id) and role = 'co_organizer'
      or user_id = app_user_id() and role = 'owner' and app_created_unowned_league(league_id))`.execute(
    db,
  );
  await sql`create function app_find_user_by_email(address text) returns uuid
    language sql stable security definer set search_path = public as $$
    select id from users where lower(email) = lower(address) and app_user_role() = 'organizer'
    order by created_at limit 1 $$`.execute(db);
  await sql`grant execute on function app_find_user_by_email(text) to rally_app`.execute(db);
  await sql`drop table if exists league_organizer_invites`.execute(db);
  for (const fn of [
    'app_my_organizer_invites()',
    'app_accept_organizer_invite(uuid)',
    'app_decline_organizer_invite(uuid)',
    'app_organizer_invite_admits(uuid)',
    'app_user_email()',
  ]) {
    await sql`drop function if exists ${sql.raw(fn)}`.execute(db);
  }
}
