import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MATCH_FORMAT, type MatchFormat } from '../schemas/leagues';
import {
  checkLineScore,
  teamMatchResult,
  type LineResult,
  type LineScoreInput,
  type SetInput,
  type Side,
} from './scoring';

/** Tennis: sets to 6, tiebreak at 6-6, best of 3 with a match tiebreak deciding. */
const TENNIS = DEFAULT_MATCH_FORMAT;
const TENNIS_FULL: MatchFormat = { ...TENNIS, finalSet: 'full_set' };
const FAST4: MatchFormat = { ...TENNIS_FULL, gamesPerSet: 4, tiebreakAt: 3 };
const PICKLEBALL: MatchFormat = {
  ...TENNIS_FULL,
  gamesPerSet: 11,
  tiebreakAt: null,
  bestOfSets: 3,
};
const PRO_SET: MatchFormat = { ...TENNIS_FULL, gamesPerSet: 8, tiebreakAt: 8, bestOfSets: 1 };

const s = (home: number, away: number, tiebreak?: number | null): SetInput =>
  tiebreak === undefined ? { home, away } : { home, away, tiebreak };

/** Checks one set alone, in a best-of-1 version of the format, so only the set rules apply. */
function oneSet(format: MatchFormat, set: SetInput) {
  return checkLineScore(
    { ...format, bestOfSets: 1, finalSet: 'full_set' },
    { outcome: 'completed', sets: [set] },
  );
}

function accepted(format: MatchFormat, input: LineScoreInput): LineResult {
  const r = checkLineScore(format, input);
  if (!r.ok) throw new Error(`expected ${JSON.stringify(input)} to pass: ${JSON.stringify(r)}`);
  return r.result;
}

function problemsOf(format: MatchFormat, input: LineScoreInput) {
  const r = checkLineScore(format, input);
  if (r.ok) throw new Error(`expected ${JSON.stringify(input)} to fail`);
  return r.problems;
}

const paths = (format: MatchFormat, input: LineScoreInput) =>
  problemsOf(format, input).map((p) => p.path);

