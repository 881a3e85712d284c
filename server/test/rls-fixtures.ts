import type { Insertable, Kysely } from 'kysely';
import { DEFAULT_MATCH_FORMAT } from '#domain/schemas/leagues';
import type { DB } from '../db/schema';

/**
 * Rows written straight through the owner connection (`db.owner`), for tests whose set-up must
 * not go through the code under test: row-level security, and reads checked against hidden rows.
 */
type Owner = Kysely<DB>;

/** A user: just the OIDC subject, or the subject with more columns (the issuer is `test`). */
export type UserSeed = string | ({ oidcSubject: string } & Partial<Insertable<DB['users']>>);

/** These users, in one insert; their ids in the same order. */
export async function insertUsers<const T extends readonly UserSeed[]>(
  db: Owner,
  users: T,
): Promise<{ -readonly [K in keyof T]: string }> {
  const rows = await db
    .insertInto('users')
    .values(
      users.map((u) =>
        typeof u === 'string'
          ? { oidcIssuer: 'test', oidcSubject: u }
          : { oidcIssuer: 'test', ...u },
      ),
    )
    .returning('id')
    .execute();
  return rows.map((r) => r.id) as { -readonly [K in keyof T]: string };
}

/** A profile for this user, in the club "Club" with no sports. */
export async function insertProfile(
  db: Owner,
  userId: string,
  displayName: string,
  phone: string | null,
): Promise<void> {
  await db
    .insertInto('profiles')
    .values({ userId, displayName, phone, cityOrClub: 'Club', sports: '[]' })
    .execute();
}

export interface LeagueSeed {
  createdBy: string;
  /** Whether `createdBy` is also recorded as the league's owner-organizer (default true). */
  organizer?: boolean;
  name?: string;
  visibility?: 'public' | 'private';
  rosterMin?: number;
  rosterMax?: number;
}

/** A tennis league with the default match format, private unless told; its id. */
export async function insertLeague(db: Owner, seed: LeagueSeed): Promise<string> {
  const visibility = seed.visibility ?? 'private';
  const { id } = await db
    .insertInto('leagues')
    .values({
      name: seed.name ?? 'Private League',
      sport: 'tennis',
      visibility,
      format: JSON.stringify(DEFAULT_MATCH_FORMAT),
      rosterMin: seed.rosterMin ?? 1,
      rosterMax: seed.rosterMax ?? 8,
      createdBy: seed.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (seed.organizer ?? true) {
    await db
      .insertInto('leagueOrganizers')
      .values({ leagueId: id, userId: seed.createdBy, role: 'owner' })
      .execute();
  }
  return id;
}

export interface SeasonSeed {
  name?: string;
  startsOn?: string;
  endsOn?: string;
  registrationOpen?: boolean;
}

/** A season of this league (named "S", the first half of 2030 unless told); its id. */
export async function insertSeason(
  db: Owner,
  leagueId: string,
  seed: SeasonSeed = {},
): Promise<string> {
  const { id } = await db
    .insertInto('seasons')
    .values({
      leagueId,
      name: seed.name ?? 'S',
      startsOn: seed.startsOn ?? '2030-01-01',
      endsOn: seed.endsOn ?? '2030-06-30',
      ...(seed.registrationOpen === undefined ? {} : { registrationOpen: seed.registrationOpen }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** A division of this season with no level bounds; its id. */
export async function insertDivision(db: Owner, seasonId: string, name = 'D'): Promise<string> {
  const { id } = await db
    .insertInto('divisions')
    .values({ seasonId, name, levelMin: null, levelMax: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** A league (see `insertLeague`) with one season and one division in it. */
export async function insertLeagueWithDivision(
  db: Owner,
  seed: LeagueSeed & { season?: SeasonSeed; division?: string },
): Promise<{ leagueId: string; seasonId: string; divisionId: string }> {
  const leagueId = await insertLeague(db, seed);
  const seasonId = await insertSeason(db, leagueId, seed.season);
  const divisionId = await insertDivision(db, seasonId, seed.division);
  return { leagueId, seasonId, divisionId };
}

export interface TeamSeed {
  name: string;
  createdBy: string;
  /** The team's captain member: `createdBy` unless told, none when null. */
  captain?: string | null;
  /** Members with the player role. */
  players?: readonly string[];
}

/** A team of this division with its members; its id. */
export async function insertTeam(db: Owner, divisionId: string, seed: TeamSeed): Promise<string> {
  const { id } = await db
    .insertInto('teams')
    .values({ divisionId, name: seed.name, createdBy: seed.createdBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  const captain = seed.captain === undefined ? seed.createdBy : seed.captain;
  const members = [
    ...(captain === null ? [] : [{ teamId: id, userId: captain, role: 'captain' as const }]),
    ...(seed.players ?? []).map((userId) => ({ teamId: id, userId, role: 'player' as const })),
  ];
  if (members.length > 0) await db.insertInto('teamMembers').values(members).execute();
  return id;
}
