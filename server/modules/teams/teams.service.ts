import { PROBLEM_TYPES } from '#domain/schemas/problem';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type {
  MemberPatch,
  MyTeam,
  Team,
  TeamInput,
  TeamPatch,
  TeamSummary,
} from '#domain/schemas/teams';
import type { Tx } from '../../db/database';
import type { DB } from '../../db/schema';
import { HttpProblem, conflict, forbidden, notFound } from '../../plugins/problem';
import type { SessionUser } from '../../plugins/session';
import type { KeyClaim } from '../../plugins/idempotency';
import { visibleDivision } from '../leagues';
import { teamsRepository as repo, type TeamColumns } from './teams.repository';

type TeamRow = NonNullable<Awaited<ReturnType<typeof repo.find>>>;

export async function myTeams(tx: Tx, userId: string): Promise<MyTeam[]> {
  return (await repo.myTeams(tx, userId)).map(({ archivedAt, ...t }) => ({
    ...t,
    archived: archivedAt !== null,
  }));
}

export async function divisionTeams(tx: Tx, divisionId: string): Promise<TeamSummary[]> {
  await visibleDivision(tx, divisionId);
  return (await repo.divisionTeams(tx, divisionId)).map(({ archivedAt, ...t }) => ({
    ...t,
    archived: archivedAt !== null,
  }));
}

/** A team the user can see, or 404. */
export async function visibleTeam(tx: Tx, teamId: string): Promise<TeamRow> {
  const row = await repo.find(tx, teamId);
  if (!row) throw notFound('There is no such team, or its league is private.');
  return row;
}

/** The user ids on a team's roster (as many as `getTeam`'s members). */
export async function memberIds(tx: Tx, teamId: string): Promise<string[]> {
  return (await repo.memberIds(tx, teamId)).map((m) => m.userId);
}

/** A team the user captains (or whose league they organize): 404 if unseen, else 403. */
async function managedTeam(tx: Tx, teamId: string): Promise<TeamRow> {
  const row = await visibleTeam(tx, teamId);
  if (!row.isCaptain && !row.isOrganizer) {
    throw forbidden("Only this team's captains and the league's organizers can do this.");
  }
  return row;
}

export async function getTeam(tx: Tx, teamId: string): Promise<Team> {
  const row = await visibleTeam(tx, teamId);
  return teamAnswer(row, await repo.members(tx, teamId));
}

/** The API's team: its row (`repo.find`) and its roster (`repo.members`). */
function teamAnswer(
  { archivedAt, isCaptain, isMember, isOrganizer, ...team }: TeamRow,
  members: Awaited<ReturnType<typeof repo.members>>,
): Team {
  return {
    ...team,
    archived: archivedAt !== null,
    members: members.map((m) => ({
      ...m,
      displayName: m.displayName ?? 'A former member',
      joinedAt: m.joinedAt.toISOString(),
    })),
    access: { isCaptain, isMember, isOrganizer },
  };
}

const blankToNull = (v: string | null | undefined) => (v ? v : null);

/**
 * Creates a team in a division; its creator becomes captain. Captains may do so while the
 * season's registration is open; the league's organizers at any time. One statement of its own
 * on the login connection, as the user (`app_create_team_as`, migrations 0015 and 0018): the
 * division's check, the team, its captain and the answer, with the `Idempotency-Key`'s claim and
 * stored answer when `claim` is given (`idempotentWriteInOne`); `{ claimed: false }` when the key
 * was claimed already.
 */
export async function createTeam(
  system: Kysely<DB>,
  user: SessionUser,
  divisionId: string,
  input: z.output<typeof TeamInput>,
  claim: (KeyClaim & { status: number }) | null = null,
): Promise<{ claimed: false } | { claimed: true; body: Team }> {
  const result = await repo.create(
    system,
    user.id,
    divisionId,
    {
      name: input.name,
      homeVenue: blankToNull(input.homeVenue),
      primaryColour: input.primaryColour ?? null,
      secondaryColour: input.secondaryColour ?? null,
    },
    user.role === 'captain' || user.role === 'organizer',
    claim,
  );
  if ('claimed' in result) return { claimed: false };
  if ('team' in result) return { claimed: true, body: result.team };
  switch (result.refused) {
    case 'division':
      throw notFound('There is no such division, or its league is private.');
    case 'role':
      throw forbidden(
        'Only captains and organizers can create teams. Choose the captain role first.',
      );
    case 'registration':
      throw forbidden('Registration for this season is closed: ask an organizer to add your team.');
    default:
      throw notFound('There is no such team, or its league is private.');
  }
}

