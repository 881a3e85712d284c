import type {
  LineKind,
  LineOutcome,
  ResultEventKind,
  ResultStatus,
  TeamMatchTotals,
  TeamSide,
} from '#domain/schemas/results';

/** "Singles line 1": the same words as the team sheet's lineup. */
export function lineName(kind: LineKind, line: number): string {
  return `${kind === 'singles' ? 'Singles' : 'Doubles'} line ${line}`;
}

export const OUTCOME_LABELS: Record<LineOutcome, string> = {
  completed: 'Played out',
  retired: 'Retired (a player stopped)',
  walkover: 'Walkover (no show)',
  default: 'Default (a side was defaulted)',
};

export const RESULT_STATUS_LABELS: Record<ResultStatus, string> = {
  none: 'No result yet',
  pending: 'Waiting for confirmation',
  disputed: 'Disputed',
  final: 'Final',
};

export const EVENT_LABELS: Record<ResultEventKind, string> = {
  entered: 'Score entered',
  reentered: 'Score entered again',
  confirmed: 'Confirmed',
  disputed: 'Disputed',
  auto_confirmed: 'Confirmed automatically',
  settled: 'Settled by the organizer',
  corrected: 'Corrected by the organizer',
};

export const DECIDED_LABELS = {
  confirmed: 'confirmed by the other captain',
  auto_confirmed: 'confirmed automatically after the deadline',
  settled: 'settled by the organizer',
  corrected: 'corrected by the organizer',
} as const;

const DASH = '\u2013';

/** The team match score, home first: "3–2" (lines). */
export function scoreText(totals: Pick<TeamMatchTotals, 'linesHome' | 'linesAway'>): string {
  return `${totals.linesHome}${DASH}${totals.linesAway}`;
}

/**
 * The team match from one side's point of view: "Won 3–2", "Lost 1–4", "Tied 2–2"; the side's
 * lines first.
 */
export function resultFor(totals: TeamMatchTotals, side: TeamSide): string {
  const mine = side === 'home' ? totals.linesHome : totals.linesAway;
  const theirs = side === 'home' ? totals.linesAway : totals.linesHome;
  const word = totals.winner === 'tie' ? 'Tied' : totals.winner === side ? 'Won' : 'Lost';
  return `${word} ${mine}${DASH}${theirs}`;
}

export { formatInstant } from '../../lib/dates';
