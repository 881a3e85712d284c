import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { DivisionInput, LeagueSport, MatchFormat } from '#domain/schemas/leagues';
import type { StandingsRulesInput } from '#domain/schemas/standings';
import type { Tx } from '../../db/database';
import { likeEscape } from '../../db/like';

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
  isOrganizer: sql<boolean>`app_is_league_organizer(leagues.id)`.as('isOrganizer'),
  isMember: sql<boolean>`exists (select 1 from team_members tm join teams t on t.id = tm.team_id
    join divisions d on d.id = t.division_id join seasons s on s.id = d.season_id
    where s.league_id = leagues.id and tm.user_id = app_user_id())`.as('isMember'),
};

/** Where a league sits in the list: the user's own first (`rest` false), then name, then id. */
export interface LeagueListKey {
  rest: boolean;
  name: string;
  id: string;
}

/** A season's columns, dates as `YYYY-MM-DD` text (a `date` read as a JS Date shifts by zone). */
const seasonColumns = [
  'id',
  'leagueId',
  'name',
  sql<string>`starts_on::text`.as('startsOn'),
  sql<string>`ends_on::text`.as('endsOn'),
  'registrationOpen',
  'version',
] as const;

function leagueValues(l: Partial<LeagueColumns>) {
  return {
    ...(l.name !== undefined && { name: l.name }),
    ...(l.sport !== undefined && { sport: l.sport }),
    ...(l.customSport !== undefined && { customSport: l.customSport }),
    ...(l.description !== undefined && { description: l.description }),
    ...(l.visibility !== undefined && { visibility: l.visibility }),
    ...(l.format !== undefined && { format: JSON.stringify(l.format) }),
    ...(l.rosterMin !== undefined && { rosterMin: l.rosterMin }),
    ...(l.rosterMax !== undefined && { rosterMax: l.rosterMax }),
    ...(l.resultConfirmHours !== undefined && { resultConfirmHours: l.resultConfirmHours }),
    ...(l.standingsRules !== undefined && { standingsRules: JSON.stringify(l.standingsRules) }),
    ...(l.timeZone !== undefined && { timeZone: l.timeZone }),
  };
}

/** An invitation to co-organize as the league's organizers see it. */
const organizerInviteColumns = [
  'id',
  'email',
  'expiresAt',
  'acceptedAt',
  'declinedAt',
  'withdrawnAt',
  'createdAt',
] as const;

/** Not accepted, declined, withdrawn or expired. */
const openInvite = sql<boolean>`accepted_at is null and declined_at is null
  and withdrawn_at is null and expires_at > now()`;

/**
 * Leagues, organizers, seasons and divisions, with camelCase names. Every query runs under
 * row-level security.
 */