export async function updateTeam(
  tx: Tx,
  teamId: string,
  patch: z.output<typeof TeamPatch>,
  ifMatch: number | undefined,
): Promise<Team> {
  await managedTeam(tx, teamId);
  const columns: Partial<TeamColumns> = {
    ...(patch.name !== undefined && { name: patch.name }),
    ...(patch.homeVenue !== undefined && { homeVenue: blankToNull(patch.homeVenue) }),
    ...(patch.primaryColour !== undefined && { primaryColour: patch.primaryColour }),
    ...(patch.secondaryColour !== undefined && { secondaryColour: patch.secondaryColour }),
  };
  const updated = await repo.update(tx, teamId, columns, ifMatch);
  if (!updated) {
    throw new HttpProblem(
      412,
      'This team was changed since you loaded it. Review the current version.',
      {
        type: PROBLEM_TYPES.versionConflict,
        extra: { current: await getTeam(tx, teamId) },
      },
    );
  }
  return getTeam(tx, teamId);
}

/**
 * Deletes a team with its roster, invites and unplayed matches; a team that has played is
 * archived instead, so its results and history stay, its unplayed matches are cancelled, and its
 * name is free again.
 */
export async function deleteTeam(tx: Tx, teamId: string): Promise<'deleted' | 'archived'> {
  const team = await managedTeam(tx, teamId);
  if (team.archivedAt) throw conflict('This team is already archived.');
  if ((await repo.playedMatches(tx, teamId)) > 0) {
    await repo.archive(tx, teamId);
    return 'archived';
  }
  await repo.remove(tx, teamId);
  return 'deleted';
}

export async function updateMember(
  tx: Tx,
  teamId: string,
  userId: string,
  patch: z.output<typeof MemberPatch>,
): Promise<Team> {
  await managedTeam(tx, teamId);
  await repo.lockRoster(tx, teamId);
  const member = await repo.member(tx, teamId, userId);
  if (!member) throw notFound('This person is not on the team.');
  if (member.role === 'captain' && patch.role) {
    throw conflict('Hand the captaincy to someone else first (POST /captain).');
  }
  await repo.updateMember(tx, teamId, userId, patch);
  return getTeam(tx, teamId);
}

/** A captain removes a member, or a member leaves (userId is their own). */
export async function removeMember(
  tx: Tx,
  user: SessionUser,
  teamId: string,
  userId: string,
): Promise<void> {
  const team = await visibleTeam(tx, teamId);
  const leaving = userId === user.id;
  if (!leaving && !team.isCaptain && !team.isOrganizer) {
    throw forbidden("Only this team's captains and the league's organizers can remove members.");
  }
  await repo.lockRoster(tx, teamId);
  const member = await repo.member(tx, teamId, userId);
  if (!member) throw notFound('This person is not on the team.');
  if (member.role === 'captain') {
    throw conflict(
      leaving
        ? 'Captains cannot leave their team: hand the captaincy to someone else first.'
        : 'The captain cannot be removed: the captaincy must be handed over first.',
    );
  }
  await repo.removeMember(tx, teamId, userId);
}

/** Hands the captaincy to another member; the old captain stays on as co-captain. */
export async function transferCaptaincy(
  tx: Tx,
  user: SessionUser,
  teamId: string,
  userId: string,
): Promise<Team> {
  const team = await managedTeam(tx, teamId);
  await repo.lockRoster(tx, teamId);
  const members = await repo.members(tx, teamId);
  const acting = members.find((m) => m.userId === user.id);
  if (!team.isOrganizer && acting?.role !== 'captain') {
    throw forbidden('Only the captain (or a league organizer) can hand over the captaincy.');
  }
  const target = members.find((m) => m.userId === userId);
  if (!target) throw notFound('This person is not on the team.');
  if (target.role === 'captain') throw conflict('This person is already the captain.');
  if (!(await repo.handOverCaptaincy(tx, teamId, userId))) {
    throw forbidden('Only the captain (or a league organizer) can hand over the captaincy.');
  }
  return getTeam(tx, teamId);
}

/**
 * Adds the acting user to a team's roster as a player, within the league's roster limit and
 * one team per division. The caller has already proved the right to join (an invite).
 */
export async function joinTeam(tx: Tx, teamId: string, userId: string): Promise<Team> {
  await repo.lockRoster(tx, teamId);
  const team = await visibleTeam(tx, teamId);
  if (team.archivedAt) throw conflict('This team is archived and takes no new members.');
  if (await repo.member(tx, teamId, userId)) throw conflict('You are already on this team.');
  const other = await repo.teamInDivision(tx, team.divisionId, userId);
  if (other) {
    throw conflict(`You already play for ${other.name} in this division: leave that team first.`);
  }
  const size = await repo.rosterSize(tx, teamId);
  if (size >= team.rosterMax) {
    throw conflict(`The roster is full (${size} of ${team.rosterMax} places): ask the captain.`);
  }
  await repo.addMember(tx, teamId, userId, 'player');
  // The row read above, now with its new member: joining changes nothing else it shows (not the
  // team row, nor the captaincy or the league's organizers), so only the roster is read again.
  return teamAnswer({ ...team, isMember: true }, await repo.members(tx, teamId));
}
