import { sql } from 'kysely';
import type { MemberRole, MemberStatus } from '#domain/schemas/teams';
import type { Tx } from '../../db/database';

export interface TeamColumns {
  name: string;
  homeVenue: string | null;
  primaryColour: string | null;
  secondaryColour: string | null;
}

function teamValues(t: Partial<TeamColumns>) {
  return {
    ...(t.name !== undefined && { name: t.name }),
    ...(t.homeVenue !== undefined && { home_venue: t.homeVenue }),
    ...(t.primaryColour !== undefined && { primary_colour: t.primaryColour }),
    ...(t.secondaryColour !== undefined && { secondary_colour: t.secondaryColour }),
  };
}

/** Teams and rosters. Every query runs under row-level security. */
export const teamsRepository = {
  async myTeams(tx: Tx, userId: string) {
    return tx
      .selectFrom('team_members as tm')
      .innerJoin('teams as t', 't.id', 'tm.team_id')
      .innerJoin('divisions as d', 'd.id', 't.division_id')
      .innerJoin('seasons as s', 's.id', 'd.season_id')
      .innerJoin('leagues as l', 'l.id', 's.league_id')
      .select([
        't.id',
        't.name',
        't.archived_at',
        'l.id as league_id',
        'l.name as league_name',
        's.name as season_name',
        'd.name as division_name',
        'tm.role',
        'tm.status',
      ])
      .where('tm.user_id', '=', userId)
      .orderBy('s.starts_on', 'desc')
      .orderBy('t.name')
      .execute();
  },

  async divisionTeams(tx: Tx, divisionId: string) {
    return tx
      .selectFrom('teams')
      .select([
        'id',
        'name',
        'home_venue',
        'primary_colour',
        'archived_at',
        sql<number>`(select count(*)::int from team_members m where m.team_id = teams.id)`.as(
          'member_count',
        ),
      ])
      .where('division_id', '=', divisionId)
      .orderBy('archived_at', (ob) => ob.nullsFirst())
      .orderBy('name')
      .execute();
  },

  async insert(tx: Tx, divisionId: string, team: TeamColumns, userId: string): Promise<string> {
    const row = await tx
      .insertInto('teams')
      .values({
        division_id: divisionId,
        name: team.name,
        home_venue: team.homeVenue,
        primary_colour: team.primaryColour,
        secondary_colour: team.secondaryColour,
        created_by: userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  },

  async find(tx: Tx, teamId: string) {
    return tx
      .selectFrom('teams as t')
      .innerJoin('divisions as d', 'd.id', 't.division_id')
      .innerJoin('seasons as s', 's.id', 'd.season_id')
      .innerJoin('leagues as l', 'l.id', 's.league_id')
      .select([
        't.id',
        't.division_id',
        't.name',
        't.home_venue',
        't.primary_colour',
        't.secondary_colour',
        't.archived_at',
        't.version',
        'd.name as division_name',
        's.id as season_id',
        's.name as season_name',
        'l.id as league_id',
        'l.name as league_name',
        'l.roster_min',
        'l.roster_max',
        sql<boolean>`app_is_team_captain(t.id)`.as('is_captain'),
        sql<boolean>`app_is_team_member(t.id)`.as('is_member'),
        sql<boolean>`app_is_league_organizer(l.id)`.as('is_organizer'),
      ])
      .where('t.id', '=', teamId)
      .executeTakeFirst();
  },

  async members(tx: Tx, teamId: string) {
    return tx
      .selectFrom('team_members as m')
      .leftJoin('people as p', 'p.user_id', 'm.user_id')
      .select(['m.user_id', 'p.display_name', 'm.role', 'm.status', 'm.joined_at'])
      .where('m.team_id', '=', teamId)
      .orderBy(sql`case m.role when 'captain' then 0 when 'co_captain' then 1 else 2 end`)
      .orderBy('p.display_name')
      .execute();
  },

  async update(tx: Tx, teamId: string, patch: Partial<TeamColumns>, expectedVersion?: number) {
    let query = tx.updateTable('teams').set(teamValues(patch)).where('id', '=', teamId);
    if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
    const result = await query.executeTakeFirst();
    return result.numUpdatedRows > 0n;
  },

  /** How many of the team's matches have been played: a team with history is archived. */
  async playedMatches(tx: Tx, teamId: string): Promise<number> {
    const row = await tx
      .selectFrom('matches')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where((eb) => eb.or([eb('home_team_id', '=', teamId), eb('away_team_id', '=', teamId)]))
      .where('status', '=', 'played')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  /** Archives the team and cancels its unplayed matches (with their history). */
  async archive(tx: Tx, teamId: string): Promise<void> {
    await tx
      .updateTable('teams')
      .set({ archived_at: new Date() })
      .where('id', '=', teamId)
      .execute();
    await sql`select app_withdraw_team(${teamId})`.execute(tx);
  },

  async remove(tx: Tx, teamId: string): Promise<boolean> {
    const result = await tx.deleteFrom('teams').where('id', '=', teamId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  },

  /**
   * Serialises roster changes of one team until the transaction ends, so two people taking the
   * last place cannot both get it. An advisory lock needs no privilege on the team row.
   */
  async lockRoster(tx: Tx, teamId: string): Promise<void> {
    await sql`select pg_advisory_xact_lock(hashtextextended(${teamId}, 0))`.execute(tx);
  },

  async rosterSize(tx: Tx, teamId: string): Promise<number> {
    const row = await tx
      .selectFrom('team_members')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('team_id', '=', teamId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  async addMember(tx: Tx, teamId: string, userId: string, role: MemberRole): Promise<void> {
    await tx
      .insertInto('team_members')
      .values({ team_id: teamId, user_id: userId, role })
      .execute();
  },

  async member(tx: Tx, teamId: string, userId: string) {
    return tx
      .selectFrom('team_members')
      .select(['user_id', 'role', 'status'])
      .where('team_id', '=', teamId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
  },

  async updateMember(
    tx: Tx,
    teamId: string,
    userId: string,
    patch: { role?: MemberRole; status?: MemberStatus },
  ): Promise<boolean> {
    const result = await tx
      .updateTable('team_members')
      .set(patch)
      .where('team_id', '=', teamId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  },

  async removeMember(tx: Tx, teamId: string, userId: string): Promise<boolean> {
    const result = await tx
      .deleteFrom('team_members')
      .where('team_id', '=', teamId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  },

  /** Makes `successor` captain and the captain a co-captain; false if the rules refuse it. */
  async handOverCaptaincy(tx: Tx, teamId: string, successor: string): Promise<boolean> {
    const result = await sql<{
      ok: boolean;
    }>`select app_hand_over_captaincy(${teamId}, ${successor}) as ok`.execute(tx);
    return result.rows[0]?.ok === true;
  },

  /** The other team of the same division that this user already plays for, if any. */
  async teamInDivision(tx: Tx, divisionId: string, userId: string) {
    return tx
      .selectFrom('team_members as m')
      .innerJoin('teams as t', 't.id', 'm.team_id')
      .select(['t.id', 't.name'])
      .where('t.division_id', '=', divisionId)
      .where('m.user_id', '=', userId)
      .where('t.archived_at', 'is', null)
      .executeTakeFirst();
  },
};
