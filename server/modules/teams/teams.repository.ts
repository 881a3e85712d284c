import { sql, type Kysely } from 'kysely';
import type { MemberRole, MemberStatus, Team } from '#domain/schemas/teams';
import type { Tx } from '../../db/database';
import type { DB } from '../../db/schema';

/** Why `app_create_team` made no team: the division unseen, the role, registration closed. */
type CreateRefusal = 'division' | 'role' | 'registration' | 'team';

/** The SQLSTATE `app_create_team_as` refuses with (migration 0018); the reason is its detail. */
const CREATE_REFUSED = 'RA403';

export interface TeamColumns {
  name: string;
  homeVenue: string | null;
  primaryColour: string | null;
  secondaryColour: string | null;
}

function teamValues(t: Partial<TeamColumns>) {
  return {
    ...(t.name !== undefined && { name: t.name }),
    ...(t.homeVenue !== undefined && { homeVenue: t.homeVenue }),
    ...(t.primaryColour !== undefined && { primaryColour: t.primaryColour }),
    ...(t.secondaryColour !== undefined && { secondaryColour: t.secondaryColour }),
  };
}

/** Teams and rosters, with camelCase names. Every query runs under row-level security. */
export const teamsRepository = {
  async myTeams(tx: Tx, userId: string) {
    return tx
      .selectFrom('teamMembers as tm')
      .innerJoin('teams as t', 't.id', 'tm.teamId')
      .innerJoin('divisions as d', 'd.id', 't.divisionId')
      .innerJoin('seasons as s', 's.id', 'd.seasonId')
      .innerJoin('leagues as l', 'l.id', 's.leagueId')
      .select([
        't.id',
        't.name',
        't.archivedAt',
        'l.id as leagueId',
        'l.name as leagueName',
        's.name as seasonName',
        'd.name as divisionName',
        'tm.role',
        'tm.status',
      ])
      .where('tm.userId', '=', userId)
      .orderBy('s.startsOn', 'desc')
      .orderBy('t.name')
      .execute();
  },

  async divisionTeams(tx: Tx, divisionId: string) {
    return tx
      .selectFrom('teams')
      .select([
        'id',
        'name',
        'homeVenue',
        'primaryColour',
        'archivedAt',
        sql<number>`(select count(*)::int from team_members m where m.team_id = teams.id)`.as(
          'memberCount',
        ),
      ])
      .where('divisionId', '=', divisionId)
      .orderBy('archivedAt', (ob) => ob.nullsFirst())
      .orderBy('name')
      .execute();
  },

  /**
   * Creates a team and its captain as `userId` in one statement of its own, one round trip on
   * the login connection (`app_create_team_as`, migrations 0015 and 0018), and answers with the
   * team as `getTeam` does, or why not. With `claim`, the key is claimed first and the answer
   * stored; `{ claimed: false }` when it was claimed already. Not in a transaction: the statement
   * is one, and a refusal undoes it (the key's claim too).
   */
  async create(
    system: Kysely<DB>,
    userId: string,
    divisionId: string,
    team: TeamColumns,
    mayCreate: boolean,
    claim: { key: string; requestHash: string; status: number } | null,
  ): Promise<{ claimed: false } | { refused: CreateRefusal } | { team: Team }> {
    try {
      const { rows } = await sql<{ result: { claimed: false } | { team: Team } }>`
        select app_create_team_as(${userId}, ${divisionId}, ${team.name}, ${team.homeVenue},
          ${team.primaryColour}, ${team.secondaryColour}, ${mayCreate}, ${claim?.key ?? null},
          ${claim?.requestHash ?? null}, ${claim?.status ?? null}) as result`.execute(system);
      return (rows[0] as (typeof rows)[number]).result;
    } catch (error) {
      const { code, detail } = error as { code?: unknown; detail?: unknown };
      if (code === CREATE_REFUSED) return { refused: detail as CreateRefusal };
      throw error;
    }
  },

  async find(tx: Tx, teamId: string) {
    return tx
      .selectFrom('teams as t')
      .innerJoin('divisions as d', 'd.id', 't.divisionId')
      .innerJoin('seasons as s', 's.id', 'd.seasonId')
      .innerJoin('leagues as l', 'l.id', 's.leagueId')
      .select([
        't.id',
        't.divisionId',
        't.name',
        't.homeVenue',
        't.primaryColour',
        't.secondaryColour',
        't.archivedAt',
        't.version',
        'd.name as divisionName',
        's.id as seasonId',
        's.name as seasonName',
        'l.id as leagueId',
        'l.name as leagueName',
        'l.rosterMin',
        'l.rosterMax',
        sql<boolean>`app_is_team_captain(t.id)`.as('isCaptain'),
        sql<boolean>`app_is_team_member(t.id)`.as('isMember'),
        sql<boolean>`app_is_league_organizer(l.id)`.as('isOrganizer'),
      ])
      .where('t.id', '=', teamId)
      .executeTakeFirst();
  },

  async members(tx: Tx, teamId: string) {
    return tx
      .selectFrom('teamMembers as m')
      .leftJoin('people as p', 'p.userId', 'm.userId')
      .select(['m.userId', 'p.displayName', 'm.role', 'm.status', 'm.joinedAt'])
      .where('m.teamId', '=', teamId)
      .orderBy(sql`case m.role when 'captain' then 0 when 'co_captain' then 1 else 2 end`)
      .orderBy('p.displayName')
      .execute();
  },

  async memberIds(tx: Tx, teamId: string) {
    return tx.selectFrom('teamMembers').select('userId').where('teamId', '=', teamId).execute();
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
      .where((eb) => eb.or([eb('homeTeamId', '=', teamId), eb('awayTeamId', '=', teamId)]))
      .where('status', '=', 'played')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  /** Archives the team and cancels its unplayed matches (with their history). */
  async archive(tx: Tx, teamId: string): Promise<void> {
    await tx
      .updateTable('teams')
      .set({ archivedAt: new Date() })
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
      .selectFrom('teamMembers')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('teamId', '=', teamId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  async addMember(tx: Tx, teamId: string, userId: string, role: MemberRole): Promise<void> {
    await tx.insertInto('teamMembers').values({ teamId, userId, role }).execute();
  },

  async member(tx: Tx, teamId: string, userId: string) {
    return tx
      .selectFrom('teamMembers')
      .select(['userId', 'role', 'status'])
      .where('teamId', '=', teamId)
      .where('userId', '=', userId)
      .executeTakeFirst();
  },

  async updateMember(
    tx: Tx,
    teamId: string,
    userId: string,
    patch: { role?: MemberRole; status?: MemberStatus },
  ): Promise<boolean> {
    const result = await tx
      .updateTable('teamMembers')
      .set(patch)
      .where('teamId', '=', teamId)
      .where('userId', '=', userId)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  },

  async removeMember(tx: Tx, teamId: string, userId: string): Promise<boolean> {
    const result = await tx
      .deleteFrom('teamMembers')
      .where('teamId', '=', teamId)
      .where('userId', '=', userId)
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
      .selectFrom('teamMembers as m')
      .innerJoin('teams as t', 't.id', 'm.teamId')
      .select(['t.id', 't.name'])
      .where('t.divisionId', '=', divisionId)
      .where('m.userId', '=', userId)
      .where('t.archivedAt', 'is', null)
      .executeTakeFirst();
  },
};
