import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { DivisionInput, LeagueSport, MatchFormat } from '#domain/schemas/leagues';
import type { StandingsRulesInput } from '#domain/schemas/standings';
import type { Tx } from '../../db/database';

export interface LeagueColumns {
  name: string;
  sport: LeagueSport;
  customSport: string | null;
  description: string | null;
  visibility: 'public' | 'private';
  format: MatchFormat;
  rosterMin: number;
  rosterMax: number;
  resultConfirmHours: number;
  standingsRules: StandingsRulesInput;
  timeZone: string;
}

/** Whether the acting user organizes the league or plays in it, computed in the query. */
const access = {
  isOrganizer: sql<boolean>`app_is_league_organizer(leagues.id)`.as('is_organizer'),
  isMember: sql<boolean>`exists (select 1 from team_members tm join teams t on t.id = tm.team_id
    join divisions d on d.id = t.division_id join seasons s on s.id = d.season_id
    where s.league_id = leagues.id and tm.user_id = app_user_id())`.as('is_member'),
};

/** A season's columns, dates as `YYYY-MM-DD` text (a `date` read as a JS Date shifts by zone). */
const seasonColumns = [
  'id',
  'league_id',
  'name',
  sql<string>`starts_on::text`.as('starts_on'),
  sql<string>`ends_on::text`.as('ends_on'),
  'registration_open',
  'version',
] as const;

function leagueValues(l: Partial<LeagueColumns>) {
  return {
    ...(l.name !== undefined && { name: l.name }),
    ...(l.sport !== undefined && { sport: l.sport }),
    ...(l.customSport !== undefined && { custom_sport: l.customSport }),
    ...(l.description !== undefined && { description: l.description }),
    ...(l.visibility !== undefined && { visibility: l.visibility }),
    ...(l.format !== undefined && { format: JSON.stringify(l.format) }),
    ...(l.rosterMin !== undefined && { roster_min: l.rosterMin }),
    ...(l.rosterMax !== undefined && { roster_max: l.rosterMax }),
    ...(l.resultConfirmHours !== undefined && { result_confirm_hours: l.resultConfirmHours }),
    ...(l.standingsRules !== undefined && { standings_rules: JSON.stringify(l.standingsRules) }),
    ...(l.timeZone !== undefined && { time_zone: l.timeZone }),
  };
}

/** An invitation to co-organize as the league's organizers see it. */
const organizerInviteColumns = [
  'id',
  'email',
  'expires_at',
  'accepted_at',
  'declined_at',
  'withdrawn_at',
  'created_at',
] as const;

/** Not accepted, declined, withdrawn or expired. */
const openInvite = sql<boolean>`accepted_at is null and declined_at is null
  and withdrawn_at is null and expires_at > now()`;

