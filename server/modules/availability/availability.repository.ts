import type { Insertable } from 'kysely';
import type { MatchFormat } from '#domain/schemas/leagues';
import type { Tx } from '../../db/database';
import type { LineupSlotsTable, MatchAvailabilityTable } from '../../db/schema';

/** Players' answers and captains' lineups, with camelCase names. Runs under row-level security. */
export const availabilityRepository = {
  /** The match format of a league the user sees (the lineup's lines come from it). */
  async format(tx: Tx, leagueId: string): Promise<MatchFormat | undefined> {
    const row = await tx
      .selectFrom('leagues')
      .select('format')
      .where('id', '=', leagueId)
      .executeTakeFirst();
    return row?.format as MatchFormat | undefined;
  },

  async answer(tx: Tx, row: Omit<Insertable<MatchAvailabilityTable>, 'updatedAt'>): Promise<void> {
    await tx
      .insertInto('matchAvailability')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['matchId', 'userId']).doUpdateSet({
          answer: row.answer,
          note: row.note,
          teamId: row.teamId,
          updatedAt: new Date(),
        }),
      )
      .execute();
  },

  /** Every roster member of the team with their answer for the match (null: not answered). */
  grid(tx: Tx, matchId: string, teamId: string) {
    return tx
      .selectFrom('teamMembers as m')
      .leftJoin('people as p', 'p.userId', 'm.userId')
      .leftJoin('matchAvailability as a', (join) =>
        join.onRef('a.userId', '=', 'm.userId').on('a.matchId', '=', matchId),
      )
      .select(['m.userId', 'p.displayName', 'm.status', 'a.answer', 'a.note'])
      .where('m.teamId', '=', teamId)
      .orderBy('p.displayName')
      .execute();
  },

  async replaceLineup(
    tx: Tx,
    matchId: string,
    teamId: string,
    slots: Omit<Insertable<LineupSlotsTable>, 'matchId' | 'teamId'>[],
  ): Promise<void> {
    const db = tx;
    await db
      .deleteFrom('lineupSlots')
      .where('matchId', '=', matchId)
      .where('teamId', '=', teamId)
      .execute();
    if (slots.length === 0) return;
    await db
      .insertInto('lineupSlots')
      .values(slots.map((s) => ({ ...s, matchId, teamId })))
      .execute();
  },

  lineup(tx: Tx, matchId: string, teamId: string) {
    return tx
      .selectFrom('lineupSlots as l')
      .leftJoin('people as p', 'p.userId', 'l.userId')
      .select(['l.kind', 'l.line', 'l.seat', 'l.userId', 'p.displayName'])
      .where('l.matchId', '=', matchId)
      .where('l.teamId', '=', teamId)
      .orderBy('l.kind', 'desc')
      .orderBy('l.line')
      .orderBy('l.seat')
      .execute();
  },
};
