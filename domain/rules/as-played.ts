import type { MatchFormat } from '../schemas/leagues';

/** One stored set of a line, home first (`line_results.sets`). */
export interface StoredSet {
  home: number;
  away: number;
  tiebreak?: number | null;
}

/** Sets and games a line actually had, home first: what the player page counts. */
export interface PlayedTotals {
  setsHome: number;
  setsAway: number;
  gamesHome: number;
  gamesAway: number;
}

/** A match tiebreak is first to 10 points, two clear (as domain/rules/scoring enters it). */
const MATCH_TIEBREAK_POINTS = 10;

/**
 * The sets and games of a line as played, from its stored sets, unlike the totals credited for
 * standings (a walkover's 6-0 6-0, a retirement's unfinished set completed for the winner).
 * Scores were checked against `format` when entered, so only two things need the format here:
 * whether the deciding set was a match tiebreak (its points are one game to its winner, as the
 * rating engine counts it) and whether the last set of a retired or defaulted line was finished
 * (an unfinished set is nobody's set, but its games were played).
 */
export function playedTotals(
  sets: readonly StoredSet[],
  outcome: 'completed' | 'retired' | 'walkover' | 'default',
  format: Pick<MatchFormat, 'bestOfSets' | 'gamesPerSet' | 'tiebreakAt' | 'finalSet'>,
): PlayedTotals {
  const totals: PlayedTotals = { setsHome: 0, setsAway: 0, gamesHome: 0, gamesAway: 0 };
  sets.forEach((set, i) => {
    const matchTiebreak =
      format.finalSet === 'match_tiebreak' && format.bestOfSets >= 3 && i === format.bestOfSets - 1;
    const w = Math.max(set.home, set.away);
    const l = Math.min(set.home, set.away);
    // Every set but the last of a stopped line was finished (the score check made sure).
    const stoppedHere = outcome !== 'completed' && i === sets.length - 1;
    const finished = !stoppedHere
      ? w > l
      : matchTiebreak
        ? w >= MATCH_TIEBREAK_POINTS && w - l >= 2
        : (w >= format.gamesPerSet && w - l >= 2) ||
          (format.tiebreakAt !== null && w === format.tiebreakAt + 1 && l === format.tiebreakAt);
    const homeWon = set.home > set.away;
    if (finished) {
      if (homeWon) totals.setsHome++;
      else totals.setsAway++;
    }
    if (matchTiebreak) {
      if (finished) {
        if (homeWon) totals.gamesHome++;
        else totals.gamesAway++;
      }
    } else {
      totals.gamesHome += set.home;
      totals.gamesAway += set.away;
    }
  });
  return totals;
}
