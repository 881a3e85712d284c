import { describe, expect, it } from 'vitest';
import { DEFAULT_MATCH_FORMAT } from '../schemas/leagues';
import { playedTotals } from './as-played';

// Best of 3, sets to 6 with a tiebreak at 6-6, a match tiebreak instead of a third set.
const format = DEFAULT_MATCH_FORMAT;

describe('sets and games as played', () => {
  it('a completed line counts every set and game; a match tiebreak is one game', () => {
    expect(
      playedTotals(
        [
          { home: 6, away: 4 },
          { home: 6, away: 7, tiebreak: 5 },
          { home: 10, away: 7 },
        ],
        'completed',
        format,
      ),
    ).toEqual({ setsHome: 2, setsAway: 1, gamesHome: 13, gamesAway: 11 });
  });

  it('a retirement counts the unfinished set as nobody’s, but its games as played', () => {
    expect(
      playedTotals(
        [
          { home: 6, away: 3 },
          { home: 2, away: 1 },
        ],
        'retired',
        format,
      ),
    ).toEqual({ setsHome: 1, setsAway: 0, gamesHome: 8, gamesAway: 4 });
    // Retired between sets: the last set entered was finished.
    expect(playedTotals([{ home: 3, away: 6 }], 'retired', format)).toEqual({
      setsHome: 0,
      setsAway: 1,
      gamesHome: 3,
      gamesAway: 6,
    });
    // Stopped at 6-6 before the tiebreak, and 7-6 after it.
    expect(playedTotals([{ home: 6, away: 6 }], 'default', format).setsHome).toBe(0);
    expect(playedTotals([{ home: 7, away: 6, tiebreak: 3 }], 'default', format).setsHome).toBe(1);
    // An unfinished match tiebreak adds no game.
    expect(
      playedTotals(
        [
          { home: 6, away: 4 },
          { home: 4, away: 6 },
          { home: 8, away: 6 },
        ],
        'retired',
        format,
      ),
    ).toEqual({ setsHome: 1, setsAway: 1, gamesHome: 10, gamesAway: 10 });
  });

  it('a walkover, or a default before a ball was struck, had nothing', () => {
    const none = { setsHome: 0, setsAway: 0, gamesHome: 0, gamesAway: 0 };
    expect(playedTotals([], 'walkover', format)).toEqual(none);
    expect(playedTotals([], 'default', format)).toEqual(none);
  });

  it('without a match tiebreak the third set is a set of games', () => {
    expect(
      playedTotals(
        [
          { home: 4, away: 6 },
          { home: 6, away: 2 },
          { home: 10, away: 8 },
        ],
        'completed',
        { ...format, finalSet: 'full_set', tiebreakAt: null },
      ),
    ).toEqual({ setsHome: 2, setsAway: 1, gamesHome: 20, gamesAway: 16 });
  });
});
