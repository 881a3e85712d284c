import type { Tx } from '../../db/database';

/** Players' answers and captains' lineups. Runs under row-level security. */
export const availabilityRepository = {
  async answer(
    tx: Tx,
    row: {
      match_id: string;
      team_id: string;
      user_id: string;
      answer: 'available' | 'maybe' | 'unavailable';
      note: string | null;
    },
  ): Promise<void> {
    await tx
      .insertInto('match_availability')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['match_id', 'user_id']).doUpdateSet({
          answer: row.answer,
          note: row.note,
          team_id: row.team_id,
          updated_at: new Date(),
        }),
      )
      .execute();
  },

  /** Every roster member of the team with their answer for the match (null: not answered). */
  grid(tx: Tx, matchId: string, teamId: string) {
    return tx
      .selectFrom('team_members as m')
      .leftJoin('people as p', 'p.user_id', 'm.user_id')
      .leftJoin('match_availability as a', (join) =>
        join.onRef('a.user_id', '=', 'm.user_id').on('a.match_id', '=', matchId),
      )
      .select(['m.user_id', 'p.display_name', 'm.status', 'a.answer', 'a.note'])
      .where('m.team_id', '=', teamId)
      .orderBy('p.display_name')
      .execute();
  },

  async replaceLineup(
    tx: Tx,
    matchId: string,
    teamId: string,
    slots: { kind: 'singles' | 'doubles'; line: number; seat: number; user_id: string }[],
  ): Promise<void> {
    await tx
      .deleteFrom('lineup_slots')
      .where('match_id', '=', matchId)
      .where('team_id', '=', teamId)
      .execute();
    if (slots.length === 0) return;
    await tx
      .insertInto('lineup_slots')
      .values(slots.map((s) => ({ ...s, match_id: matchId, team_id: teamId })))
      .execute();
  },

  lineup(tx: Tx, matchId: string, teamId: string) {
    return tx
      .selectFrom('lineup_slots as l')
      .leftJoin('people as p', 'p.user_id', 'l.user_id')
      .select(['l.kind', 'l.line', 'l.seat', 'l.user_id', 'p.display_name'])
      .where('l.match_id', '=', matchId)
      .where('l.team_id', '=', teamId)
      .orderBy('l.kind', 'desc')
      .orderBy('l.line')
      .orderBy('l.seat')
      .execute();
  },
};
