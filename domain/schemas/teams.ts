import { z } from 'zod';
import { cleanText, requiredText } from './text';

/** Teams and their rosters. */

const HexColour = z
  .string({ error: requiredText })
  .regex(/^#[0-9a-fA-F]{6}$/, 'Use a colour like #1a7f37')
  .transform((s) => s.toLowerCase());

/** `POST /api/divisions/:id/teams` and `PATCH /api/teams/:id`. */
export const TeamInput = z.object({
  name: cleanText(2, 60),
  homeVenue: cleanText(0, 120).nullish(),
  primaryColour: HexColour.nullish(),
  secondaryColour: HexColour.nullish(),
});

export type TeamInput = z.input<typeof TeamInput>;

export const TeamPatch = TeamInput.partial().refine(
  (t) => Object.keys(t).length > 0,
  'Nothing to change',
);

export const MemberRole = z.enum(['captain', 'co_captain', 'player']);

export type MemberRole = z.infer<typeof MemberRole>;

export const MemberStatus = z.enum(['active', 'substitute', 'injured']);

export type MemberStatus = z.infer<typeof MemberStatus>;

/** `PATCH /api/teams/:id/members/:userId`. */
export const MemberPatch = z
  .object({ role: z.enum(['co_captain', 'player']), status: MemberStatus })
  .partial()
  .refine((m) => Object.keys(m).length > 0, 'Nothing to change');

export const Member = z.object({
  userId: z.string().uuid(),
  displayName: z.string(),
  role: MemberRole,
  status: MemberStatus,
  joinedAt: z.string(),
});

export type Member = z.infer<typeof Member>;

export const Team = z.object({
  id: z.string().uuid(),
  divisionId: z.string().uuid(),
  divisionName: z.string(),
  seasonId: z.string().uuid(),
  seasonName: z.string(),
  leagueId: z.string().uuid(),
  leagueName: z.string(),
  name: z.string(),
  homeVenue: z.string().nullable(),
  primaryColour: z.string().nullable(),
  secondaryColour: z.string().nullable(),
  archived: z.boolean(),
  version: z.number().int(),
  rosterMin: z.number().int(),
  rosterMax: z.number().int(),
  members: z.array(Member),
  access: z.object({ isCaptain: z.boolean(), isMember: z.boolean(), isOrganizer: z.boolean() }),
});

export type Team = z.infer<typeof Team>;

/** A team as listed in a division. */
export const TeamSummary = z.object({
  id: z.string().uuid(),
  name: z.string(),
  homeVenue: z.string().nullable(),
  primaryColour: z.string().nullable(),
  memberCount: z.number().int(),
  archived: z.boolean(),
});

export type TeamSummary = z.infer<typeof TeamSummary>;

/** One of the acting user's teams (`GET /api/me/teams`), for the dashboard. */
export const MyTeam = z.object({
  id: z.string().uuid(),
  name: z.string(),
  leagueId: z.string().uuid(),
  leagueName: z.string(),
  seasonName: z.string(),
  divisionName: z.string(),
  role: MemberRole,
  status: MemberStatus,
  archived: z.boolean(),
});

export type MyTeam = z.infer<typeof MyTeam>;

/** `POST /api/teams/:id/captain`: hand the captaincy to another member. */
export const CaptainTransfer = z.object({ userId: z.string().uuid() });
