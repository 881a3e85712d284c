import { inviteGoneType } from '#domain/schemas/problem';
import type { z } from 'zod';
import type { Invite, InviteInput, InvitePreview } from '#domain/schemas/invites';
import type { Team } from '#domain/schemas/teams';
import type { Tx } from '../../db/database';
import type { Mailer } from '../../mail/mailer';
import { HttpProblem, notFound } from '../../plugins/problem';
import type { SessionUser } from '../../plugins/session';
import { keyedHash, randomToken } from '../../plugins/tokens';
import { joinTeam, visibleTeam } from '../teams';
import { invitesRepository as repo } from './invites.repository';

const DAY_MS = 24 * 3600 * 1000;

type InviteRow = NonNullable<Awaited<ReturnType<typeof repo.find>>>;

function status(
  row: Pick<InviteRow, 'revokedAt' | 'declinedAt' | 'uses' | 'maxUses' | 'expiresAt'>,
): Invite['status'] {
  if (row.revokedAt) return 'revoked';
  if (row.declinedAt) return 'declined';
  if (row.uses >= row.maxUses) return 'used_up';
  if (row.expiresAt.getTime() <= Date.now()) return 'expired';
  return 'open';
}

function toInvite(row: Omit<InviteRow, 'teamId'>): Invite {
  return {
    id: row.id,
    kind: row.kind,
    email: row.email,
    maxUses: row.maxUses,
    uses: row.uses,
    expiresAt: row.expiresAt.toISOString(),
    revoked: row.revokedAt !== null,
    status: status(row),
    createdAt: row.createdAt.toISOString(),
  };
}

const GONE: Record<Exclude<Invite['status'], 'open'>, string> = {
  revoked: 'This invitation was withdrawn by the team. Ask the captain for a new one.',
  declined: 'This invitation was declined.',
  used_up:
    'This invitation link has been used as many times as it allows. Ask the captain for a new one.',
  expired: 'This invitation has expired. Ask the captain for a new one.',
};

/**
 * Team invitations: shareable links and e-mails. The token is random, given out once, and
 * stored only as a keyed hash; holding it is what lets someone see and accept the invite.
 */
export function invitesService(options: { secret: string; publicUrl: URL; mailer: Mailer }) {
  const hash = (token: string) => keyedHash(options.secret, 'invite', token);

  /**
   * The open invite for this token, acting as its holder; 404 unknown, 410 no longer open.
   * `lock` serialises the acceptances of one invite, so the last use goes to exactly one of them.
   */
  async function openInvite(tx: Tx, token: string, options: { lock?: boolean } = {}) {
    await repo.actAs(tx, hash(token));
    if (options.lock) await repo.lockHeld(tx, hash(token));
    const held = await repo.state(tx, hash(token));
    if (!held) throw notFound('There is no such invitation. Check the link.');
    const state = status(held);
    if (state !== 'open') {
      throw new HttpProblem(410, GONE[state], { type: inviteGoneType(state) });
    }
    const invite = await repo.findByToken(tx, hash(token));
    if (!invite) throw new Error('an open invite must show its team');
    return invite;
  }

  return {
    async list(tx: Tx, teamId: string): Promise<Invite[]> {
      const team = await visibleTeam(tx, teamId);
      if (!team.isCaptain && !team.isOrganizer) {
        throw new HttpProblem(
          403,
          "Only this team's captains and the league's organizers see its invitations.",
        );
      }
      return (await repo.list(tx, teamId)).map(toInvite);
    },

    /** Creates a link or sends an e-mail; a mail server's refusal leaves no invite behind. */
    async create(
      tx: Tx,
      user: SessionUser,
      teamId: string,
      input: z.output<typeof InviteInput>,
    ): Promise<Invite> {
      const team = await visibleTeam(tx, teamId);
      if (!team.isCaptain && !team.isOrganizer) {
        throw new HttpProblem(
          403,
          "Only this team's captains and the league's organizers can invite.",
        );
      }
      if (team.archivedAt)
        throw new HttpProblem(409, 'This team is archived and takes no new members.');
      const token = randomToken();
      const url = new URL(`/invites/${token}`, options.publicUrl).href;
      const id = await repo.insert(tx, {
        teamId,
        tokenHash: hash(token),
        kind: input.kind,
        email: input.kind === 'email' ? input.email : null,
        message: input.kind === 'email' ? (input.message ?? null) || null : null,
        maxUses: input.kind === 'link' ? input.maxUses : 1,
        expiresAt: new Date(Date.now() + input.expiresInDays * DAY_MS),
        createdBy: user.id,
      });
      const row = await repo.find(tx, id);
      if (!row) throw new Error('invite vanished after insert');
      let delivery: Invite['delivery'];
      if (input.kind === 'email') {
        const note = input.message ? `\n\nMessage from the captain:\n${input.message}\n` : '';
        try {
          delivery = await options.mailer.send({
            to: input.email,
            subject: `You're invited to join ${team.name} on Rally Connect`,
            text:
              `You have been invited to join ${team.name} (${team.leagueName}, ` +
              `${team.seasonName}, ${team.divisionName}).${note}\n\n` +
              `Join the team: ${url}\n\nThis invitation expires on ${row.expiresAt.toUTCString()}.`,
          });
        } catch {
          throw new HttpProblem(
            502,
            'The mail server did not accept the invitation. Try again later.',
          );
        }
      }
      return { ...toInvite(row), url, ...(delivery && { delivery }) };
    },

    async revoke(tx: Tx, teamId: string, inviteId: string): Promise<void> {
      const team = await visibleTeam(tx, teamId);
      if (!team.isCaptain && !team.isOrganizer) {
        throw new HttpProblem(
          403,
          "Only this team's captains and the league's organizers can withdraw invitations.",
        );
      }
      const invite = await repo.find(tx, inviteId);
      if (!invite || invite.teamId !== teamId)
        throw notFound('There is no such invitation for this team.');
      await repo.revoke(tx, inviteId);
    },

    async preview(tx: Tx, token: string): Promise<InvitePreview> {
      const invite = await openInvite(tx, token);
      return {
        teamId: invite.teamId,
        teamName: invite.teamName,
        leagueName: invite.leagueName,
        seasonName: invite.seasonName,
        divisionName: invite.divisionName,
        invitedBy: invite.invitedBy ?? 'The team captain',
        expiresAt: invite.expiresAt.toISOString(),
        alreadyMember: invite.alreadyMember,
      };
    },

    /** Joins the team: the invite's use and the roster place are taken in one transaction. */
    async accept(tx: Tx, user: SessionUser, token: string): Promise<Team> {
      const invite = await openInvite(tx, token, { lock: true });
      // Join before counting the use: the roster policy admits only through an invite with a
      // use left, so counting the last use first would lock its own invitee out.
      // The team as it stands once joined: taking the use changes nothing it shows (the new
      // member sees the league through their membership), so it is not read again.
      const team = await joinTeam(tx, invite.teamId, user.id);
      if (!(await repo.takeUse(tx))) {
        throw new HttpProblem(410, GONE.used_up, { type: inviteGoneType('used_up') });
      }
      return team;
    },

    /** Declines a personal (e-mail) invitation; a shared link stays open for the others. */
    async decline(tx: Tx, token: string): Promise<void> {
      const invite = await openInvite(tx, token);
      if (invite.maxUses === 1) await repo.decline(tx);
    },
  };
}
