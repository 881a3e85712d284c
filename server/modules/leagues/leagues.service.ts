import { PROBLEM_TYPES, organizerInviteGoneType } from '#domain/schemas/problem';
import type { z } from 'zod';
import type {
  Division,
  League,
  LeagueInput,
  LeaguePatch,
  LeagueSummary,
  MatchFormat,
  MyOrganizerInvite,
  OrganizerInvite,
  Season,
  SeasonInput,
  SeasonPatch,
  DivisionInput,
} from '#domain/schemas/leagues';
import type { StandingsRulesInput } from '#domain/schemas/standings';
import { todayIn } from '#domain/rules/dates';
import type { Tx } from '../../db/database';
import type { Mailer } from '../../mail/mailer';
import { HttpProblem, conflict, forbidden, notFound } from '../../plugins/problem';
import type { SessionUser } from '../../plugins/session';
import { type LeagueListKey, leaguesRepository as repo } from './leagues.repository';

type LeagueRow = NonNullable<Awaited<ReturnType<typeof repo.find>>>;

function summary(row: {
  id: string;
  name: string;
  sport: string;
  customSport: string | null;
  visibility: 'public' | 'private';
  isOrganizer: boolean;
  isMember: boolean;
}): LeagueSummary {
  return {
    id: row.id,
    name: row.name,
    sport: row.sport as LeagueSummary['sport'],
    customSport: row.customSport,
    visibility: row.visibility,
    access: { isOrganizer: row.isOrganizer, isMember: row.isMember },
  };
}

const numberOrNull = (v: string | null) => (v === null ? null : Number(v));

/**
 * The `after` of `GET /api/leagues`: the list key of a page's last league, as base64url JSON.
 * Opaque to clients (they follow the `Link` header), so its form may change.
 */
export function encodeLeagueCursor(key: LeagueListKey): string {
  return Buffer.from(JSON.stringify([key.rest, key.name, key.id])).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The list key in an `after`, or undefined when it is not one `encodeLeagueCursor` made. */
export function decodeLeagueCursor(cursor: string): LeagueListKey | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length !== 3) return undefined;
  const [rest, name, id] = value as unknown[];
  if (typeof rest !== 'boolean' || typeof name !== 'string' || typeof id !== 'string') {
    return undefined;
  }
  return UUID.test(id) ? { rest, name, id } : undefined;
}

/** A page of the league list, and the key to start the next one from (null: this was the last). */
export interface LeaguePage {
  leagues: LeagueSummary[];
  next: LeagueListKey | null;
}

/**
 * Leagues the acting user can see, public ones and their own, a page at a time: their own
 * first, so that in an installation of a thousand public leagues the first page still shows
 * theirs (issue #12). One row more than asked for says whether there is a next page.
 */
