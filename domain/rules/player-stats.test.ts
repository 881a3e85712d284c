import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { playerStats, teamLineRecords } from './player-stats';
import type { PlayerLine, TeamLine } from './player-stats';

/** A completed line; sets and games default to 0 unless a test is about them. */
function line(
  date: string,
  matchId: string,
  kind: PlayerLine['kind'],
  won: boolean,
  opponentIds: string[],
  extra: Partial<PlayerLine> = {},
): PlayerLine {
  return {
    matchId,
    date,
    kind,
    outcome: 'completed',
    won,
    partnerId: null,
    opponentIds,
    setsWon: 0,
    setsLost: 0,
    gamesWon: 0,
    gamesLost: 0,
    ...extra,
  };
}

const sets = (setsWon: number, setsLost: number, gamesWon: number, gamesLost: number) => ({
  setsWon,
  setsLost,
  gamesWon,
  gamesLost,
});

describe('playerStats', () => {
  // A season, listed out of date order on purpose.
  const season: PlayerLine[] = [
    line('2026-05-20', 'm08', 'doubles', true, ['q', 'p'], {
      partnerId: 'y',
      ...sets(2, 0, 12, 7),
    }),
    line('2026-04-01', 'm01', 'singles', true, ['p'], sets(2, 0, 12, 5)),
    line('2026-04-08', 'm02', 'doubles', false, ['q', 'r'], {
      partnerId: 'x',
      ...sets(1, 2, 14, 15),
    }),
    // q retired while behind: played, and a win.
    line('2026-04-15', 'm03', 'singles', true, ['q'], { outcome: 'retired', ...sets(1, 0, 8, 4) }),
    // Walkover: not played, so neither in the records nor against s and t, nor with partner y.
    line('2026-04-22', 'm04', 'doubles', true, ['s', 't'], { outcome: 'walkover', partnerId: 'y' }),
    line('2026-04-29', 'm05', 'doubles', true, ['p', 'r'], {
      partnerId: 'x',
      ...sets(2, 1, 15, 12),
    }),
    // r defaulted after nine games: played.
    line('2026-05-06', 'm06', 'singles', true, ['r'], { outcome: 'default', ...sets(1, 0, 6, 3) }),
    // A default before any game: counted with the walkovers.
    line('2026-05-13', 'm07', 'doubles', false, ['q', 's'], { outcome: 'default', partnerId: 'y' }),
  ];

  it('sums a season of singles and doubles, leaving out the lines not played', () => {
    expect(playerStats(season)).toEqual({
      // Played: m01 W, m02 L, m03 W, m05 W, m06 W, m08 W.
      overall: { played: 6, won: 5, lost: 1, winPct: 5 / 6 },
      singles: { played: 3, won: 3, lost: 0, winPct: 1 }, // m01, m03, m06
      doubles: { played: 3, won: 2, lost: 1, winPct: 2 / 3 }, // m02 L, m05 W, m08 W
      setsWon: 9, // 2 + 1 + 1 + 2 + 1 + 2
      setsLost: 3, // 0 + 2 + 0 + 1 + 0 + 0
      setsPct: 0.75, // 9 / 12
      gamesWon: 67, // 12 + 14 + 8 + 15 + 6 + 12
      gamesLost: 46, // 5 + 15 + 4 + 12 + 3 + 7
      gamesPct: 67 / 113,
      streak: { result: 'won', length: 4 }, // m03, m05, m06, m08 after the m02 loss
      walkovers: { won: 1, lost: 1 }, // m04, m07
      headToHead: [
        // All three met 3 times; p and q last on 05-20, r on 05-06.
        { opponentId: 'p', played: 3, won: 3, lost: 0, lastPlayed: '2026-05-20' }, // m01, m05, m08
        { opponentId: 'q', played: 3, won: 2, lost: 1, lastPlayed: '2026-05-20' }, // m02, m03, m08
        { opponentId: 'r', played: 3, won: 2, lost: 1, lastPlayed: '2026-05-06' }, // m02, m05, m06
      ],
      partners: [
        { partnerId: 'x', played: 2, won: 1, lost: 1, winPct: 0.5 }, // m02 L, m05 W
        { partnerId: 'y', played: 1, won: 1, lost: 0, winPct: 1 }, // m08 (m04, m07 not played)
      ],
    });
  });

  it('reports the latest run of results, ended by the last change', () => {
    const lines = [
      line('2026-04-01', 'm1', 'singles', true, ['a']),
      line('2026-04-08', 'm2', 'singles', true, ['a']),
      line('2026-04-15', 'm3', 'singles', false, ['a']),
      line('2026-04-22', 'm4', 'singles', true, ['a']),
      line('2026-04-29', 'm5', 'singles', true, ['a']),
    ];
    // W W L W W: the loss on 04-15 ended the first run; two wins since.
    expect(playerStats(lines).streak).toEqual({ result: 'won', length: 2 });
    // A loss on top starts a losing run of one.
    expect(
      playerStats([...lines, line('2026-05-06', 'm6', 'singles', false, ['a'])]).streak,
    ).toEqual({ result: 'lost', length: 1 });
  });

  it('orders lines of the same day by match id for the streak', () => {
    const lines = [
      line('2026-04-01', 'm2', 'singles', false, ['a']),
      line('2026-04-01', 'm1', 'singles', true, ['a']),
    ];
    // m1 W then m2 L: the latest is the loss.
    expect(playerStats(lines).streak).toEqual({ result: 'lost', length: 1 });
  });

  it('keeps walkovers and defaults without games out of the records and the streak', () => {
    const stats = playerStats([
      line('2026-04-01', 'm1', 'singles', false, ['a'], sets(0, 2, 3, 12)),
      line('2026-04-08', 'm2', 'singles', true, ['b'], sets(2, 1, 13, 11)),
      line('2026-04-15', 'm3', 'singles', false, ['c'], { outcome: 'walkover' }),
      line('2026-04-22', 'm4', 'doubles', false, ['d', 'e'], {
        outcome: 'default',
        partnerId: 'f',
      }),
    ]);
    expect(stats.overall).toEqual({ played: 2, won: 1, lost: 1, winPct: 0.5 });
    expect(stats.doubles).toEqual({ played: 0, won: 0, lost: 0, winPct: null });
    // The two unplayed losses would have made it a losing run of 2.
    expect(stats.streak).toEqual({ result: 'won', length: 1 });
    expect(stats.walkovers).toEqual({ won: 0, lost: 2 });
    // Only the played opponents, b (met 04-08) before a (met 04-01); not c, d or e.
    expect(stats.headToHead.map((h) => h.opponentId)).toEqual(['b', 'a']);
    expect(stats.partners).toEqual([]);
  });

  it('orders head-to-head by meetings, then the latest meeting, then opponent id', () => {
    const stats = playerStats([
      line('2026-04-20', 'm1', 'singles', false, ['b']),
      line('2026-05-01', 'm2', 'singles', true, ['b']),
      line('2026-05-03', 'm3', 'singles', true, ['c']),
      line('2026-05-10', 'm4', 'doubles', false, ['c', 'e'], { partnerId: 'z' }),
      line('2026-06-01', 'm5', 'doubles', true, ['d', 'a'], { partnerId: 'z' }),
    ]);
    expect(stats.headToHead).toEqual([
      { opponentId: 'c', played: 2, won: 1, lost: 1, lastPlayed: '2026-05-10' },
      { opponentId: 'b', played: 2, won: 1, lost: 1, lastPlayed: '2026-05-01' },
      { opponentId: 'a', played: 1, won: 1, lost: 0, lastPlayed: '2026-06-01' },
      { opponentId: 'd', played: 1, won: 1, lost: 0, lastPlayed: '2026-06-01' },
      { opponentId: 'e', played: 1, won: 0, lost: 1, lastPlayed: '2026-05-10' },
    ]);
  });

  it('keeps a record per doubles partner, most lines together first, then by id', () => {
    const stats = playerStats([
      line('2026-04-01', 'm1', 'doubles', true, ['a', 'b'], { partnerId: 'w' }),
      line('2026-04-08', 'm2', 'doubles', false, ['a', 'b'], { partnerId: 'v' }),
      line('2026-04-15', 'm3', 'doubles', true, ['a', 'b'], { partnerId: 'u' }),
      line('2026-04-22', 'm4', 'doubles', false, ['a', 'b'], { partnerId: 'u' }),
      line('2026-04-29', 'm5', 'doubles', true, ['a', 'b'], { partnerId: 'u' }),
      // Singles have no partner, and a doubles line with no partner recorded has none to credit.
      line('2026-05-06', 'm6', 'singles', true, ['a']),
      line('2026-05-13', 'm7', 'doubles', true, ['a', 'b']),
    ]);
    expect(stats.partners).toEqual([
      { partnerId: 'u', played: 3, won: 2, lost: 1, winPct: 2 / 3 }, // m3 W, m4 L, m5 W
      { partnerId: 'v', played: 1, won: 0, lost: 1, winPct: 0 }, // m2 L
      { partnerId: 'w', played: 1, won: 1, lost: 0, winPct: 1 }, // m1 W
    ]);
    expect(stats.doubles).toEqual({ played: 6, won: 4, lost: 2, winPct: 4 / 6 });
  });

  it('returns empty records, null percentages and no streak for no lines', () => {
    expect(playerStats([])).toEqual({
      overall: { played: 0, won: 0, lost: 0, winPct: null },
      singles: { played: 0, won: 0, lost: 0, winPct: null },
      doubles: { played: 0, won: 0, lost: 0, winPct: null },
      setsWon: 0,
      setsLost: 0,
      setsPct: null,
      gamesWon: 0,
      gamesLost: 0,
      gamesPct: null,
      streak: null,
      walkovers: { won: 0, lost: 0 },
      headToHead: [],
      partners: [],
    });
  });

  it('has no streak when every line was a walkover', () => {
    const stats = playerStats([
      line('2026-04-01', 'm1', 'singles', true, ['a'], { outcome: 'walkover' }),
    ]);
    expect(stats.streak).toBeNull();
    expect(stats.walkovers).toEqual({ won: 1, lost: 0 });
  });

  it('gives the same stats whatever order the lines come in', () => {
    const anyLine = fc.record({
      matchId: fc.constantFrom('m1', 'm2', 'm3'),
      date: fc.constantFrom('2026-04-01', '2026-04-08'),
      kind: fc.constantFrom('singles' as const, 'doubles' as const),
      outcome: fc.constantFrom(
        'completed' as const,
        'retired' as const,
        'walkover' as const,
        'default' as const,
      ),
      won: fc.boolean(),
      partnerId: fc.constantFrom(null, 'x', 'y'),
      opponentIds: fc.uniqueArray(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 2 }),
      setsWon: fc.integer({ min: 0, max: 2 }),
      setsLost: fc.integer({ min: 0, max: 2 }),
      gamesWon: fc.integer({ min: 0, max: 12 }),
      gamesLost: fc.integer({ min: 0, max: 12 }),
    });
    fc.assert(
      fc.property(
        fc
          .array(anyLine, { maxLength: 12 })
          .chain((lines) =>
            fc.tuple(fc.constant(lines), fc.shuffledSubarray(lines, { minLength: lines.length })),
          ),
        ([lines, shuffled]) => {
          expect(playerStats(shuffled)).toEqual(playerStats(lines));
        },
      ),
    );
  });
});

