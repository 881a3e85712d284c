import type { Profile, Role } from '../../domain/schemas/profile';
import type { Database } from './database';

/** Identity issuer of the demo accounts: they can only be used through demo sign-in. */
export const DEMO_ISSUER = 'rally:demo';

export interface DemoUser {
  key: string;
  role: Role;
  profile: Profile;
}

/** The demo accounts offered on the sign-in page in demo mode, one for each role. */
export const DEMO_USERS: DemoUser[] = [
  {
    key: 'organizer',
    role: 'organizer',
    profile: {
      displayName: 'Olivia Organizer',
      phone: null,
      cityOrClub: 'Riverside Racquet Club',
      sports: [
        { sport: 'tennis', level: 'advanced' },
        { sport: 'pickleball', level: 'intermediate' },
      ],
    },
  },
  {
    key: 'captain',
    role: 'captain',
    profile: {
      displayName: 'Carlos Captain',
      phone: '+14155550123',
      cityOrClub: 'Riverside Racquet Club',
      sports: [{ sport: 'tennis', level: 'intermediate' }],
    },
  },
  {
    key: 'player',
    role: 'player',
    profile: {
      displayName: 'Priya Player',
      phone: null,
      cityOrClub: 'Hillcrest Tennis Center',
      sports: [
        { sport: 'tennis', level: 'novice' },
        { sport: 'padel', level: 'beginner' },
      ],
    },
  },
];

/** Loads the demo data. Idempotent: running it again changes nothing. */
export async function seedDemo(database: Database): Promise<void> {
  await database.system.transaction().execute(async (tx) => {
    for (const demo of DEMO_USERS) {
      const user = await tx
        .insertInto('users')
        .values({
          oidc_issuer: DEMO_ISSUER,
          oidc_subject: demo.key,
          email: `${demo.key}@demo.rally.invalid`,
          email_verified: true,
          role: demo.role,
          is_demo: true,
        })
        .onConflict((oc) => oc.columns(['oidc_issuer', 'oidc_subject']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!user) continue;
      await tx
        .insertInto('profiles')
        .values({
          user_id: user.id,
          display_name: demo.profile.displayName,
          phone: demo.profile.phone,
          city_or_club: demo.profile.cityOrClub,
          sports: JSON.stringify(demo.profile.sports),
        })
        .execute();
    }
  });
}