describe('set rules', () => {
  it('tennis (6 games, tiebreak at 6): 6-0 to 6-4, 7-5 and 7-6 are sets, either way round', () => {
    for (const [w, l] of [
      [6, 0],
      [6, 1],
      [6, 2],
      [6, 3],
      [6, 4],
      [7, 5],
      [7, 6],
    ] as const) {
      expect(oneSet(TENNIS, s(w, l)).ok).toBe(true);
      expect(oneSet(TENNIS, s(l, w)).ok).toBe(true);
    }
  });

  it('tennis: 6-5, 8-6, 7-3, 7-7, 5-3 and 6-6 are not finished sets', () => {
    for (const [h, a] of [
      [6, 5],
      [8, 6],
      [7, 3],
      [7, 7],
      [5, 3],
      [6, 6],
      [5, 6],
    ] as const) {
      const problems = problemsOf(TENNIS, { outcome: 'completed', sets: [s(h, a), s(6, 0)] });
      expect(problems[0]?.path).toEqual(['sets', 0]);
      expect(problems[0]?.message).toContain(`Set 1: ${h}-${a} is not a`);
    }
  });

  it('says why 6-5 is not a set and how a tennis set is won', () => {
    expect(problemsOf(TENNIS, { outcome: 'completed', sets: [s(6, 3), s(6, 5)] })).toEqual([
      {
        path: ['sets', 1],
        message:
          'Set 2: 6-5 is not a finished set; a set is won 6-0 to 6-4, 7-5, or 7-6 after a tiebreak at 6-6 (if play stopped, enter the line as retired or default)',
      },
    ]);
    expect(problemsOf(TENNIS, { outcome: 'completed', sets: [s(8, 6), s(6, 3)] })).toEqual([
      {
        path: ['sets', 0],
        message:
          'Set 1: 8-6 is not a possible set score; a set is won 6-0 to 6-4, 7-5, or 7-6 after a tiebreak at 6-6',
      },
    ]);
  });

  it('a 7-6 set keeps the tiebreak loser’s points; 7-5 and 6-4 refuse them', () => {
    const r = accepted(TENNIS_FULL, {
      outcome: 'completed',
      sets: [s(7, 6, 5), s(3, 6), s(6, 7, 0)],
    });
    expect(r.text).toBe('7-6(5) 3-6 6-7(0)');
    expect(r.sets).toEqual([s(7, 6, 5), s(3, 6), s(6, 7, 0)]);

    expect(problemsOf(TENNIS, { outcome: 'completed', sets: [s(7, 5, 3), s(6, 4, 2)] })).toEqual([
      {
        path: ['sets', 0, 'tiebreak'],
        message: 'Set 1: tiebreak points go only with a set decided by a tiebreak (7-6), not 7-5',
      },
      {
        path: ['sets', 1, 'tiebreak'],
        message: 'Set 2: tiebreak points go only with a set decided by a tiebreak (7-6), not 6-4',
      },
    ]);
  });

  it('drops a null tiebreak from a set that needs none, and a 7-6 may omit its points', () => {
    const r = accepted(TENNIS, { outcome: 'completed', sets: [s(6, 4, null), s(7, 6, null)] });
    expect(r.sets).toEqual([s(6, 4), s(7, 6)]);
    expect(r.sets[0]).not.toHaveProperty('tiebreak');
    expect(r.text).toBe('6-4 7-6');
  });

  it('refuses games and tiebreak points that are not whole numbers from 0 to 99', () => {
    expect(
      paths(
        { ...TENNIS_FULL, bestOfSets: 5 },
        {
          outcome: 'completed',
          sets: [s(-1, 6), s(6, 4.5), s(100, 6), s(7, 6, 100), s(7, 6, -2)],
        },
      ),
    ).toEqual([
      ['sets', 0, 'home'],
      ['sets', 1, 'away'],
      ['sets', 2, 'home'],
      ['sets', 3, 'tiebreak'],
      ['sets', 4, 'tiebreak'],
    ]);
    expect(problemsOf(TENNIS, { outcome: 'completed', sets: [s(6, 2), s(6, Number.NaN)] })).toEqual(
      [
        {
          path: ['sets', 1, 'away'],
          message: 'Set 2: away games must be a whole number from 0 to 99',
        },
      ],
    );
  });

  it('Fast4 (4 games, tiebreak at 3): 4-0 to 4-2 and 4-3 are sets; 5-3, 5-4 and 3-3 are not', () => {
    for (const [w, l] of [
      [4, 0],
      [4, 1],
      [4, 2],
      [4, 3],
    ] as const) {
      expect(oneSet(FAST4, s(w, l)).ok).toBe(true);
    }
    expect(oneSet(FAST4, s(4, 3, 5)).ok).toBe(true);
    for (const [h, a] of [
      [5, 3],
      [5, 4],
      [3, 3],
      [4, 4],
      [3, 2],
    ] as const) {
      expect(oneSet(FAST4, s(h, a)).ok).toBe(false);
    }
    expect(problemsOf(FAST4, { outcome: 'completed', sets: [s(5, 3), s(4, 0)] })[0]?.message).toBe(
      'Set 1: 5-3 is not a possible set score; a set is won 4-0 to 4-2, or 4-3 after a tiebreak at 3-3',
    );
    expect(paths(FAST4, { outcome: 'completed', sets: [s(4, 2, 3), s(4, 0)] })).toEqual([
      ['sets', 0, 'tiebreak'],
    ]);
  });

  it('pickleball (11, no tiebreak): 11-0 to 11-9 and two clear beyond 11 are games', () => {
    for (const [w, l] of [
      [11, 0],
      [11, 9],
      [12, 10],
      [15, 13],
      [30, 28],
    ] as const) {
      expect(oneSet(PICKLEBALL, s(w, l)).ok).toBe(true);
      expect(oneSet(PICKLEBALL, s(l, w)).ok).toBe(true);
    }
    for (const [h, a] of [
      [11, 10],
      [12, 9],
      [13, 10],
      [10, 8],
      [12, 12],
      [14, 11],
    ] as const) {
      expect(oneSet(PICKLEBALL, s(h, a)).ok).toBe(false);
    }
    expect(problemsOf(PICKLEBALL, { outcome: 'completed', sets: [s(11, 10), s(11, 2)] })).toEqual([
      {
        path: ['sets', 0],
        message:
          'Set 1: 11-10 is not a finished set; a set is won 11-0 to 11-9, or by two games from 10-10 on (12-10, 13-11 and so on) (if play stopped, enter the line as retired or default)',
      },
    ]);
  });

  it('pickleball plays a full deciding game and has no tiebreak points', () => {
    const r = accepted(PICKLEBALL, {
      outcome: 'completed',
      sets: [s(11, 7), s(9, 11), s(13, 11)],
    });
    expect(r).toMatchObject({
      winner: 'home',
      setsHome: 2,
      setsAway: 1,
      gamesHome: 33,
      gamesAway: 29,
      text: '11-7 9-11 13-11',
      ratingGames: { home: 33, away: 29 },
    });
    expect(
      problemsOf(PICKLEBALL, { outcome: 'completed', sets: [s(12, 10, 4), s(11, 0)] }),
    ).toEqual([
      {
        path: ['sets', 0, 'tiebreak'],
        message: 'Set 1: this league plays no tiebreaks, so 12-10 has no tiebreak points',
      },
    ]);
  });

  it('a pro set (best of 1, 8 games, tiebreak at 8): 8-0 to 8-6, 9-7 and 9-8 are sets', () => {
    for (const [w, l] of [
      [8, 0],
      [8, 6],
      [9, 7],
      [9, 8],
    ] as const) {
      expect(accepted(PRO_SET, { outcome: 'completed', sets: [s(l, w)] }).winner).toBe('away');
    }
    expect(accepted(PRO_SET, { outcome: 'completed', sets: [s(9, 8, 4)] }).text).toBe('9-8(4)');
    for (const [h, a] of [
      [8, 7],
      [10, 8],
      [9, 6],
      [8, 8],
      [6, 4],
    ] as const) {
      expect(checkLineScore(PRO_SET, { outcome: 'completed', sets: [s(h, a)] }).ok).toBe(false);
    }
    expect(paths(PRO_SET, { outcome: 'completed', sets: [s(8, 3), s(8, 2)] })).toEqual([
      ['sets', 1],
    ]);
  });
});

