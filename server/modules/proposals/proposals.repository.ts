import { sql } from 'kysely';
import type { Tx } from '../../db/database';

/** Captains' date proposals, with camelCase names. Runs under row-level security. */
export const proposalsRepository = {
  list(tx: Tx, matchId: string) {
    return tx
      .selectFrom('matchProposals as p')
      .leftJoin('people as u', 'u.userId', 'p.proposedBy')
      .select([
        'p.id',
        'p.matchId',
        'p.teamId',
        'u.displayName as proposedBy',
        sql<string>`p.match_date::text`.as('date'),
        sql<string>`to_char(p.start_time, 'HH24:MI')`.as('startTime'),
        'p.message',
        'p.status',
        'p.createdAt',
      ])
      .where('p.matchId', '=', matchId)
      .orderBy('p.createdAt', 'desc')
      .execute();
  },

  async insert(
    tx: Tx,
    p: {
      matchId: string;
      teamId: string;
      userId: string;
      date: string;
      startTime: string;
      message: string | null;
    },
  ): Promise<string> {
    const row = await tx
      .insertInto('matchProposals')
      .values({
        matchId: p.matchId,
        teamId: p.teamId,
        proposedBy: p.userId,
        matchDate: p.date,
        startTime: p.startTime,
        message: p.message,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  },

  matchOf(tx: Tx, proposalId: string) {
    return tx
      .selectFrom('matchProposals')
      .select('matchId')
      .where('id', '=', proposalId)
      .executeTakeFirst();
  },

  /** Accepts, declines or withdraws; the database function checks who may. */
  async decide(
    tx: Tx,
    proposalId: string,
    decision: 'accepted' | 'declined' | 'withdrawn',
  ): Promise<string> {
    const result = await sql<{
      outcome: string;
    }>`select app_decide_proposal(${proposalId}, ${decision}) as outcome`.execute(tx);
    return result.rows[0]?.outcome ?? 'not_open';
  },
};
