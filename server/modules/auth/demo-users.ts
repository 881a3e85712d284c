import type { Profile, Role } from '#domain/schemas/me';

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