describe('match tiebreak', () => {
  it('a deciding match tiebreak is won 10-0 to 10-8, or by two from 9-9 on', () => {
    for (const [w, l] of [
      [10, 0],
      [10, 8],
      [11, 9],
      [12, 10],
      [15, 13],
    ] as const) {
      expect(
        checkLineScore(TENNIS, { outcome: 'completed', sets: [s(6, 4), s(3, 6), s(w, l)] }).ok,
      ).toBe(true);
    }
    for (const [h, a] of [
      [10, 9],
      [11, 8],
      [9, 7],
      [13, 10],
      [10, 10],
    ] as const) {
      expect(paths(TENNIS, { outcome: 'completed', sets: [s(6, 4), s(3, 6), s(h, a)] })).toEqual([
        ['sets', 2],
      ]);
    }
    expect(
      problemsOf(TENNIS, { outcome: 'completed', sets: [s(6, 4), s(3, 6), s(10, 9)] })[0]?.message,
    ).toBe(
      'Set 3: 10-9 is not a finished match tiebreak; a match tiebreak is won 10-0 to 10-8, or by two points from 9-9 on (11-9, 12-10 and so on) (if play stopped, enter the line as retired or default)',
    );
  });

  it('counts a match tiebreak as one set and one game to its winner', () => {
    const r = accepted(TENNIS, { outcome: 'completed', sets: [s(6, 4), s(3, 6), s(7, 10)] });
    expect(r).toEqual({
      outcome: 'completed',
      winner: 'away',
      sets: [s(6, 4), s(3, 6), s(7, 10)],
      setsHome: 1,
      setsAway: 2,
      gamesHome: 9,
      gamesAway: 11,
      text: '6-4 3-6 [7-10]',
      rated: true,
      ratingGames: { home: 9, away: 11 },
    });
  });

  it('refuses tiebreak points on a match tiebreak', () => {
    expect(
      problemsOf(TENNIS, { outcome: 'completed', sets: [s(6, 4), s(3, 6), s(10, 8, 6)] }),
    ).toEqual([
      {
        path: ['sets', 2, 'tiebreak'],
        message:
          'Set 3: a match tiebreak is entered as its points (10-8); it has no tiebreak score of its own',
      },
    ]);
  });

  it('in best of 5 only the fifth set is a match tiebreak; in a full-set league it is a set', () => {
    const best5: MatchFormat = { ...TENNIS, bestOfSets: 5 };
    const r = accepted(best5, {
      outcome: 'completed',
      sets: [s(6, 4), s(3, 6), s(6, 2), s(4, 6), s(10, 4)],
    });
    expect(r).toMatchObject({ text: '6-4 3-6 6-2 4-6 [10-4]', gamesHome: 20, gamesAway: 18 });
    expect(paths(best5, { outcome: 'completed', sets: [s(6, 4), s(10, 4), s(6, 2)] })).toEqual([
      ['sets', 1],
    ]);
    expect(
      checkLineScore(TENNIS_FULL, { outcome: 'completed', sets: [s(6, 4), s(3, 6), s(10, 8)] }).ok,
    ).toBe(false);
    expect(
      accepted(TENNIS_FULL, { outcome: 'completed', sets: [s(6, 4), s(3, 6), s(7, 5)] }).text,
    ).toBe('6-4 3-6 7-5');
  });
});

