import { sql } from 'kysely';
import type { Tx } from '../../db/database';

/** An invite as its team's managers see it (never its token hash). */
const inviteColumns = [
  'id',
  'teamId',
  'kind',
  'email',
  'maxUses',
  'uses',
  'expiresAt',
  'revokedAt',
  'declinedAt',
  'createdAt',
] as const;

/** Team invites, with camelCase names. Runs under row-level security; a token holder reaches an invite via `actAs`. */
export const invitesRepository = {
  /** Lets this transaction act as the holder of the invite whose token hashes to `tokenHash`. */
  async actAs(tx: Tx, tokenHash: string): Promise<void> {
    await sql`select set_config('app.invite_token', ${tokenHash}, true)`.execute(tx);
  },

  /**
   * Waits for any other transaction accepting the same invite to end, then holds it off until
   * this one ends (issue #10, finding 7). Under READ COMMITTED every later statement then sees the
   * uses the earlier acceptance took, so the loser reads a used-up invite (410) instead of an
   * invite, team and private league that vanish between two of its statements.
   */
  async lockHeld(tx: Tx, tokenHash: string): Promise<void> {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`invite:${tokenHash}`}, 0))`.execute(
      tx,
    );
  },

  async insert(
    tx: Tx,
    invite: {
      teamId: string;
      tokenHash: string;
      kind: 'link' | 'email';
      email: string | null;
      message: string | null;
      maxUses: number;
      expiresAt: Date;
      createdBy: string;
    },
  ): Promise<string> {
    const row = await tx
      .insertInto('teamInvites')
      .values({
        teamId: invite.teamId,
        tokenHash: invite.tokenHash,
        kind: invite.kind,
        email: invite.email,
        message: invite.message,
        maxUses: invite.maxUses,
        expiresAt: invite.expiresAt,
        createdBy: invite.createdBy,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  },

  async list(tx: Tx, teamId: string) {
    return tx
      .selectFrom('teamInvites')
      .select(inviteColumns)
      .where('teamId', '=', teamId)
      .orderBy('createdAt', 'desc')
      .limit(100)
      .execute();
  },

  async find(tx: Tx, inviteId: string) {
    return tx
      .selectFrom('teamInvites')
      .select(inviteColumns)
      .where('id', '=', inviteId)
      .executeTakeFirst();
  },

  /** The invite with this token, with what its holder is shown before deciding. */
  async findByToken(tx: Tx, tokenHash: string) {
    return tx
      .selectFrom('teamInvites as i')
      .innerJoin('teams as t', 't.id', 'i.teamId')
      .innerJoin('divisions as d', 'd.id', 't.divisionId')
      .innerJoin('seasons as s', 's.id', 'd.seasonId')
      .innerJoin('leagues as l', 'l.id', 's.leagueId')
      .select([
        'i.id',
        'i.teamId',
        'i.maxUses',
        'i.uses',
        'i.expiresAt',
        'i.revokedAt',
        'i.declinedAt',
        't.name as teamName',
        'd.name as divisionName',
        's.name as seasonName',
        'l.name as leagueName',
        sql<string | null>`(select display_name from people where user_id = i.created_by)`.as(
          'invitedBy',
        ),
        sql<boolean>`app_is_team_member(t.id)`.as('alreadyMember'),
      ])
      .where('i.tokenHash', '=', tokenHash)
      .executeTakeFirst();
  },

  /** Counts one use of the held invite, only while it is open; false if it was not. */
  async takeUse(tx: Tx): Promise<boolean> {
    const result = await sql<{ ok: boolean }>`select app_take_invite_use() as ok`.execute(tx);
    return result.rows[0]?.ok === true;
  },

  /** The held invite's state, whatever its team's league (the token shows the invite itself). */
  async state(tx: Tx, tokenHash: string) {
    return tx
      .selectFrom('teamInvites')
      .select(['id', 'maxUses', 'uses', 'expiresAt', 'revokedAt', 'declinedAt'])
      .where('tokenHash', '=', tokenHash)
      .executeTakeFirst();
  },

  async revoke(tx: Tx, inviteId: string): Promise<void> {
    await tx
      .updateTable('teamInvites')
      .set({ revokedAt: new Date() })
      .where('id', '=', inviteId)
      .where('revokedAt', 'is', null)
      .execute();
  },

  /** Declines the held personal invite (single use, unused). */
  async decline(tx: Tx): Promise<void> {
    await sql`select app_decline_invite()`.execute(tx);
  },
};
