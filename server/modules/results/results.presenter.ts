import type { TeamMatchTotals as Totals } from '#domain/rules/scoring';
import { todayIn } from '#domain/rules/dates';
import type { LineView, MatchResult, TeamMatchTotals } from '#domain/schemas/results';
import type { Tx } from '../../db/database';
import type { SessionUser } from '../../plugins/session';
import type { MatchRow } from '../matches';
import { resultsRepository as repo } from './results.repository';
import { storedOf, type StoredLine } from './results.lines';

/** The acting user's standing in a match (see resultsRepository.access). */
export type Access = Awaited<ReturnType<typeof repo.access>>;

export function totalsView(t: unknown): TeamMatchTotals | null {
  if (!t || typeof t !== 'object') return null;
  const v = t as Totals;
  return {
    winner: v.winner,
    linesHome: v.linesHome,
    linesAway: v.linesAway,
    setsHome: v.setsHome,
    setsAway: v.setsAway,
    gamesHome: v.gamesHome,
    gamesAway: v.gamesAway,
  };
}

/**
 * The result view of a match already read; a write passes the user's standing it has checked, so
 * neither is read twice.
 */
export async function resultView(
  tx: Tx,
  user: SessionUser | null,
  match: MatchRow,
  known?: Access,
): Promise<MatchResult> {
  const matchId = match.id;
  const nobody: Access = { home: false, away: false, organizer: false };
  const [row, history, access] = await Promise.all([
    repo.find(tx, matchId),
    repo.history(tx, matchId),
    known ?? (user ? repo.access(tx, match) : nobody),
  ]);
  const stored = row ? storedOf(row) : [];
  const dispute = (row?.disputeLines as StoredLine[] | null) ?? null;
  const historyLines = history.map((h) => (h.lines as StoredLine[] | null) ?? []);
  const ids = new Set<string>();
  for (const l of [...stored, ...(dispute ?? []), ...historyLines.flat()]) {
    for (const id of [...l.homePlayers, ...l.awayPlayers]) ids.add(id);
  }
  if (row?.enteredBy) ids.add(row.enteredBy);
  if (row?.decidedBy) ids.add(row.decidedBy);
  const names = new Map(
    (await repo.names(tx, [...ids])).map((p) => [p.userId, p.displayName] as const),
  );
  const person = (id: string) => ({ id, name: names.get(id) ?? 'A former member' });
  const lineView = (l: StoredLine): LineView => ({
    kind: l.kind,
    line: l.line,
    homePlayers: l.homePlayers.map(person),
    awayPlayers: l.awayPlayers.map(person),
    outcome: l.result.outcome,
    sets: l.result.sets.map((s) => ({ home: s.home, away: s.away, tiebreak: s.tiebreak ?? null })),
    winner: l.result.winner,
    text: l.result.text,
  });

  const status = row?.status ?? 'none';
  const open = match.status !== 'cancelled' && match.matchDate <= todayIn(match.timeZone);
  const enteredByHome = row?.enteredTeamId === match.homeTeamId;
  const enteredMine = row ? (enteredByHome ? access.home : access.away) : false;
  const otherCaptain = row?.enteredTeamId ? (enteredByHome ? access.away : access.home) : false;
  return {
    matchId,
    status,
    homeTeam: { id: match.homeTeamId, name: match.homeName },
    awayTeam: { id: match.awayTeamId, name: match.awayName },
    lines: stored.map(lineView),
    totals: row ? totalsView(row.totals) : null,
    enteredBy:
      row?.enteredTeamId && row.enteredBy
        ? {
            teamId: row.enteredTeamId,
            name: names.get(row.enteredBy) ?? null,
            at: row.enteredAt.toISOString(),
          }
        : null,
    confirmBy: row?.status === 'pending' && row.confirmBy ? row.confirmBy.toISOString() : null,
    dispute:
      row?.status === 'disputed' && dispute && row.disputeTeamId && row.disputedAt
        ? {
            teamId: row.disputeTeamId,
            comment: row.disputeComment ?? '',
            lines: dispute.map(lineView),
            totals: totalsView(row.disputeTotals) ?? emptyTotals(),
            at: row.disputedAt.toISOString(),
          }
        : null,
    decided:
      row?.status === 'final' && row.decidedHow && row.decidedAt
        ? {
            how: row.decidedHow,
            by: row.decidedBy ? (names.get(row.decidedBy) ?? null) : null,
            at: row.decidedAt.toISOString(),
          }
        : null,
    version: row?.version ?? 0,
    can: {
      enter:
        open &&
        (status === 'none' ? access.home || access.away : status === 'pending' && enteredMine),
      confirm: open && status === 'pending' && otherCaptain,
      dispute: open && status === 'pending' && otherCaptain,
      settle: open && access.organizer && status !== 'final',
      correct: access.organizer && status === 'final',
    },
    history: history.map((h, i) => ({
      at: h.at.toISOString(),
      kind: h.kind,
      actor: h.actorId ? (h.displayName ?? 'A former member') : null,
      teamId: h.teamId,
      comment: h.comment,
      lines: h.lines ? (historyLines[i] ?? []).map(lineView) : null,
      totals: totalsView(h.totals),
    })),
  };
}

function emptyTotals(): TeamMatchTotals {
  return {
    winner: 'tie',
    linesHome: 0,
    linesAway: 0,
    setsHome: 0,
    setsAway: 0,
    gamesHome: 0,
    gamesAway: 0,
  };
}