describe('completed lines', () => {
  it('refuses sets played after the match was decided', () => {
    expect(
      problemsOf(TENNIS, { outcome: 'completed', sets: [s(6, 4), s(6, 4), s(6, 4), s(1, 6)] }),
    ).toEqual([
      {
        path: ['sets', 2],
        message: 'Set 3: the match was already won 2-0 in sets, so no set follows',
      },
      {
        path: ['sets', 3],
        message: 'Set 4: the match was already won 2-0 in sets, so no set follows',
      },
    ]);
  });

  it('refuses more sets than the line has, even when the sets so far decide nothing', () => {
    const problems = problemsOf(TENNIS_FULL, {
      outcome: 'completed',
      sets: [s(6, 6), s(6, 6), s(6, 6), s(6, 0)],
    });
    expect(problems.map((p) => p.path)).toEqual([
      ['sets', 0],
      ['sets', 1],
      ['sets', 2],
      ['sets', 3],
    ]);
    expect(problems[3]?.message).toBe('Set 4: a best-of-3 line has at most 3 sets');
  });

  it('refuses a line with too few sets to decide it, or none', () => {
    expect(problemsOf(TENNIS, { outcome: 'completed', sets: [s(6, 4)] })).toEqual([
      {
        path: ['sets'],
        message:
          'The match is not finished at 1-0 in sets: a side needs 2 to win (if play stopped, enter the line as retired or default)',
      },
    ]);
    expect(paths(TENNIS, { outcome: 'completed', sets: [s(6, 4), s(4, 6)] })).toEqual([['sets']]);
    expect(problemsOf(TENNIS, { outcome: 'completed', sets: [] })).toEqual([
      { path: ['sets'], message: 'A completed line needs its sets' },
    ]);
  });

  it('accepts a given winner that matches the sets and refuses one that does not', () => {
    expect(
      accepted(TENNIS, { outcome: 'completed', sets: [s(4, 6), s(2, 6)], winner: 'away' }).winner,
    ).toBe('away');
    expect(
      problemsOf(TENNIS, { outcome: 'completed', sets: [s(4, 6), s(2, 6)], winner: 'home' }),
    ).toEqual([{ path: ['winner'], message: 'The sets say away won 0-2, not home' }]);
  });

  it('a straight-sets line is rated on the games played', () => {
    expect(accepted(TENNIS, { outcome: 'completed', sets: [s(6, 1), s(7, 6, 3)] })).toEqual({
      outcome: 'completed',
      winner: 'home',
      sets: [s(6, 1), s(7, 6, 3)],
      setsHome: 2,
      setsAway: 0,
      gamesHome: 13,
      gamesAway: 7,
      text: '6-1 7-6(3)',
      rated: true,
      ratingGames: { home: 13, away: 7 },
    });
  });

  it('reports every problem at once, each at its path', () => {
    const problems = problemsOf(TENNIS, {
      outcome: 'retired',
      sets: [s(6, 5), s(3, 6, 4), s(6, 100)],
    });
    expect(problems.map((p) => p.path)).toEqual([
      ['winner'],
      ['sets', 0],
      ['sets', 1, 'tiebreak'],
      ['sets', 2, 'away'],
    ]);
    expect(problems.map((p) => p.message)).toEqual([
      'Say who won: the side that did not retire',
      'Set 1: 6-5 is not a finished set; only the last set may be left unfinished',
      'Set 2: tiebreak points go only with a set decided by a tiebreak (7-6), not 3-6',
      'Set 3: away points must be a whole number from 0 to 99',
    ]);
  });

  it('refuses an unknown outcome', () => {
    expect(
      paths(TENNIS, { outcome: 'abandoned' as 'completed', sets: [s(6, 0), s(6, 0)] }),
    ).toEqual([['outcome']]);
  });
});

