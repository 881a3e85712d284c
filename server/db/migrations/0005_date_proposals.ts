import { sql, type Kysely } from 'kysely';

/**
 * Captains' proposals to move a match: one team's captain proposes a new date and time, the other
 * team's captain accepts or declines. Accepting moves the match (which otherwise only organizers
 * may change), so it goes through a function that checks exactly that rule.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table match_proposals (
      id uuid primary key default gen_random_uuid(),
      match_id uuid not null references matches (id) on delete cascade,
      team_id uuid not null references teams (id) on delete cascade,
      proposed_by uuid not null references users (id) on delete cascade,
      match_date date not null,
      start_time time not null,
      message text check (char_length(message) <= 300),
      status text not null default 'open' check (status in ('open', 'accepted', 'declined', 'withdrawn')),
      decided_by uuid references users (id) on delete set null,
      created_at timestamptz not null default now(),
      decided_at timestamptz
    )`.execute(db);
  await sql`create unique index match_proposals_one_open on match_proposals (match_id)
    where status = 'open'`.execute(db);
  await sql`alter table match_proposals enable row level security`.execute(db);

  await sql`grant select, insert on match_proposals to rally_app`.execute(db);
  await sql`create policy proposals_select on match_proposals for select to rally_app
    using (match_id in (select id from matches))`.execute(db);
  await sql`create policy proposals_insert on match_proposals for insert to rally_app
    with check (proposed_by = app_user_id() and app_is_team_captain(team_id)
      and app_team_plays(match_id, team_id))`.execute(db);

  // The only ways a proposal changes: the other side accepts or declines, the proposer withdraws.
  await sql`create function app_decide_proposal(proposal uuid, decision text) returns text
    language plpgsql volatile security definer set search_path = public as $$
    declare p match_proposals;
    declare m matches;
    begin
      select * into p from match_proposals where id = proposal and status = 'open' for update;
      if not found then return 'not_open'; end if;
      select * into m from matches where id = p.match_id for update;
      if decision = 'withdrawn' then
        if p.proposed_by <> app_user_id() then return 'forbidden'; end if;
      else
        -- The other team's captain (or co-captain) decides.
        if not exists (select 1 from team_members where user_id = app_user_id()
            and role in ('captain', 'co_captain') and team_id <> p.team_id
            and team_id in (m.home_team_id, m.away_team_id)) then
          return 'forbidden';
        end if;
      end if;
      if decision = 'accepted' then
        if m.status not in ('scheduled', 'postponed') then return 'not_playable'; end if;
        update matches set match_date = p.match_date, start_time = p.start_time,
          status = 'postponed', sequence = sequence + 1 where id = m.id;
        insert into match_events (match_id, actor_id, kind, details)
          values (m.id, app_user_id(), 'postponed', jsonb_build_object(
            'from', jsonb_build_object('date', m.match_date::text, 'startTime', to_char(m.start_time, 'HH24:MI')),
            'to', jsonb_build_object('date', p.match_date::text, 'startTime', to_char(p.start_time, 'HH24:MI')),
            'proposal', p.id));
      end if;
      update match_proposals set status = decision, decided_by = app_user_id(), decided_at = now()
        where id = p.id;
      return decision;
    end $$`.execute(db);
  await sql`grant execute on function app_decide_proposal(uuid, text) to rally_app`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function if exists app_decide_proposal(uuid, text)`.execute(db);
  await sql`drop table if exists match_proposals`.execute(db);
}
