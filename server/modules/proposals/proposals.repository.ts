import { sql } from 'kysely';
import type { Tx } from '../../db/database';

/** Captains' date proposals. Runs under row-level security. */
export const proposalsRepository = {
  list(tx: Tx, matchId: string) {
    return tx
      .selectFrom('match_proposals as p')
      .leftJoin('people as u', 'u.user_id', 'p.proposed_by')
      .select([
        'p.id',
        'p.match_id',
        'p.team_id',
        'u.display_name',
        sql<string>`p.match_date::text`.as('match_date'),
        sql<string>`to_char(p.start_time, 'HH24:MI')`.as('start_time'),
        'p.message',
        'p.status',
        'p.created_at',
      ])
      .where('p.match_id', '=', matchId)
      .orderBy('p.created_at', 'desc')
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
      .insertInto('match_proposals')
      .values({
        match_id: p.matchId,
        team_id: p.teamId,
        proposed_by: p.userId,
        match_date: p.date,
        start_time: p.startTime,
        message: p.message,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  },

  matchOf(tx: Tx, proposalId: string) {
    return tx
      .selectFrom('match_proposals')
      .select('match_id')
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