/** Leagues, organizers, seasons and divisions. Every query runs under row-level security. */
export const leaguesRepository = {
  async listVisible(tx: Tx) {
    return tx
      .selectFrom('leagues')
      .select([
        'id',
        'name',
        'sport',
        'custom_sport',
        'visibility',
        access.isOrganizer,
        access.isMember,
      ])
      .orderBy('name')
      .limit(200)
      .execute();
  },

  async insert(tx: Tx, league: LeagueColumns, userId: string): Promise<string> {
    const row = await tx
      .insertInto('leagues')
      .values({
        ...(leagueValues(league) as Required<ReturnType<typeof leagueValues>>),
        created_by: userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  },

  async find(tx: Tx, id: string) {
    return tx
      .selectFrom('leagues')
      .selectAll('leagues')
      .select([access.isOrganizer, access.isMember])
      .where('id', '=', id)
      .executeTakeFirst();
  },

  /** A league's time zone, if the acting user can see the league. */
  async timeZone(tx: Tx, id: string): Promise<string | undefined> {
    const row = await tx
      .selectFrom('leagues')
      .select('time_zone')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.time_zone;
  },

  async update(tx: Tx, id: string, patch: Partial<LeagueColumns>, expectedVersion?: number) {
    let query = tx.updateTable('leagues').set(leagueValues(patch)).where('id', '=', id);
    if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
    const result = await query.executeTakeFirst();
    return result.numUpdatedRows > 0n;
  },

  async remove(tx: Tx, id: string): Promise<boolean> {
    const result = await tx.deleteFrom('leagues').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  },

  async countTeams(tx: Tx, leagueId: string): Promise<number> {
    const row = await tx
      .selectFrom('teams')
      .innerJoin('divisions', 'divisions.id', 'teams.division_id')
      .innerJoin('seasons', 'seasons.id', 'divisions.season_id')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('seasons.league_id', '=', leagueId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  async organizers(tx: Tx, leagueId: string) {
    return tx
      .selectFrom('league_organizers')
      .leftJoin('people', 'people.user_id', 'league_organizers.user_id')
      .select(['league_organizers.user_id', 'league_organizers.role', 'people.display_name'])
      .where('league_id', '=', leagueId)
      .orderBy('league_organizers.created_at')
      .execute();
  },

  async addOrganizer(tx: Tx, leagueId: string, userId: string, role: 'owner' | 'co_organizer') {
    await tx
      .insertInto('league_organizers')
      .values({ league_id: leagueId, user_id: userId, role })
      .execute();
  },

  async removeOrganizer(tx: Tx, leagueId: string, userId: string): Promise<boolean> {
    const result = await tx
      .deleteFrom('league_organizers')
      .where('league_id', '=', leagueId)
      .where('user_id', '=', userId)
      .where('role', '=', 'co_organizer')
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  },

  /** Inserts an invitation to co-organize, open for `days` days by the database's clock. */
  async insertOrganizerInvite(
    tx: Tx,
    invite: { leagueId: string; email: string; invitedBy: string; days: number },
  ): Promise<string> {
    const id = randomUUID();
    await tx
      .insertInto('league_organizer_invites')
      .values({
        id,
        league_id: invite.leagueId,
        email: invite.email,
        invited_by: invite.invitedBy,
        expires_at: sql<Date>`now() + make_interval(days => ${invite.days})`,
      })
      .execute();
    return id;
  },

  async organizerInvites(tx: Tx, leagueId: string) {
    return tx
      .selectFrom('league_organizer_invites')
      .select(organizerInviteColumns)
      .where('league_id', '=', leagueId)
      .orderBy('created_at', 'desc')
      .limit(100)
      .execute();
  },

  /** An invitation the acting user may see, and whether it is addressed to them. */
  async findOrganizerInvite(tx: Tx, inviteId: string) {
    return tx
      .selectFrom('league_organizer_invites')
      .select([
        ...organizerInviteColumns,
        'league_id',
        sql<boolean>`coalesce(email = app_user_email(), false)`.as('addressed_to_me'),
      ])
      .where('id', '=', inviteId)
      .executeTakeFirst();
  },

  async countOpenOrganizerInvites(tx: Tx, leagueId: string): Promise<number> {
    const row = await tx
      .selectFrom('league_organizer_invites')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('league_id', '=', leagueId)
      .where(openInvite)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  /** Withdraws the league's open invitations (all, or only those to this e-mail, or this one). */
  async withdrawOrganizerInvites(
    tx: Tx,
    leagueId: string,
    which: { email: string } | { id: string },
  ): Promise<boolean> {
    let query = tx
      .updateTable('league_organizer_invites')
      .set({ withdrawn_at: sql<Date>`now()` })
      .where('league_id', '=', leagueId)
      .where(openInvite);
    query =
      'email' in which ? query.where('email', '=', which.email) : query.where('id', '=', which.id);
    const result = await query.executeTakeFirst();
    return result.numUpdatedRows > 0n;
  },

  /** Holds off every other answer to this invitation until this transaction ends. */
  async lockOrganizerInvite(tx: Tx, inviteId: string): Promise<void> {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`organizer-invite:${inviteId}`}, 0))`.execute(
      tx,
    );
  },

  /** Marks the acting user's open invitation accepted; false if it is not (any more). */
  async acceptOrganizerInvite(tx: Tx, inviteId: string): Promise<boolean> {
    const result = await sql<{
      ok: boolean;
    }>`select app_accept_organizer_invite(${inviteId}) as ok`.execute(tx);
    return result.rows[0]?.ok === true;
  },

  async declineOrganizerInvite(tx: Tx, inviteId: string): Promise<boolean> {
    const result = await sql<{
      ok: boolean;
    }>`select app_decline_organizer_invite(${inviteId}) as ok`.execute(tx);
    return result.rows[0]?.ok === true;
  },

  /** The acting user's open invitations to co-organize, with what they need to decide. */
  async myOrganizerInvites(tx: Tx) {
    const result = await sql<{
      id: string;
      league_id: string;
      league_name: string;
      sport: string;
      custom_sport: string | null;
      invited_by: string | null;
      expires_at: Date;
    }>`select id, league_id, league_name, sport, custom_sport, invited_by, expires_at
      from app_my_organizer_invites()`.execute(tx);
    return result.rows;
  },

  async seasons(tx: Tx, leagueId: string) {
    return tx
      .selectFrom('seasons')
      .select(seasonColumns)
      .where('league_id', '=', leagueId)
      .orderBy('starts_on', 'desc')
      .execute();
  },

  async findSeason(tx: Tx, seasonId: string) {
    return tx
      .selectFrom('seasons')
      .select(seasonColumns)
      .where('id', '=', seasonId)
      .executeTakeFirst();
  },

  async insertSeason(
    tx: Tx,
    leagueId: string,
    s: { name: string; startsOn: string; endsOn: string; registrationOpen: boolean },
  ): Promise<string> {
    const row = await tx
      .insertInto('seasons')
      .values({
        league_id: leagueId,
        name: s.name,
        starts_on: s.startsOn,
        ends_on: s.endsOn,
        registration_open: s.registrationOpen,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  },

  async updateSeason(
    tx: Tx,
    seasonId: string,
    s: Partial<{ name: string; startsOn: string; endsOn: string; registrationOpen: boolean }>,
    expectedVersion?: number,
  ): Promise<boolean> {
    let query = tx
      .updateTable('seasons')
      .set({
        ...(s.name !== undefined && { name: s.name }),
        ...(s.startsOn !== undefined && { starts_on: s.startsOn }),
        ...(s.endsOn !== undefined && { ends_on: s.endsOn }),
        ...(s.registrationOpen !== undefined && { registration_open: s.registrationOpen }),
      })
      .where('id', '=', seasonId);
    if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
    const result = await query.executeTakeFirst();
    return result.numUpdatedRows > 0n;
  },

  async divisions(tx: Tx, seasonIds: string[]) {
    if (seasonIds.length === 0) return [];
    return tx
      .selectFrom('divisions')
      .select([
        'divisions.id',
        'divisions.season_id',
        'divisions.name',
        'divisions.level_min',
        'divisions.level_max',
        sql<number>`(select count(*)::int from teams t
          where t.division_id = divisions.id and t.archived_at is null)`.as('team_count'),
      ])
      .where('season_id', 'in', seasonIds)
      .orderBy('divisions.name')
      .execute();
  },

  async findDivision(tx: Tx, divisionId: string) {
    return tx
      .selectFrom('divisions')
      .innerJoin('seasons', 'seasons.id', 'divisions.season_id')
      .select([
        'divisions.id',
        'divisions.season_id',
        'divisions.name',
        'seasons.league_id',
        'seasons.registration_open',
        sql<boolean>`app_is_league_organizer(seasons.league_id)`.as('is_organizer'),
      ])
      .where('divisions.id', '=', divisionId)
      .executeTakeFirst();
  },

  /**
   * The id is made here, not returned by the insert: `RETURNING` would check the new row against
   * the select policy, whose list of visible divisions was taken before the row existed.
   */
  async insertDivision(tx: Tx, seasonId: string, d: DivisionInput): Promise<string> {
    const id = randomUUID();
    await tx
      .insertInto('divisions')
      .values({
        id,
        season_id: seasonId,
        name: d.name,
        level_min: d.levelMin ?? null,
        level_max: d.levelMax ?? null,
      })
      .execute();
    return id;
  },

  async removeDivision(tx: Tx, divisionId: string): Promise<boolean> {
    const result = await tx.deleteFrom('divisions').where('id', '=', divisionId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  },

  async countDivisionTeams(tx: Tx, divisionId: string): Promise<number> {
    const row = await tx
      .selectFrom('teams')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('division_id', '=', divisionId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },
};
