import type { z } from 'zod';
import type { Proposal, ProposalInput } from '#domain/schemas/proposals';
import type { Tx } from '../../db/database';
import { badRequest, conflict, forbidden, notFound } from '../../plugins/problem';
import type { SessionUser } from '../../plugins/session';
import { todayIn } from '#domain/rules/dates';
import { assertOpen, assertSlotFree, lockDivision, slotOf, visibleMatch } from '../matches';
import { getTeam } from '../teams';
import { proposalsRepository as repo } from './proposals.repository';

export async function listProposals(tx: Tx, matchId: string): Promise<Proposal[]> {
  await visibleMatch(tx, matchId);
  return (await repo.list(tx, matchId)).map((p) => ({
    ...p,
    createdAt: p.createdAt.toISOString(),
  }));
}

/** A captain of one of the two teams proposes a new date; one open proposal a match. */
export async function propose(
  tx: Tx,
  user: SessionUser,
  matchId: string,
  input: z.output<typeof ProposalInput>,
): Promise<Proposal[]> {
  const match = await visibleMatch(tx, matchId);
  assertOpen(match, 'it cannot be moved.');
  if (input.date < todayIn(match.timeZone)) {
    throw badRequest('The proposed date is in the past.', [
      { field: 'date', message: 'In the past' },
    ]);
  }
  let team: string | undefined;
  for (const id of [match.homeTeamId, match.awayTeamId]) {
    const t = await getTeam(tx, id);
    if (t.members.some((m) => m.userId === user.id && m.role !== 'player')) team = id;
  }
  if (!team) throw forbidden("Only the two teams' captains propose new dates.");
  const open = (await repo.list(tx, matchId)).some((p) => p.status === 'open');
  if (open) throw conflict('A proposal for this match is already waiting for an answer.');
  await assertSlotFree(tx, match.leagueId, {
    ...slotOf(match),
    date: input.date,
    startTime: input.startTime,
  });
  await repo.insert(tx, {
    matchId,
    teamId: team,
    userId: user.id,
    date: input.date,
    startTime: input.startTime,
    message: input.message || null,
  });
  return listProposals(tx, matchId);
}

const REFUSED: Record<string, () => Error> = {
  not_open: () => conflict('This proposal is no longer open.'),
  forbidden: () =>
    forbidden("Only the other team's captains answer a proposal (its maker may withdraw it)."),
  not_playable: () => conflict('The match was cancelled or played meanwhile.'),
};

/**
 * The other team's captain accepts (the match moves) or declines; the proposer may withdraw.
 * An accepted date is checked again (other matches may have taken the slot since it was
 * proposed): on a clash the whole transaction, the move included, is undone with a 409.
 */
export async function decide(
  tx: Tx,
  proposalId: string,
  decision: 'accepted' | 'declined' | 'withdrawn',
): Promise<Proposal[]> {
  const proposal = await repo.matchOf(tx, proposalId);
  if (!proposal) throw notFound('There is no such proposal.');
  // The division's lock before the database function locks the match's row, as in every move.
  const accepting = decision === 'accepted';
  if (accepting) await lockDivision(tx, (await visibleMatch(tx, proposal.matchId)).divisionId);
  const outcome = await repo.decide(tx, proposalId, decision);
  const refusal = REFUSED[outcome];
  if (refusal) throw refusal();
  if (accepting) {
    const moved = await visibleMatch(tx, proposal.matchId);
    await assertSlotFree(tx, moved.leagueId, slotOf(moved));
  }
  return listProposals(tx, proposal.matchId);
}
