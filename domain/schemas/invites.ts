import { z } from 'zod';
import { cleanText, requiredText } from './text';

/** Invitations to join a team, by link or e-mail. */

/** `POST /api/teams/:id/invites` with `kind: 'link'`: a shareable link. */
export const LinkInviteInput = z.object({
  kind: z.literal('link'),
  maxUses: z.number().int().min(1).max(200).default(25),
  expiresInDays: z.number().int().min(1).max(90).default(14),
});

/** `POST /api/teams/:id/invites` with `kind: 'email'`: an invitation sent by e-mail. */
export const EmailInviteInput = z.object({
  kind: z.literal('email'),
  email: z
    .string({ error: requiredText })
    .trim()
    .toLowerCase()
    .pipe(z.email('Not an e-mail address').max(254)),
  message: cleanText(0, 500).nullish(),
  expiresInDays: z.number().int().min(1).max(90).default(14),
});

export const InviteInput = z.discriminatedUnion('kind', [LinkInviteInput, EmailInviteInput]);

export type InviteInput = z.input<typeof InviteInput>;

/** An invite as its team's captains see it. The token is only returned once, at creation. */
export const Invite = z.object({
  id: z.string().uuid(),
  kind: z.enum(['link', 'email']),
  email: z.string().nullable(),
  maxUses: z.number().int(),
  uses: z.number().int(),
  expiresAt: z.string(),
  revoked: z.boolean(),
  status: z.enum(['open', 'used_up', 'expired', 'revoked', 'declined']),
  createdAt: z.string(),
  /** Present only in the response that created it: `PUBLIC_URL/invites/<token>`. */
  url: z.string().optional(),
  /** For an e-mail invite when no mail server is configured: the sender shares the link. */
  delivery: z.enum(['sent', 'logged']).optional(),
});

export type Invite = z.infer<typeof Invite>;

/** What someone holding an invite link sees before accepting (`GET /api/invites/:token`). */
export const InvitePreview = z.object({
  teamId: z.string().uuid(),
  teamName: z.string(),
  leagueName: z.string(),
  seasonName: z.string(),
  divisionName: z.string(),
  invitedBy: z.string(),
  expiresAt: z.string(),
  alreadyMember: z.boolean(),
});

export type InvitePreview = z.infer<typeof InvitePreview>;