describe('retired and defaulted lines', () => {
  it('credits the winner the rest of a stopped set and the sets still needed', () => {
    // Home won 6-3 and led 2-1 when away retired: 6-1 completes set 2, the line is 2-0.
    expect(
      accepted(TENNIS, { outcome: 'retired', sets: [s(6, 3), s(2, 1)], winner: 'home' }),
    ).toEqual({
      outcome: 'retired',
      winner: 'home',
      sets: [s(6, 3), s(2, 1)],
      setsHome: 2,
      setsAway: 0,
      gamesHome: 12,
      gamesAway: 4,
      text: '6-3 2-1 ret.',
      rated: true,
      ratingGames: null,
    });
  });

  it('credits a retirement by the leader: the set to the winner, then the match tiebreak as one game', () => {
    // Home retired at 6-3 2-1 up: away takes set 2 6-2, then the match tiebreak (one game).
    expect(
      accepted(TENNIS, { outcome: 'retired', sets: [s(6, 3), s(2, 1)], winner: 'away' }),
    ).toMatchObject({
      setsHome: 1,
      setsAway: 2,
      gamesHome: 8,
      gamesAway: 10,
      text: '6-3 2-1 ret.',
    });
  });

  it('after a finished set, credits the further sets the winner needed', () => {
    // Away was 6-3 down when home retired: away is credited 6-0 and then the match tiebreak.
    expect(accepted(TENNIS, { outcome: 'retired', sets: [s(6, 3)], winner: 'away' })).toMatchObject(
      { setsHome: 1, setsAway: 2, gamesHome: 6, gamesAway: 10, text: '6-3 ret.' },
    );
    expect(accepted(TENNIS, { outcome: 'retired', sets: [s(6, 3)], winner: 'home' })).toMatchObject(
      { setsHome: 2, setsAway: 0, gamesHome: 12, gamesAway: 3 },
    );
  });

  it('raises a trailing winner to the least winning score: 2-5 becomes 7-5', () => {
    expect(
      accepted(TENNIS, { outcome: 'retired', sets: [s(4, 6), s(5, 2)], winner: 'away' }),
    ).toMatchObject({
      setsHome: 0,
      setsAway: 2,
      gamesHome: 9,
      gamesAway: 13,
      text: '4-6 5-2 ret.',
    });
  });

  it('completes 6-6 as 7-6 and 6-5 to the trailing winner as 7-6', () => {
    expect(accepted(TENNIS, { outcome: 'retired', sets: [s(6, 6)], winner: 'home' })).toMatchObject(
      { setsHome: 2, setsAway: 0, gamesHome: 13, gamesAway: 6, text: '6-6 ret.' },
    );
    expect(accepted(TENNIS, { outcome: 'retired', sets: [s(6, 5)], winner: 'away' })).toMatchObject(
      { setsHome: 0, setsAway: 2, gamesHome: 6, gamesAway: 13 },
    );
  });

  it('credits a full deciding set at games-love where the league plays no match tiebreak', () => {
    expect(
      accepted(TENNIS_FULL, { outcome: 'retired', sets: [s(6, 3), s(0, 0)], winner: 'away' }),
    ).toMatchObject({ setsHome: 1, setsAway: 2, gamesHome: 6, gamesAway: 15, rated: true });
  });

  it('credits a stopped match tiebreak as one set and one game, not its points', () => {
    expect(
      accepted(TENNIS, {
        outcome: 'retired',
        sets: [s(6, 4), s(3, 6), s(7, 5)],
        winner: 'away',
      }),
    ).toMatchObject({
      setsHome: 1,
      setsAway: 2,
      gamesHome: 9,
      gamesAway: 11,
      text: '6-4 3-6 [7-5] ret.',
    });
  });

  it('completes a stopped pickleball game two clear: 10-10 becomes 12-10', () => {
    expect(
      accepted(PICKLEBALL, { outcome: 'retired', sets: [s(10, 10)], winner: 'home' }),
    ).toMatchObject({ setsHome: 2, setsAway: 0, gamesHome: 23, gamesAway: 10 });
  });

  it('a retirement at 0-0 is recorded but not rated', () => {
    expect(accepted(TENNIS, { outcome: 'retired', sets: [s(0, 0)], winner: 'home' })).toMatchObject(
      { rated: false, ratingGames: null, setsHome: 2, gamesHome: 12, text: '0-0 ret.' },
    );
  });

  it('needs a winner, a score for a retirement, and a match not already decided', () => {
    expect(problemsOf(TENNIS, { outcome: 'retired', sets: [s(3, 2)] })).toEqual([
      { path: ['winner'], message: 'Say who won: the side that did not retire' },
    ]);
    expect(problemsOf(TENNIS, { outcome: 'retired', sets: [], winner: 'home' })).toEqual([
      {
        path: ['sets'],
        message:
          'A retirement needs the score when play stopped; if no ball was struck, enter a walkover',
      },
    ]);
    expect(
      problemsOf(TENNIS, { outcome: 'default', sets: [s(6, 4), s(6, 4)], winner: 'away' }),
    ).toEqual([
      {
        path: ['sets'],
        message: 'The sets already decide the match 2-0; enter the line as completed',
      },
    ]);
    expect(
      paths(TENNIS, { outcome: 'retired', sets: [s(6, 4), s(6, 4), s(1, 0)], winner: 'home' }),
    ).toEqual([['sets', 2]]);
  });

  it('allows only the last set to stop unfinished, and only at a score play can reach', () => {
    expect(paths(TENNIS, { outcome: 'retired', sets: [s(3, 2), s(6, 4)], winner: 'home' })).toEqual(
      [['sets', 0]],
    );
    expect(paths(TENNIS, { outcome: 'retired', sets: [s(8, 6)], winner: 'home' })).toEqual([
      ['sets', 0],
    ]);
    expect(paths(TENNIS, { outcome: 'retired', sets: [s(6, 6, 4)], winner: 'home' })).toEqual([
      ['sets', 0, 'tiebreak'],
    ]);
  });

  it('a default with no sets credits a straight-sets win at games-love', () => {
    expect(accepted(TENNIS, { outcome: 'default', sets: [], winner: 'home' })).toEqual({
      outcome: 'default',
      winner: 'home',
      sets: [],
      setsHome: 2,
      setsAway: 0,
      gamesHome: 12,
      gamesAway: 0,
      text: 'def.',
      rated: false,
      ratingGames: null,
    });
    expect(problemsOf(TENNIS, { outcome: 'default', sets: [] })).toEqual([
      { path: ['winner'], message: 'Say who won: the side that was not defaulted' },
    ]);
  });

  it('a default after play keeps the sets in its text and credits the rest', () => {
    // Away was defaulted while a set up: home is credited 6-0 and the match tiebreak.
    expect(accepted(TENNIS, { outcome: 'default', sets: [s(4, 6)], winner: 'home' })).toMatchObject(
      {
        setsHome: 2,
        setsAway: 1,
        gamesHome: 11,
        gamesAway: 6,
        text: '4-6 def.',
        rated: true,
        ratingGames: null,
      },
    );
  });
});

