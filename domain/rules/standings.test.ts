import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeStandings, DEFAULT_STANDINGS_RULES, TIEBREAKERS } from './standings';
import type { StandingsMatch, StandingsRow, StandingsRules, StandingsTeam } from './standings';

/** Teams named after their id, so tables read as letters. */
const teams = (...ids: string[]): StandingsTeam[] => ids.map((id) => ({ id, name: `Team ${id}` }));

/** A match with lines given; sets, games and forfeits default to 0 unless a test needs them. */
function match(
  id: string,
  home: string,
  away: string,
  winner: StandingsMatch['winner'],
  [linesHome, linesAway]: [number, number],
  extra: Partial<StandingsMatch> = {},
): StandingsMatch {
  return {
    id,
    homeTeamId: home,
    awayTeamId: away,
    winner,
    linesHome,
    linesAway,
    setsHome: 0,
    setsAway: 0,
    gamesHome: 0,
    gamesAway: 0,
    forfeitsHome: 0,
    forfeitsAway: 0,
    ...extra,
  };
}

/** The columns most tests are about: order, rank, points and why. */
const summary = (rows: StandingsRow[]) =>
  rows.map((r) => [r.teamId, r.rank, r.points, r.decidedBy] as const);

describe('computeStandings', () => {
  it('builds a simple table with every column summed over both home and away matches', () => {
    const rows = computeStandings(
      teams('a', 'b', 'c'),
      [
        match('m1', 'a', 'b', 'home', [3, 2], {
          setsHome: 7,
          setsAway: 5,
          gamesHome: 50,
          gamesAway: 40,
        }),
        match('m2', 'c', 'a', 'away', [1, 4], {
          setsHome: 3,
          setsAway: 8,
          gamesHome: 30,
          gamesAway: 52,
          forfeitsHome: 1,
        }),
        match('m3', 'b', 'c', 'home', [5, 0], {
          setsHome: 10,
          setsAway: 1,
          gamesHome: 62,
          gamesAway: 25,
        }),
      ],
      DEFAULT_STANDINGS_RULES,
    );
    expect(rows).toEqual([
      {
        rank: 1,
        teamId: 'a',
        name: 'Team a',
        played: 2,
        won: 2,
        lost: 0,
        tied: 0,
        points: 4, // 2 wins × 2
        linesWon: 7, // 3 + 4
        linesLost: 3, // 2 + 1
        setsWon: 15, // 7 + 8
        setsLost: 8, // 5 + 3
        gamesWon: 102, // 50 + 52
        gamesLost: 70, // 40 + 30
        forfeits: 0,
        linesPct: 7 / 10,
        setsPct: 15 / 23,
        gamesPct: 102 / 172,
        decidedBy: 'points',
      },
      {
        rank: 2,
        teamId: 'b',
        name: 'Team b',
        played: 2,
        won: 1,
        lost: 1,
        tied: 0,
        points: 2,
        linesWon: 7, // 2 + 5
        linesLost: 3, // 3 + 0
        setsWon: 15, // 5 + 10
        setsLost: 8, // 7 + 1
        gamesWon: 102, // 40 + 62
        gamesLost: 75, // 50 + 25
        forfeits: 0,
        linesPct: 7 / 10,
        setsPct: 15 / 23,
        gamesPct: 102 / 177,
        decidedBy: 'points',
      },
      {
        rank: 3,
        teamId: 'c',
        name: 'Team c',
        played: 2,
        won: 0,
        lost: 2,
        tied: 0,
        points: 0,
        linesWon: 1, // 1 + 0
        linesLost: 9, // 4 + 5
        setsWon: 4, // 3 + 1
        setsLost: 18, // 8 + 10
        gamesWon: 55, // 30 + 25
        gamesLost: 114, // 52 + 62
        forfeits: 1,
        linesPct: 1 / 10,
        setsPct: 4 / 22,
        gamesPct: 55 / 169,
        decidedBy: null,
      },
    ]);
  });

  // a beat b; b has the better lines % and games %. d won both its matches, c lost both.
  //   a: W v b 3–2 (games 40–45), L v d 2–3 (games 35–38) → 2 pts, lines 5/10, games 75/158
  //   b: L v a 2–3 (games 45–40), W v c 5–0 (games 60–20) → 2 pts, lines 7/10, games 105/165
  const twoWayTie = [
    match('m1', 'a', 'b', 'home', [3, 2], { gamesHome: 40, gamesAway: 45 }),
    match('m2', 'b', 'c', 'home', [5, 0], { gamesHome: 60, gamesAway: 20 }),
    match('m3', 'a', 'd', 'away', [2, 3], { gamesHome: 35, gamesAway: 38 }),
    match('m4', 'c', 'd', 'away', [1, 4], { gamesHome: 30, gamesAway: 50 }),
  ];

  it('breaks a two-way tie on points by head-to-head before any percentage', () => {
    expect(
      summary(computeStandings(teams('a', 'b', 'c', 'd'), twoWayTie, DEFAULT_STANDINGS_RULES)),
    ).toEqual([
      ['d', 1, 4, 'points'],
      ['a', 2, 2, 'head_to_head'],
      ['b', 3, 2, 'points'],
      ['c', 4, 0, null],
    ]);
  });

  it('follows a custom tiebreaker order: games % first puts the head-to-head loser above', () => {
    const rules: StandingsRules = {
      ...DEFAULT_STANDINGS_RULES,
      tiebreakers: ['games_pct', 'head_to_head'],
    };
    // b's games 105/165 ≈ 0.636 beat a's 75/158 ≈ 0.475.
    expect(summary(computeStandings(teams('a', 'b', 'c', 'd'), twoWayTie, rules))).toEqual([
      ['d', 1, 4, 'points'],
      ['b', 2, 2, 'games_pct'],
      ['a', 3, 2, 'points'],
      ['c', 4, 0, null],
    ]);
  });

  it('goes on to lines % when head-to-head among three is a circle', () => {
    // a beat b 4–1, b beat c 3–2, c beat a 3–2: each has 2 points, and 2 in the mini-table too.
    //   a: lines 4+2 = 6 won, 1+3 = 4 lost → 0.6
    //   b: lines 1+3 = 4 won, 4+2 = 6 lost → 0.4
    //   c: lines 2+3 = 5 won, 3+2 = 5 lost → 0.5
    const rows = computeStandings(
      teams('a', 'b', 'c'),
      [
        match('m1', 'a', 'b', 'home', [4, 1]),
        match('m2', 'b', 'c', 'home', [3, 2]),
        match('m3', 'c', 'a', 'home', [3, 2]),
      ],
      DEFAULT_STANDINGS_RULES,
    );
    expect(summary(rows)).toEqual([
      ['a', 1, 2, 'lines_pct'],
      ['c', 2, 2, 'lines_pct'],
      ['b', 3, 2, null],
    ]);
    expect(rows.map((r) => r.linesPct)).toEqual([0.6, 0.5, 0.4]);
  });

  it('restarts from head-to-head for the two teams left level after head-to-head among three', () => {
    // x, y, z each win 2 and have 4 points; w loses both its matches.
    //   Among x, y, z: x beat y and z, z beat x, y beat z →
    //   mini-table x 4, y 2, z 2: x goes first, y and z are still level.
    //   Restarting for {y, z}: y beat z → y above z.
    //   Lines would have said the opposite: y 2+3+3 = 8 won, 3+2+2 = 7 lost → 8/15 ≈ 0.53;
    //   z 2+5+2+5 = 14 won, 3+0+3+0 = 6 lost → 0.7.
    const rows = computeStandings(
      teams('w', 'x', 'y', 'z'),
      [
        match('m1', 'x', 'y', 'home', [3, 2]),
        match('m2', 'x', 'z', 'home', [3, 2]),
        match('m3', 'z', 'x', 'home', [5, 0]),
        match('m4', 'y', 'z', 'home', [3, 2]),
        match('m5', 'y', 'w', 'home', [3, 2]),
        match('m6', 'z', 'w', 'home', [5, 0]),
      ],
      DEFAULT_STANDINGS_RULES,
    );
    expect(summary(rows)).toEqual([
      ['x', 1, 4, 'head_to_head'],
      ['y', 2, 4, 'head_to_head'],
      ['z', 3, 4, 'points'],
      ['w', 4, 0, null],
    ]);
  });

  it('gives teams level after every tiebreaker a shared rank, listed by name', () => {
    // b and c each lost 2–3 to a and beat d 3–2, and never met: level on everything.
    // Their names sort the other way round from their ids.
    const rows = computeStandings(
      [
        { id: 'a', name: 'Aces' },
        { id: 'b', name: 'Volleys' },
        { id: 'c', name: 'Baseliners' },
        { id: 'd', name: 'Drop Shots' },
      ],
      [
        match('m1', 'a', 'b', 'home', [3, 2]),
        match('m2', 'a', 'c', 'home', [3, 2]),
        match('m3', 'b', 'd', 'home', [3, 2]),
        match('m4', 'c', 'd', 'home', [3, 2]),
      ],
      DEFAULT_STANDINGS_RULES,
    );
    expect(summary(rows)).toEqual([
      ['a', 1, 4, 'points'],
      ['c', 2, 2, null],
      ['b', 2, 2, 'points'],
      ['d', 4, 0, null],
    ]);
  });

  it('lists teams with the same name and level on everything by id', () => {
    const rows = computeStandings(
      [
        { id: 'q2', name: 'Smash' },
        { id: 'q1', name: 'Smash' },
      ],
      [],
      DEFAULT_STANDINGS_RULES,
    );
    expect(summary(rows)).toEqual([
      ['q1', 1, 0, null],
      ['q2', 1, 0, null],
    ]);
  });

  it("awards points per line won and lost on the 'lines' basis", () => {
    // a beat b 3–2 and c 3–2; b beat c 5–0. Win 2 a line, loss 1 a line:
    //   a: 2 × (3+3) + 1 × (2+2) = 16
    //   b: 2 × (2+5) + 1 × (3+0) = 17
    //   c: 2 × (2+0) + 1 × (3+5) = 12
    // On match points a (2 wins) would lead; on lines b does.
    const rules: StandingsRules = {
      ...DEFAULT_STANDINGS_RULES,
      pointsFor: 'lines',
      win: 2,
      loss: 1,
    };
    const rows = computeStandings(
      teams('a', 'b', 'c'),
      [
        match('m1', 'a', 'b', 'home', [3, 2]),
        match('m2', 'a', 'c', 'home', [3, 2]),
        match('m3', 'b', 'c', 'home', [5, 0]),
      ],
      rules,
    );
    expect(summary(rows)).toEqual([
      ['b', 1, 17, 'points'],
      ['a', 2, 16, 'points'],
      ['c', 3, 12, null],
    ]);
    expect(rows.map((r) => [r.won, r.lost])).toEqual([
      [1, 1],
      [2, 0],
      [0, 2],
    ]);
  });

  it('counts tied team matches as ties, worth the tie points', () => {
    // a tied b 2–2 and beat c 3–1; b tied c 2–2.
    //   a: 1 win + 1 tie = 2 + 1 = 3;  b: 2 ties = 1 + 1 = 2;  c: 1 loss + 1 tie = 0 + 1 = 1
    const rows = computeStandings(
      teams('a', 'b', 'c'),
      [
        match('m1', 'a', 'b', 'tie', [2, 2]),
        match('m2', 'a', 'c', 'home', [3, 1]),
        match('m3', 'b', 'c', 'tie', [2, 2]),
      ],
      DEFAULT_STANDINGS_RULES,
    );
    expect(rows.map((r) => [r.teamId, r.played, r.won, r.lost, r.tied, r.points])).toEqual([
      ['a', 2, 1, 0, 1, 3],
      ['b', 2, 0, 0, 2, 2],
      ['c', 2, 0, 1, 1, 1],
    ]);
  });

  it('lets the team with fewer forfeits through when everything else is level', () => {
    // a beat c and b beat d by the same 3–2, 6–4 sets, 40–30 games; nobody else met.
    // a forfeited 1 line, b none; d forfeited 2, c none.
    const same = { setsHome: 6, setsAway: 4, gamesHome: 40, gamesAway: 30 };
    const rows = computeStandings(
      teams('a', 'b', 'c', 'd'),
      [
        match('m1', 'a', 'c', 'home', [3, 2], { ...same, forfeitsHome: 1 }),
        match('m2', 'b', 'd', 'home', [3, 2], { ...same, forfeitsAway: 2 }),
      ],
      DEFAULT_STANDINGS_RULES,
    );
    expect(summary(rows)).toEqual([
      ['b', 1, 2, 'fewest_forfeits'],
      ['a', 2, 2, 'points'],
      ['c', 3, 0, 'fewest_forfeits'],
      ['d', 4, 0, null],
    ]);
    expect(rows.map((r) => r.forfeits)).toEqual([0, 1, 0, 2]);
  });

  it('lists a team with no matches, with zeros and no percentages, below a team that played', () => {
    // b lost 2–3 and c never played: both 0 points, no head-to-head; b's 2/5 lines beat none.
    const rows = computeStandings(
      teams('a', 'b', 'c'),
      [match('m1', 'a', 'b', 'home', [3, 2])],
      DEFAULT_STANDINGS_RULES,
    );
    expect(summary(rows)).toEqual([
      ['a', 1, 2, 'points'],
      ['b', 2, 0, 'lines_pct'],
      ['c', 3, 0, null],
    ]);
    expect(rows[2]).toEqual({
      rank: 3,
      teamId: 'c',
      name: 'Team c',
      played: 0,
      won: 0,
      lost: 0,
      tied: 0,
      points: 0,
      linesWon: 0,
      linesLost: 0,
      setsWon: 0,
      setsLost: 0,
      gamesWon: 0,
      gamesLost: 0,
      forfeits: 0,
      linesPct: null,
      setsPct: null,
      gamesPct: null,
      decidedBy: null,
    });
  });

  it('returns an empty table for a division with no teams', () => {
    expect(computeStandings([], [], DEFAULT_STANDINGS_RULES)).toEqual([]);
  });

  it('throws a RangeError for a match naming a team outside the division', () => {
    expect(() =>
      computeStandings(
        teams('a', 'b'),
        [match('m1', 'a', 'zz', 'home', [3, 2])],
        DEFAULT_STANDINGS_RULES,
      ),
    ).toThrow(RangeError);
  });

  // Random divisions: up to 6 teams with some shared names, matches between any two of them.
  const division = fc
    .integer({ min: 1, max: 6 })
    .chain((n) => {
      const ids = Array.from({ length: n }, (_, i) => `t${i}`);
      const side = fc.record({
        lines: fc.integer({ min: 0, max: 5 }),
        sets: fc.integer({ min: 0, max: 10 }),
        games: fc.integer({ min: 0, max: 60 }),
        forfeits: fc.integer({ min: 0, max: 2 }),
      });
      const game = fc
        .record({
          home: fc.constantFrom(...ids),
          away: fc.constantFrom(...ids),
          winner: fc.constantFrom('home' as const, 'away' as const, 'tie' as const),
          h: side,
          a: side,
        })
        .filter((g) => g.home !== g.away);
      return fc.record({
        teams: fc
          .constant(ids)
          .chain((all) =>
            fc
              .tuple(...all.map((id) => fc.constantFrom('Aces', 'Lobs', id)))
              .map((names) => all.map((id, i) => ({ id, name: names[i] ?? id }))),
          ),
        // One team cannot meet anyone; `game` is never drawn then.
        matches: fc.array(game, { maxLength: n < 2 ? 0 : 12 }),
        tiebreakers: fc.shuffledSubarray([...TIEBREAKERS]),
        pointsFor: fc.constantFrom('matches' as const, 'lines' as const),
      });
    })
    .map(({ teams, matches, tiebreakers, pointsFor }) => ({
      teams,
      matches: matches.map((g, i): StandingsMatch => ({
        id: `m${i}`,
        homeTeamId: g.home,
        awayTeamId: g.away,
        winner: g.winner,
        linesHome: g.h.lines,
        linesAway: g.a.lines,
        setsHome: g.h.sets,
        setsAway: g.a.sets,
        gamesHome: g.h.games,
        gamesAway: g.a.games,
        forfeitsHome: g.h.forfeits,
        forfeitsAway: g.a.forfeits,
      })),
      rules: { pointsFor, win: 2, tie: 1, loss: 0, tiebreakers } satisfies StandingsRules,
    }));

  it('gives the same table whatever order the teams and matches come in', () => {
    fc.assert(
      fc.property(
        division.chain((d) =>
          fc.record({
            d: fc.constant(d),
            teams: fc.shuffledSubarray(d.teams, { minLength: d.teams.length }),
            matches: fc.shuffledSubarray(d.matches, { minLength: d.matches.length }),
          }),
        ),
        ({ d, teams: shuffledTeams, matches: shuffledMatches }) => {
          expect(computeStandings(shuffledTeams, shuffledMatches, d.rules)).toEqual(
            computeStandings(d.teams, d.matches, d.rules),
          );
        },
      ),
    );
  });

  it('lists every team once, points never rising, with a shared rank exactly where decidedBy is null', () => {
    fc.assert(
      fc.property(division, ({ teams: ts, matches, rules }) => {
        const rows = computeStandings(ts, matches, rules);
        expect(rows.map((r) => r.teamId).sort()).toEqual(ts.map((t) => t.id).sort());
        expect(rows[0]?.rank ?? 1).toBe(1);
        rows.forEach((r, i) => {
          const next = rows[i + 1];
          if (!next) {
            expect(r.decidedBy).toBeNull();
            return;
          }
          expect(next.points).toBeLessThanOrEqual(r.points);
          expect(r.decidedBy === 'points').toBe(next.points < r.points);
          expect(next.rank).toBe(r.decidedBy === null ? r.rank : i + 2);
        });
      }),
    );
  });
});
