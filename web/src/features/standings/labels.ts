import type { Standings, StandingsRulesInput } from '#domain/schemas/standings';

export type DecidedBy = NonNullable<Standings['rows'][number]['decidedBy']>;
export type TiebreakerName = StandingsRulesInput['tiebreakers'][number];

/** Tiebreakers as a sentence names them: "…separated by head-to-head". */
export const TIEBREAKER_LABELS: Record<TiebreakerName, string> = {
  head_to_head: 'head-to-head results between them',
  lines_pct: 'share of lines won',
  sets_pct: 'share of sets won',
  games_pct: 'share of games won',
  fewest_forfeits: 'fewest lines forfeited',
};

/** Short names for lists and buttons. */
export const TIEBREAKER_NAMES: Record<TiebreakerName, string> = {
  head_to_head: 'Head-to-head',
  lines_pct: 'Lines won %',
  sets_pct: 'Sets won %',
  games_pct: 'Games won %',
  fewest_forfeits: 'Fewest forfeits',
};

const DASH = '\u2013';

export function wonLost(won: number, lost: number): string {
  return `${won}${DASH}${lost}`;
}

/** How the points are given, in words: "2 points a match win, 1 a tie, 0 a loss". */
export function pointsRule(rules: StandingsRulesInput): string {
  const per = rules.pointsFor === 'matches' ? 'team match' : 'line';
  return `${rules.win} points for a ${per} won, ${rules.tie} for a tie, ${rules.loss} for a loss`;
}

/**
 * Sentences under the table naming what separated teams level on points. `decidedBy` says what put
 * a team above the next row: "Riverside Aces are above Lakeside Lobbers on head-to-head results".
 */
export function tiebreakNotes(rows: Standings['rows']): string[] {
  const notes: string[] = [];
  rows.forEach((row, i) => {
    const below = rows[i + 1];
    const by = row.decidedBy as DecidedBy | null;
    if (!below || !by || by === 'points') return;
    notes.push(`${row.team.name} are above ${below.team.name} on ${TIEBREAKER_LABELS[by]}.`);
  });
  return notes;
}