describe('walkovers', () => {
  it('credits the winner a straight-sets win and is not rated', () => {
    expect(accepted(TENNIS, { outcome: 'walkover', sets: [], winner: 'away' })).toEqual({
      outcome: 'walkover',
      winner: 'away',
      sets: [],
      setsHome: 0,
      setsAway: 2,
      gamesHome: 0,
      gamesAway: 12,
      text: 'w/o',
      rated: false,
      ratingGames: null,
    });
    expect(accepted(PRO_SET, { outcome: 'walkover', sets: [], winner: 'home' })).toMatchObject({
      setsHome: 1,
      gamesHome: 8,
    });
    expect(
      accepted({ ...TENNIS, bestOfSets: 5 }, { outcome: 'walkover', sets: [], winner: 'home' }),
    ).toMatchObject({ setsHome: 3, gamesHome: 18 });
  });

  it('refuses sets and a missing winner', () => {
    expect(problemsOf(TENNIS, { outcome: 'walkover', sets: [s(6, 0)] })).toEqual([
      { path: ['winner'], message: 'Say who won: the side that turned up' },
      { path: ['sets'], message: 'A walkover has no sets: no ball was struck' },
    ]);
  });
});

describe('teamMatchResult', () => {
  const win = (winner: Side, sets: SetInput[]): LineResult =>
    accepted(TENNIS, { outcome: 'completed', sets, winner });
  // Home wins two close lines, away one easy line: lines favour home, games favour away.
  const lines = [
    win('home', [s(7, 6), s(3, 6), s(10, 8)]),
    win('home', [s(7, 5), s(7, 6)]),
    win('away', [s(0, 6), s(0, 6)]),
  ];

  it('by lines, the side with more lines wins whatever the games', () => {
    expect(teamMatchResult(TENNIS, lines)).toEqual({
      winner: 'home',
      linesHome: 2,
      linesAway: 1,
      setsHome: 4,
      setsAway: 3,
      gamesHome: 25,
      gamesAway: 35,
      forfeitsHome: 0,
      forfeitsAway: 0,
    });
  });

  it('by games, the side with more games wins whatever the lines', () => {
    expect(teamMatchResult({ ...TENNIS, teamMatchWinner: 'games' }, lines).winner).toBe('away');
  });

  it('by sets, equal sets are a tie even when one side won more lines', () => {
    const even = [...lines, win('away', [s(6, 4), s(4, 6), s(5, 10)])];
    const r = teamMatchResult({ ...TENNIS, teamMatchWinner: 'sets' }, even);
    expect(r).toMatchObject({
      setsHome: 5,
      setsAway: 5,
      linesHome: 2,
      linesAway: 2,
      winner: 'tie',
    });
    expect(teamMatchResult({ ...TENNIS, teamMatchWinner: 'sets' }, lines).winner).toBe('home');
  });

  it('an even number of lines split 2-2 is a tie by lines', () => {
    const four = [...lines, win('away', [s(4, 6), s(4, 6)])];
    expect(teamMatchResult(TENNIS, four)).toMatchObject({
      winner: 'tie',
      linesHome: 2,
      linesAway: 2,
    });
  });

  it('counts walkovers and defaults as forfeits against the losing side, not retirements', () => {
    const r = teamMatchResult(TENNIS, [
      accepted(TENNIS, { outcome: 'walkover', sets: [], winner: 'away' }),
      accepted(TENNIS, { outcome: 'default', sets: [s(1, 1)], winner: 'away' }),
      accepted(TENNIS, { outcome: 'default', sets: [], winner: 'home' }),
      accepted(TENNIS, { outcome: 'retired', sets: [s(1, 1)], winner: 'home' }),
    ]);
    expect(r).toMatchObject({
      forfeitsHome: 2,
      forfeitsAway: 1,
      linesHome: 2,
      linesAway: 2,
      setsHome: 4,
      setsAway: 4,
      winner: 'tie',
    });
  });

  it('no lines is a tie at zero', () => {
    expect(teamMatchResult(TENNIS, [])).toEqual({
      winner: 'tie',
      linesHome: 0,
      linesAway: 0,
      setsHome: 0,
      setsAway: 0,
      gamesHome: 0,
      gamesAway: 0,
      forfeitsHome: 0,
      forfeitsAway: 0,
    });
  });
});

