import { isValidPhoneNumber } from 'libphonenumber-js/min';
import { z } from 'zod';
import { cleanText } from './text';

/** The signed-in user: profile, sports and levels, role and onboarding. */

export const SPORTS = [
  'tennis',
  'pickleball',
  'padel',
  'badminton',
  'squash',
  'table_tennis',
] as const;

export const Sport = z.enum(SPORTS);

export type Sport = z.infer<typeof Sport>;

export const SPORT_LABELS: Record<Sport, string> = {
  tennis: 'Tennis',
  pickleball: 'Pickleball',
  padel: 'Padel',
  badminton: 'Badminton',
  squash: 'Squash',
  table_tennis: 'Table tennis',
};

/**
 * Self-assessed playing level, chosen at onboarding. The rating engine turns it into a starting
 * rating with a high uncertainty (see domain/ratings).
 */
export const LEVELS = ['beginner', 'novice', 'intermediate', 'advanced', 'expert'] as const;

export const Level = z.enum(LEVELS);

export type Level = z.infer<typeof Level>;

export const LEVEL_LABELS: Record<Level, string> = {
  beginner: 'Beginner — learning the basics',
  novice: 'Novice — rallies, plays socially',
  intermediate: 'Intermediate — consistent, plays league matches',
  advanced: 'Advanced — strong club or league player',
  expert: 'Expert — tournament or former college/pro player',
};

export const SportLevel = z.object({ sport: Sport, level: Level });

export type SportLevel = z.infer<typeof SportLevel>;

/** A phone number in E.164 form (`+447700900123`), checked against real numbering plans. */
export const E164Phone = z
  .string()
  .trim()
  .regex(/^\+[1-9]\d{6,14}$/, {
    message: 'Use international format, e.g. +14155550123',
    abort: true,
  })
  .refine((s) => isValidPhoneNumber(s), 'Not a valid phone number');

/** The onboarding profile form, shared by the web form and `PUT /api/me/profile`. */
export const ProfileInput = z.object({
  displayName: cleanText(2, 60),
  phone: z.preprocess(
    (v) => (v === undefined || (typeof v === 'string' && v.trim() === '') ? null : v),
    E164Phone.nullable(),
  ),
  cityOrClub: cleanText(2, 80),
  sports: z
    .array(SportLevel, { error: (iss) => (iss.input === undefined ? 'Required' : undefined) })
    .min(1, 'Choose at least one sport')
    .max(SPORTS.length)
    .refine(
      (list) => new Set(list.map((s) => s.sport)).size === list.length,
      'Each sport only once',
    ),
});

export type ProfileInput = z.input<typeof ProfileInput>;

export type Profile = z.output<typeof ProfileInput>;

export const ROLES = ['player', 'captain', 'organizer'] as const;

export const Role = z.enum(ROLES);

export type Role = z.infer<typeof Role>;

export const ROLE_LABELS: Record<Role, { title: string; description: string }> = {
  player: {
    title: 'Player',
    description: 'Join teams, answer availability, see scores and ratings.',
  },
  captain: {
    title: 'Team captain',
    description: 'Create and run teams, invite players, set lineups and enter scores.',
  },
  organizer: {
    title: 'League organizer',
    description: 'Create leagues, seasons and divisions, build schedules and settle results.',
  },
};

/** Body of `PUT /api/me/role`. */
export const RoleInput = z.object({ role: Role });

export type RoleInput = z.infer<typeof RoleInput>;

/** Where a user stands in onboarding: profile first, then role, then the app. */
export const OnboardingStep = z.enum(['profile', 'role', 'done']);

export type OnboardingStep = z.infer<typeof OnboardingStep>;

/** The saved profile, as the API returns it; `version` goes back in `If-Match`. */
export const MeProfile = z.object({
  displayName: z.string(),
  phone: z.string().nullable(),
  cityOrClub: z.string(),
  sports: z.array(SportLevel),
  version: z.number().int(),
  updatedAt: z.string(),
});

export type MeProfile = z.infer<typeof MeProfile>;

/** `GET /api/me`: the signed-in user. */
export const Me = z.object({
  id: z.string().uuid(),
  email: z.string().nullable(),
  role: Role.nullable(),
  onboarding: OnboardingStep,
  profile: MeProfile.nullable(),
  demo: z.boolean(),
});

export type Me = z.infer<typeof Me>;
