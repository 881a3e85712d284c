import { PROBLEM_TYPES } from '#domain/schemas/problem';
import type { Me, Profile, Role, SportLevel } from '#domain/schemas/me';
import type { Tx } from '../../db/database';
import { HttpProblem, conflict, unauthorized } from '../../plugins/problem';
import { meRepository } from './me.repository';

/** The signed-in user as the API shows it; onboarding is profile first, then role. */
export async function getMe(tx: Tx, userId: string): Promise<Me> {
  const row = await meRepository.find(tx, userId);
  if (!row) throw unauthorized('Your account no longer exists. Sign in again.');
  const profile =
    row.displayName !== null && row.cityOrClub !== null && row.version !== null
      ? {
          displayName: row.displayName,
          phone: row.phone,
          cityOrClub: row.cityOrClub,
          sports: row.sports as SportLevel[],
          version: row.version,
          updatedAt: (row.updatedAt ?? new Date(0)).toISOString(),
        }
      : null;
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    onboarding: profile === null ? 'profile' : row.role === null ? 'role' : 'done',
    profile,
    demo: row.isDemo,
  };
}

/**
 * Saves the profile. With `ifMatch` (the version the client last saw), a profile changed since
 * then is not overwritten: 412 with the server's copy, so the client can merge or ask.
 */
export async function saveProfile(
  tx: Tx,
  userId: string,
  profile: Profile,
  ifMatch: number | undefined,
): Promise<Me> {
  const created = ifMatch === undefined && (await meRepository.insertProfile(tx, userId, profile));
  if (!created) {
    const updated = await meRepository.updateProfile(tx, userId, profile, ifMatch);
    if (!updated) {
      const current = await getMe(tx, userId);
      if (current.profile === null) {
        throw new HttpProblem(412, 'There is no profile yet: send the form without If-Match.');
      }
      throw new HttpProblem(
        412,
        'Your profile was changed elsewhere since you loaded it. Review the current version.',
        { type: PROBLEM_TYPES.versionConflict, extra: { current: current.profile } },
      );
    }
  }
  return getMe(tx, userId);
}

/** Saves the role; onboarding asks for the profile first. */
export async function saveRole(tx: Tx, userId: string, role: Role): Promise<Me> {
  const me = await getMe(tx, userId);
  if (me.profile === null) throw conflict('Complete your profile before choosing a role.');
  await meRepository.setRole(tx, userId, role);
  return getMe(tx, userId);
}