export const leaguesRepository = {
  /**
   * A page of the leagues the acting user can see: their own first (organized, played in,
   * invited to, or created by them: `rest` false), then the others, each part by name, then id.
   * Keyset paging: `after` is the last row of the page before, compared as a row value, so a
   * league created meanwhile neither repeats a row nor shifts the pages.
   *
   * The page is chosen in a subquery (its `LIMIT` keeps the planner from pulling it up), so
   * the access columns, a function call and a subplan each, run for the rows returned only.
   */
  async listVisible(tx: Tx, options: { q?: string; after?: LeagueListKey; limit: number }) {
    const { q, after, limit } = options;
    // `app_my_leagues()` once per statement (an init plan); signed out, created_by = null is
    // null, hence the coalesce: a league is then simply not one's own.
    const rest = sql<boolean>`not (leagues.id = any ((select app_my_leagues())::uuid[])
      or coalesce(leagues.created_by = app_user_id(), false))`;
    const page = tx
      .selectFrom('leagues')
      .select(['id', 'name', 'sport', 'customSport', 'visibility', rest.as('rest')])
      .$if(q !== undefined, (qb) => qb.where('name', 'ilike', `%${likeEscape(q ?? '')}%`))
      .$if(after !== undefined, (qb) =>
        qb.where(
          sql<boolean>`(${rest}, leagues.name, leagues.id)
            > (${after?.rest}::boolean, ${after?.name}::text, ${after?.id}::uuid)`,
        ),
      )
      .orderBy('rest')
      .orderBy('name')
      .orderBy('id')
      .limit(limit);
    return tx
      .selectFrom(page.as('leagues'))
      .select([
        'leagues.id',
        'leagues.name',
        'leagues.sport',
        'leagues.customSport',
        'leagues.visibility',
        'leagues.rest',
        access.isOrganizer,
        access.isMember,
      ])
      .orderBy('leagues.rest')
      .orderBy('leagues.name')
      .orderBy('leagues.id')
      .execute();
  },

  async insert(tx: Tx, league: LeagueColumns, userId: string): Promise<string> {
    const row = await tx
      .insertInto('leagues')
      .values({
        ...(leagueValues(league) as Required<ReturnType<typeof leagueValues>>),
        createdBy: userId,
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
      .select('timeZone')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.timeZone;
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
      .innerJoin('divisions', 'divisions.id', 'teams.divisionId')
      .innerJoin('seasons', 'seasons.id', 'divisions.seasonId')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('seasons.leagueId', '=', leagueId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  async organizers(tx: Tx, leagueId: string) {
    return tx
      .selectFrom('leagueOrganizers')
      .leftJoin('people', 'people.userId', 'leagueOrganizers.userId')
      .select(['leagueOrganizers.userId', 'leagueOrganizers.role', 'people.displayName'])
      .where('leagueId', '=', leagueId)
      .orderBy('leagueOrganizers.createdAt')
      .execute();
  },

  async addOrganizer(tx: Tx, leagueId: string, userId: string, role: 'owner' | 'co_organizer') {
    await tx.insertInto('leagueOrganizers').values({ leagueId, userId, role }).execute();
  },

  async removeOrganizer(tx: Tx, leagueId: string, userId: string): Promise<boolean> {
    const result = await tx
      .deleteFrom('leagueOrganizers')
      .where('leagueId', '=', leagueId)
      .where('userId', '=', userId)
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
      .insertInto('leagueOrganizerInvites')
      .values({
        id,
        leagueId: invite.leagueId,
        email: invite.email,
        invitedBy: invite.invitedBy,
        expiresAt: sql<Date>`now() + make_interval(days => ${invite.days})`,
      })
      .execute();
    return id;
  },

  async organizerInvites(tx: Tx, leagueId: string) {
    return tx
      .selectFrom('leagueOrganizerInvites')
      .select(organizerInviteColumns)
      .where('leagueId', '=', leagueId)
      .orderBy('createdAt', 'desc')
      .limit(100)
      .execute();
  },

  /** An invitation the acting user may see, and whether it is addressed to them. */
  async findOrganizerInvite(tx: Tx, inviteId: string) {
    return tx
      .selectFrom('leagueOrganizerInvites')
      .select([
        ...organizerInviteColumns,
        'leagueId',
        sql<boolean>`coalesce(email = app_user_email(), false)`.as('addressedToMe'),
      ])
      .where('id', '=', inviteId)
      .executeTakeFirst();
  },

  async countOpenOrganizerInvites(tx: Tx, leagueId: string): Promise<number> {
    const row = await tx
      .selectFrom('leagueOrganizerInvites')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('leagueId', '=', leagueId)
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
      .updateTable('leagueOrganizerInvites')
      .set({ withdrawnAt: sql<Date>`now()` })
      .where('leagueId', '=', leagueId)
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
      leagueId: string;
      leagueName: string;
      sport: string;
      customSport: string | null;
      invitedBy: string | null;
      expiresAt: Date;
    }>`select id, league_id, league_name, sport, custom_sport, invited_by, expires_at
      from app_my_organizer_invites()`.execute(tx);
    return result.rows;
  },

  async seasons(tx: Tx, leagueId: string) {
    return tx
      .selectFrom('seasons')
      .select(seasonColumns)
      .where('leagueId', '=', leagueId)
      .orderBy('startsOn', 'desc')
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
        leagueId,
        name: s.name,
        startsOn: s.startsOn,
        endsOn: s.endsOn,
        registrationOpen: s.registrationOpen,
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
        ...(s.startsOn !== undefined && { startsOn: s.startsOn }),
        ...(s.endsOn !== undefined && { endsOn: s.endsOn }),
        ...(s.registrationOpen !== undefined && { registrationOpen: s.registrationOpen }),
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
        'divisions.seasonId',
        'divisions.name',
        'divisions.levelMin',
        'divisions.levelMax',
        sql<number>`(select count(*)::int from teams t
          where t.division_id = divisions.id and t.archived_at is null)`.as('teamCount'),
      ])
      .where('seasonId', 'in', seasonIds)
      .orderBy('divisions.name')
      .execute();
  },

  async findDivision(tx: Tx, divisionId: string) {
    return tx
      .selectFrom('divisions')
      .innerJoin('seasons', 'seasons.id', 'divisions.seasonId')
      .select([
        'divisions.id',
        'divisions.seasonId',
        'divisions.name',
        'seasons.leagueId',
        'seasons.registrationOpen',
        sql<boolean>`app_is_league_organizer(seasons.league_id)`.as('isOrganizer'),
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
        seasonId,
        name: d.name,
        levelMin: d.levelMin ?? null,
        levelMax: d.levelMax ?? null,
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
      .where('divisionId', '=', divisionId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },
};