export async function listLeagues(
  tx: Tx,
  query: { q?: string; after?: LeagueListKey; limit: number },
): Promise<LeaguePage> {
  const rows = await repo.listVisible(tx, { ...query, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    leagues: page.map(summary),
    next:
      rows.length > query.limit && last ? { rest: last.rest, name: last.name, id: last.id } : null,
  };
}

/** A league the user can see, or 404 (a private league of others does not exist for them). */
async function visibleLeague(tx: Tx, leagueId: string): Promise<LeagueRow> {
  const row = await repo.find(tx, leagueId);
  if (!row) throw notFound('There is no such league, or it is private.');
  return row;
}

/**
 * What the acting user may do in a league they can see, or 404 as `getLeague` answers: one
 * statement, for callers that need the check and not the league's seasons and organizers.
 */
export async function leagueAccess(
  tx: Tx,
  leagueId: string,
): Promise<{ isOrganizer: boolean; isMember: boolean }> {
  const row = await visibleLeague(tx, leagueId);
  return { isOrganizer: row.isOrganizer, isMember: row.isMember };
}

/** A league the user organizes: 404 if they cannot see it, 403 if they can but do not run it. */
async function organizedLeague(tx: Tx, leagueId: string): Promise<LeagueRow> {
  const row = await visibleLeague(tx, leagueId);
  if (!row.isOrganizer) throw forbidden('Only the organizers of this league can do this.');
  return row;
}

/** The whole league: organizers, seasons and their divisions. */
export async function getLeague(tx: Tx, leagueId: string): Promise<League> {
  const row = await visibleLeague(tx, leagueId);
  const [organizers, seasons] = await Promise.all([
    repo.organizers(tx, leagueId),
    repo.seasons(tx, leagueId),
  ]);
  const divisions = await repo.divisions(
    tx,
    seasons.map((s) => s.id),
  );
  return {
    ...summary(row),
    description: row.description,
    format: row.format as MatchFormat,
    rosterMin: row.rosterMin,
    rosterMax: row.rosterMax,
    resultConfirmHours: row.resultConfirmHours,
    standingsRules: row.standingsRules as StandingsRulesInput,
    timeZone: row.timeZone,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    organizers: organizers.map((o) => ({
      ...o,
      displayName: o.displayName ?? 'A former member',
    })),
    seasons: seasons.map((s) => toSeason(s, divisions)),
  };
}

function toSeason(
  s: Awaited<ReturnType<typeof repo.seasons>>[number],
  divisions: Awaited<ReturnType<typeof repo.divisions>>,
): Season {
  return { ...s, divisions: divisions.filter((d) => d.seasonId === s.id).map(toDivision) };
}

function toDivision(d: Awaited<ReturnType<typeof repo.divisions>>[number]): Division {
  return { ...d, levelMin: numberOrNull(d.levelMin), levelMax: numberOrNull(d.levelMax) };
}

/** Today's date in the league's time zone (`UTC` if the league is not visible). */
export async function leagueToday(tx: Tx, leagueId: string, now = new Date()): Promise<string> {
  return todayIn((await repo.timeZone(tx, leagueId)) ?? 'UTC', now);
}

/** Creates a league; only users who chose the organizer role may, and they become its owner. */
export async function createLeague(
  tx: Tx,
  user: SessionUser,
  input: z.output<typeof LeagueInput>,
): Promise<League> {
  if (user.role !== 'organizer') {
    throw forbidden('Only league organizers can create leagues. Choose that role in your profile.');
  }
  const id = await repo.insert(
    tx,
    {
      ...input,
      customSport: input.sport === 'custom' ? (input.customSport ?? null) : null,
      description: input.description || null,
    },
    user.id,
  );
  await repo.addOrganizer(tx, id, user.id, 'owner');
  return getLeague(tx, id);
}

export async function updateLeague(
  tx: Tx,
  leagueId: string,
  patch: z.output<typeof LeaguePatch>,
  ifMatch: number | undefined,
): Promise<League> {
  const current = await organizedLeague(tx, leagueId);
  const rosterMin = patch.rosterMin ?? current.rosterMin;
  const rosterMax = patch.rosterMax ?? current.rosterMax;
  if (rosterMin > rosterMax) {
    throw new HttpProblem(400, 'The largest roster cannot be smaller than the smallest.', {
      errors: [{ field: 'rosterMax', message: 'Smaller than rosterMin' }],
    });
  }
  const sport = patch.sport ?? current.sport;
  const customSport = sport === 'custom' ? (patch.customSport ?? current.customSport) : null;
  if (sport === 'custom' && !customSport) {
    throw new HttpProblem(400, 'Name the sport.', {
      errors: [{ field: 'customSport', message: 'Name the sport' }],
    });
  }
  const updated = await repo.update(
    tx,
    leagueId,
    { ...patch, customSport, description: patch.description === '' ? null : patch.description },
    ifMatch,
  );
  if (!updated) await versionConflict(tx, leagueId);
  return getLeague(tx, leagueId);
}

async function versionConflict(tx: Tx, leagueId: string): Promise<never> {
  throw new HttpProblem(
    412,
    'This league was changed since you loaded it. Review the current version.',
    {
      type: PROBLEM_TYPES.versionConflict,
      extra: { current: await getLeague(tx, leagueId) },
    },
  );
}

/** Deletes a league that has no teams yet; one with teams keeps its history. */
export async function deleteLeague(tx: Tx, leagueId: string): Promise<void> {
  await organizedLeague(tx, leagueId);
  if ((await repo.countTeams(tx, leagueId)) > 0) {
    throw conflict('This league has teams: remove them first, or keep the league for its history.');
  }
  await repo.remove(tx, leagueId);
}

/** Days an invitation to co-organize stays open. */
const ORGANIZER_INVITE_DAYS = 14;
/** Open invitations a league may have at once: enough for any committee, too few to spam with. */
const MAX_OPEN_ORGANIZER_INVITES = 20;

type OrganizerInviteRow = Awaited<ReturnType<typeof repo.organizerInvites>>[number];

function organizerInviteStatus(
  row: OrganizerInviteRow,
  now = Date.now(),
): OrganizerInvite['status'] {
  if (row.acceptedAt) return 'accepted';
  if (row.declinedAt) return 'declined';
  if (row.withdrawnAt) return 'withdrawn';
  if (row.expiresAt.getTime() <= now) return 'expired';
  return 'pending';
}

function toOrganizerInvite(row: OrganizerInviteRow): OrganizerInvite {
  return {
    id: row.id,
    email: row.email,
    status: organizerInviteStatus(row),
    expiresAt: row.expiresAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
  };
}

const ORGANIZER_INVITE_GONE: Record<Exclude<OrganizerInvite['status'], 'pending'>, string> = {
  accepted: 'You have already accepted this invitation.',
  declined: 'You declined this invitation. Ask the organizers for a new one.',
  withdrawn: 'The organizers withdrew this invitation.',
  expired: 'This invitation has expired. Ask the organizers for a new one.',
};

/**
 * Co-organizers join by invitation and consent (issue #10, finding 4). An organizer invites an
 * e-mail address; the answer is the same whether or not anybody has signed in with it (the
 * address is never looked up), and a message goes to the address. Only the account that signed
 * in with that address (verified) sees the invitation and can accept it; anybody else is told
 * there is no such invitation.
 */
export function organizerInvitesService(options: { publicUrl: URL; mailer: Mailer }) {
  /** The invitation if it is addressed to the acting user and still open: 404, else 410. */
  async function addressedInvite(tx: Tx, inviteId: string) {
    await repo.lockOrganizerInvite(tx, inviteId);
    const row = await repo.findOrganizerInvite(tx, inviteId);
    if (!row || !row.addressedToMe) throw notFound('There is no such invitation for you.');
    const state = organizerInviteStatus(row);
    if (state !== 'pending') {
      throw new HttpProblem(410, ORGANIZER_INVITE_GONE[state], {
        type: organizerInviteGoneType(state),
      });
    }
    return row;
  }

  const answeredMeanwhile = () =>
    new HttpProblem(410, 'This invitation was withdrawn or answered meanwhile.', {
      type: organizerInviteGoneType('withdrawn'),
    });

  return {
    /** Invites an address to co-organize; a new invitation to it replaces the open one. */
    async invite(
      tx: Tx,
      user: SessionUser,
      leagueId: string,
      email: string,
    ): Promise<OrganizerInvite> {
      const league = await organizedLeague(tx, leagueId);
      await repo.withdrawOrganizerInvites(tx, leagueId, { email });
      if ((await repo.countOpenOrganizerInvites(tx, leagueId)) >= MAX_OPEN_ORGANIZER_INVITES) {
        throw conflict(
          `This league already has ${MAX_OPEN_ORGANIZER_INVITES} open invitations: withdraw some first.`,
        );
      }
      const id = await repo.insertOrganizerInvite(tx, {
        leagueId,
        email,
        invitedBy: user.id,
        days: ORGANIZER_INVITE_DAYS,
      });
      const row = await repo.findOrganizerInvite(tx, id);
      if (!row) throw new Error('organizer invitation vanished after insert');
      const inviter =
        (await repo.organizers(tx, leagueId)).find((o) => o.userId === user.id)?.displayName ??
        'An organizer';
      let delivery: OrganizerInvite['delivery'];
      try {
        delivery = await options.mailer.send({
          to: email,
          subject: `You're invited to co-organize ${league.name} on Rally Connect`,
          text:
            `${inviter} invited you to co-organize ${league.name} on Rally Connect.\n\n` +
            `Sign in with this e-mail address (${email}) at ${options.publicUrl.href} and ` +
            `accept or decline the invitation on your dashboard. Nothing changes until you ` +
            `accept.\n\nThis invitation expires on ${row.expiresAt.toUTCString()}. If you ` +
            `did not expect it, ignore this message.`,
        });
      } catch {
        throw new HttpProblem(
          502,
          'The mail server did not accept the invitation. Try again later.',
        );
      }
      return { ...toOrganizerInvite(row), delivery };
    },

    /** A league's invitations to co-organize, newest first (its organizers). */
    async list(tx: Tx, leagueId: string): Promise<OrganizerInvite[]> {
      await organizedLeague(tx, leagueId);
      return (await repo.organizerInvites(tx, leagueId)).map(toOrganizerInvite);
    },

    async withdraw(tx: Tx, leagueId: string, inviteId: string): Promise<void> {
      await organizedLeague(tx, leagueId);
      const row = await repo.findOrganizerInvite(tx, inviteId);
      if (!row || row.leagueId !== leagueId) {
        throw notFound('There is no such invitation for this league.');
      }
      if (!(await repo.withdrawOrganizerInvites(tx, leagueId, { id: inviteId }))) {
        throw conflict(`This invitation is no longer pending (${organizerInviteStatus(row)}).`);
      }
    },

    /** The acting user's open invitations to co-organize. */
    async mine(tx: Tx): Promise<MyOrganizerInvite[]> {
      return (await repo.myOrganizerInvites(tx)).map((row) => ({
        ...row,
        sport: row.sport as MyOrganizerInvite['sport'],
        invitedBy: row.invitedBy ?? 'An organizer',
        expiresAt: row.expiresAt.toISOString(),
      }));
    },

    /** Makes the addressee a co-organizer: their row and the invitation's answer together. */
    async accept(tx: Tx, user: SessionUser, inviteId: string): Promise<League> {
      const invite = await addressedInvite(tx, inviteId);
      // Insert before marking it accepted: the organizers policy admits the addressee only
      // through an open invitation. Someone who already runs the league just answers it.
      const league = await repo.find(tx, invite.leagueId);
      if (!league?.isOrganizer) {
        await repo.addOrganizer(tx, invite.leagueId, user.id, 'co_organizer');
      }
      if (!(await repo.acceptOrganizerInvite(tx, inviteId))) throw answeredMeanwhile();
      return getLeague(tx, invite.leagueId);
    },

    async decline(tx: Tx, inviteId: string): Promise<void> {
      await addressedInvite(tx, inviteId);
      if (!(await repo.declineOrganizerInvite(tx, inviteId))) throw answeredMeanwhile();
    },
  };
}

export async function removeCoOrganizer(tx: Tx, leagueId: string, userId: string): Promise<League> {
  await organizedLeague(tx, leagueId);
  if (!(await repo.removeOrganizer(tx, leagueId, userId))) {
    throw notFound(
      'This person is not a co-organizer of the league (the owner cannot be removed).',
    );
  }
  return getLeague(tx, leagueId);
}

export async function createSeason(
  tx: Tx,
  leagueId: string,
  input: z.output<typeof SeasonInput>,
): Promise<Season> {
  await organizedLeague(tx, leagueId);
  const id = await repo.insertSeason(tx, leagueId, input);
  return getSeason(tx, id);
}

export async function getSeason(tx: Tx, seasonId: string): Promise<Season> {
  const season = await repo.findSeason(tx, seasonId);
  if (!season) throw notFound('There is no such season, or its league is private.');
  return toSeason(season, await repo.divisions(tx, [seasonId]));
}

export async function updateSeason(
  tx: Tx,
  seasonId: string,
  patch: z.output<typeof SeasonPatch>,
  ifMatch: number | undefined,
): Promise<Season> {
  const season = await repo.findSeason(tx, seasonId);
  if (!season) throw notFound('There is no such season, or its league is private.');
  await organizedLeague(tx, season.leagueId);
  const startsOn = patch.startsOn ?? season.startsOn;
  const endsOn = patch.endsOn ?? season.endsOn;
  if (endsOn < startsOn) {
    throw new HttpProblem(400, 'The season would end before it starts.', {
      errors: [{ field: 'endsOn', message: 'Ends before it starts' }],
    });
  }
  if (!(await repo.updateSeason(tx, seasonId, patch, ifMatch))) {
    throw new HttpProblem(412, 'This season was changed since you loaded it.', {
      type: PROBLEM_TYPES.versionConflict,
      extra: { current: await getSeason(tx, seasonId) },
    });
  }
  return getSeason(tx, seasonId);
}

export async function createDivision(
  tx: Tx,
  seasonId: string,
  input: z.output<typeof DivisionInput>,
): Promise<Division> {
  const season = await repo.findSeason(tx, seasonId);
  if (!season) throw notFound('There is no such season, or its league is private.');
  await organizedLeague(tx, season.leagueId);
  const id = await repo.insertDivision(tx, seasonId, input);
  const created = (await repo.divisions(tx, [seasonId])).find((d) => d.id === id);
  if (!created) throw new Error('division vanished after insert');
  return toDivision(created);
}

export async function deleteDivision(tx: Tx, divisionId: string): Promise<void> {
  const division = await repo.findDivision(tx, divisionId);
  if (!division) throw notFound('There is no such division, or its league is private.');
  await organizedLeague(tx, division.leagueId);
  if ((await repo.countDivisionTeams(tx, divisionId)) > 0) {
    throw conflict('This division has teams: move or delete them first.');
  }
  await repo.removeDivision(tx, divisionId);
}

/** A division the user can see, with its league: for the teams feature. */
export async function visibleDivision(tx: Tx, divisionId: string) {
  const division = await repo.findDivision(tx, divisionId);
  if (!division) throw notFound('There is no such division, or its league is private.');
  return division;
}
