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
  const dispute = (row?.dispute_lines as StoredLine[] | null) ?? null;
  const historyLines = history.map((h) => (h.lines as StoredLine[] | null) ?? []);
  const ids = new Set<string>();
  for (const l of [...stored, ...(dispute ?? []), ...historyLines.flat()]) {
    for (const id of [...l.homePlayers, ...l.awayPlayers]) ids.add(id);
  }
  if (row?.entered_by) ids.add(row.entered_by);
  if (row?.decided_by) ids.add(row.decided_by);
  const names = new Map(
    (await repo.names(tx, [...ids])).map((p) => [p.user_id, p.display_name] as const),
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
  const open = match.status !== 'cancelled' && match.match_date <= todayIn(match.time_zone);
  const enteredByHome = row?.entered_team_id === match.home_team_id;
  const enteredMine = row ? (enteredByHome ? access.home : access.away) : false;
  const otherCaptain = row?.entered_team_id ? (enteredByHome ? access.away : access.home) : false;
  return {
    matchId,
    status,
    homeTeam: { id: match.home_team_id, name: match.home_name },
    awayTeam: { id: match.away_team_id, name: match.away_name },
    lines: stored.map(lineView),
    totals: row ? totalsView(row.totals) : null,
    enteredBy:
      row?.entered_team_id && row.entered_by
        ? {
            teamId: row.entered_team_id,
            name: names.get(row.entered_by) ?? null,
            at: row.entered_at.toISOString(),
          }
        : null,
    confirmBy: row?.status === 'pending' && row.confirm_by ? row.confirm_by.toISOString() : null,
    dispute:
      row?.status === 'disputed' && dispute && row.dispute_team_id && row.disputed_at
        ? {
            teamId: row.dispute_team_id,
            comment: row.dispute_comment ?? '',
            lines: dispute.map(lineView),
            totals: totalsView(row.dispute_totals) ?? emptyTotals(),
            at: row.disputed_at.toISOString(),
          }
        : null,
    decided:
      row?.status === 'final' && row.decided_how && row.decided_at
        ? {
            how: row.decided_how,
            by: row.decided_by ? (names.get(row.decided_by) ?? null) : null,
            at: row.decided_at.toISOString(),
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
      actor: h.actor_id ? (h.display_name ?? 'A former member') : null,
      teamId: h.team_id,
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