describe('properties', () => {
  /** Any format the schema allows, tiebreak at or below the games per set. */
  const formatArb: fc.Arbitrary<MatchFormat> = fc
    .record({
      gamesPerSet: fc.integer({ min: 1, max: 21 }),
      tiebreak: fc.option(fc.integer({ min: 1, max: 21 })),
      bestOfSets: fc.constantFrom(1 as const, 3 as const, 5 as const),
      finalSet: fc.constantFrom('full_set' as const, 'match_tiebreak' as const),
    })
    .map(({ gamesPerSet, tiebreak, bestOfSets, finalSet }) => ({
      ...TENNIS,
      gamesPerSet,
      tiebreakAt: tiebreak === null ? null : Math.min(tiebreak, gamesPerSet),
      bestOfSets,
      finalSet,
    }));

  /** Finished sets as [winner, loser, tiebreak?], straight from the rules in the brief. */
  function finishedSets(f: MatchFormat): [number, number, boolean][] {
    const g = f.gamesPerSet;
    const t = f.tiebreakAt;
    const out: [number, number, boolean][] = [];
    for (let l = 0; l <= g - 2; l++) out.push([g, l, false]);
    if (t === null) {
      for (let l = Math.max(g - 1, 0); l <= g + 10; l++) out.push([l + 2, l, false]);
    } else {
      for (let l = Math.max(g - 1, 0); l < t; l++) out.push([l + 2, l, false]);
      out.push([t + 1, t, true]);
    }
    return out;
  }
  const matchTiebreaks: [number, number, boolean][] = [
    ...Array.from({ length: 9 }, (_, l): [number, number, boolean] => [10, l, false]),
    ...Array.from({ length: 12 }, (_, i): [number, number, boolean] => [i + 11, i + 9, false]),
  ];

  /** A valid completed line: sets in order until a side has won, with who won it. */
  const lineArb = formatArb.chain((format) =>
    fc
      .array(
        fc.record({
          homeWins: fc.boolean(),
          pick: fc.nat(),
          points: fc.option(fc.integer({ min: 0, max: 99 })),
        }),
        { minLength: format.bestOfSets, maxLength: format.bestOfSets },
      )
      .map((draws) => {
        const need = Math.ceil(format.bestOfSets / 2);
        const sets: SetInput[] = [];
        let home = 0;
        let away = 0;
        for (const d of draws) {
          if (home === need || away === need) break;
          const decider =
            format.finalSet === 'match_tiebreak' &&
            format.bestOfSets >= 3 &&
            home === need - 1 &&
            away === need - 1;
          const options = decider ? matchTiebreaks : finishedSets(format);
          const [w, l, tb] = options[d.pick % options.length] ?? [0, 0, false];
          const set: SetInput = d.homeWins ? { home: w, away: l } : { home: l, away: w };
          if (tb) set.tiebreak = d.points;
          sets.push(set);
          if (d.homeWins) home++;
          else away++;
        }
        const winner: Side = home > away ? 'home' : 'away';
        return { format, sets, winner };
      }),
  );

  it('accepts every valid completed score and credits the sets to who won', () => {
    fc.assert(
      fc.property(lineArb, ({ format, sets, winner }) => {
        const r = checkLineScore(format, { outcome: 'completed', sets });
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        const need = Math.ceil(format.bestOfSets / 2);
        const won = winner === 'home' ? r.result.setsHome : r.result.setsAway;
        const lost = winner === 'home' ? r.result.setsAway : r.result.setsHome;
        expect(r.result.winner).toBe(winner);
        expect(won).toBe(need);
        expect(lost).toBeLessThan(need);
        expect(r.result.rated).toBe(true);
      }),
    );
  });

  it('swapping home and away swaps every total and the winner', () => {
    const swap = (set: SetInput): SetInput => ({ ...set, home: set.away, away: set.home });
    fc.assert(
      fc.property(lineArb, ({ format, sets }) => {
        const a = accepted(format, { outcome: 'completed', sets });
        const b = accepted(format, { outcome: 'completed', sets: sets.map(swap) });
        expect(b.winner).toBe(a.winner === 'home' ? 'away' : 'home');
        expect([b.setsHome, b.setsAway, b.gamesHome, b.gamesAway]).toEqual([
          a.setsAway,
          a.setsHome,
          a.gamesAway,
          a.gamesHome,
        ]);
        expect(b.ratingGames).toEqual({ home: a.ratingGames?.away, away: a.ratingGames?.home });
      }),
    );
  });
});