describe('teamLineRecords', () => {
  const teamLine = (
    matchId: string,
    kind: TeamLine['kind'],
    lineNo: number,
    won: boolean,
    outcome: TeamLine['outcome'] = 'completed',
  ): TeamLine => ({ matchId, date: '2026-04-01', kind, line: lineNo, won, outcome });

  it('counts wins and losses per line position, singles first, each by line', () => {
    expect(
      teamLineRecords([
        teamLine('m1', 'doubles', 3, true),
        teamLine('m1', 'singles', 2, false),
        teamLine('m1', 'doubles', 1, true),
        teamLine('m1', 'singles', 1, true),
        teamLine('m2', 'singles', 1, false),
        teamLine('m2', 'doubles', 1, false),
        // The team took this line by walkover: it counts in the match score, so it counts here.
        teamLine('m3', 'singles', 1, true, 'walkover'),
        teamLine('m3', 'singles', 2, false, 'default'),
      ]),
    ).toEqual([
      { kind: 'singles', line: 1, won: 2, lost: 1 }, // m1 W, m2 L, m3 W (walkover)
      { kind: 'singles', line: 2, won: 0, lost: 2 }, // m1 L, m3 L (default)
      { kind: 'doubles', line: 1, won: 1, lost: 1 }, // m1 W, m2 L
      { kind: 'doubles', line: 3, won: 1, lost: 0 }, // m1 W
    ]);
  });

  it('returns no records for no lines', () => {
    expect(teamLineRecords([])).toEqual([]);
  });
});
