import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, startTestApp, type TestApp } from '../../test/app';
import { TEST_DATABASES } from '../../test/databases';
import { signUp } from '../../test/factories';
import { confirmedResult, pastMatch, smallResult } from '../../test/results-factory';
import { buildSeason, player, privateLeague, team } from '../../test/season-fixture';

const NO_RATE_LIMITS = { rateLimits: { global: 100_000, auth: 100_000 } };
const [A, B, C, D] = [0, 1, 2, 3];

interface Row {
  rank: number;
  player: { id: string; name: string };
  rating: number;
  matches: number;
  won: number;
  lost: number;
}

describe.each(TEST_DATABASES)('leaderboards, player pages and team stats on %s', (kind) => {
  let t: TestApp;
  let season: Awaited<ReturnType<typeof buildSeason>>;
  let anonymous: Agent;

  beforeAll(async () => {
    t = await startTestApp(kind, { env: { DEMO_MODE: 'true' }, overrides: NO_RATE_LIMITS });
    season = await buildSeason(t.app);
    anonymous = new Agent(t.app);
    await anonymous.prime();
  }, 120_000);
  afterAll(async () => t?.close());

  /** Rank is 1 + the number of strictly higher ratings on the board shown. */
  function expectRanked(rows: Row[]) {
    for (const r of rows) {
      expect(r.rank).toBe(1 + rows.filter((o) => o.rating > r.rating).length);
    }
    const ratings = rows.map((r) => r.rating);
    expect(ratings).toEqual([...ratings].sort((x, y) => y - x));
  }

  it("a league's singles board: every rated player, wins and losses counted by hand", async () => {
    const { league } = season;
    const response = await anonymous.get(`/api/leaderboards?leagueId=${league.leagueId}`);
    expect(response.statusCode).toBe(200);
    const board = response.json();
    expect(board).toMatchObject({ sport: 'tennis', kind: 'singles' });
    expectRanked(board.rows);
    // Rated singles: m1 (A1 beat B1), m2 (B1 beat C1), m6 (B1 beat D1), m3 (C1 beat A1, who
    // retired after games were played). A1's walkover over D1 in m7 moves no rating.
    const record = Object.fromEntries(
      board.rows.map((r: Row) => [r.player.name, [r.matches, r.won, r.lost]]),
    );
    expect(record).toEqual({ A1: [2, 1, 1], B1: [3, 2, 1], C1: [2, 1, 1], D1: [1, 0, 1] });
    // Beat C1 and D1, lost to A1: B1 stands above D1, who only lost.
    const place = (name: string) => board.rows.findIndex((r: Row) => r.player.name === name);
    expect(place('B1')).toBeLessThan(place('D1'));

    const division = (
      await anonymous.get(`/api/leaderboards?divisionId=${league.divisionId}&kind=singles`)
    ).json();
    expect(division.rows).toEqual(board.rows);
  });

  it('minMatches narrows the board, q searches it keeping each place, limit cuts it', async () => {
    const { league } = season;
    const url = `/api/leaderboards?leagueId=${league.leagueId}`;
    const full = (await anonymous.get(url)).json().rows as Row[];
    const experienced = (await anonymous.get(`${url}&minMatches=2`)).json().rows as Row[];
    expect(experienced.map((r) => r.player.name).sort()).toEqual(['A1', 'B1', 'C1']);
    expectRanked(experienced);
    const b1 = full.find((r) => r.player.name === 'B1');
    const found = (await anonymous.get(`${url}&q=%20b1%20`)).json().rows as Row[];
    expect(found).toEqual([b1]);
    // LIKE's wildcards are searched as typed.
    expect((await anonymous.get(`${url}&q=%25`)).json().rows).toEqual([]);
    expect((await anonymous.get(`${url}&limit=2`)).json().rows).toEqual(full.slice(0, 2));

    const doubles = (await anonymous.get(`${url}&kind=doubles`)).json();
    expect(doubles.kind).toBe('doubles');
    expect(doubles.rows.map((r: Row) => r.player.name).sort()).toEqual(
      ['A2', 'A3', 'B2', 'B3', 'C2', 'C3', 'D2', 'D3'].sort(),
    );
    expectRanked(doubles.rows);
    // A named sport wins over the league's: nobody here has a padel rating.
    expect((await anonymous.get(`${url}&sport=padel`)).json()).toEqual({
      sport: 'padel',
      kind: 'singles',
      rows: [],
    });
    // Without a league: every player of the sport the user may see (the demo league's too).
    const everywhere = (await anonymous.get('/api/leaderboards?sport=tennis&limit=200')).json();
    expect(everywhere.rows.map((r: Row) => r.player.name)).toEqual(
      expect.arrayContaining(['A1', 'B1', 'C1', 'D1']),
    );
    expectRanked(everywhere.rows);
  });

  it('refuses a board without a sport, and an unknown sport or kind, naming the field', async () => {
    const fieldsOf = async (url: string) => {
      const response = await anonymous.get(url);
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      return response.json().errors.map((e: { field: string }) => e.field);
    };
    expect(await fieldsOf('/api/leaderboards')).toEqual(['querystring.sport']);
    expect(await fieldsOf('/api/leaderboards?sport=curling')).toEqual(['querystring.sport']);
    expect(await fieldsOf('/api/leaderboards?sport=tennis&kind=triples')).toEqual([
      'querystring.kind',
    ]);
    expect(await fieldsOf('/api/leaderboards?sport=tennis&minMatches=-1')).toEqual([
      'querystring.minMatches',
    ]);
    expect(await fieldsOf(`/api/players/${player(season.league, A, 1).id}?sport=curling`)).toEqual([
      'querystring.sport',
    ]);
    const custom = await anonymous.get('/api/leaderboards?sport=custom:%20Beach%20Tennis%20');
    expect(custom.statusCode).toBe(200);
    expect(custom.json().sport).toBe('custom:beach tennis');
    expect(await fieldsOf('/api/leaderboards?sport=custom:%20')).toEqual(['querystring.sport']);
    // A division of another league than the one named: 400; an unknown division: 404.
    const mismatch = await anonymous.get(
      `/api/leaderboards?leagueId=00000000-0000-4000-8000-000000000000&divisionId=${season.league.divisionId}`,
    );
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'querystring.divisionId',
    ]);
    const unknownDivision = await anonymous.get(
      '/api/leaderboards?divisionId=00000000-0000-4000-8000-000000000000',
    );
    expect(unknownDivision.statusCode).toBe(404);
    const unknownLeague = await anonymous.get(
      '/api/leaderboards?leagueId=00000000-0000-4000-8000-000000000000',
    );
    expect(unknownLeague.statusCode).toBe(404);
  });

  it("a singles player's page: record with sets and games as played, history oldest first", async () => {
    const { league, matches } = season;
    const a1 = player(league, A, 1);
    const response = await anonymous.get(`/api/players/${a1.id}`);
    expect(response.statusCode).toBe(200);
    const page = response.json();
    expect(page.player).toEqual({ id: a1.id, name: 'A1' });
    expect(page.sport).toBe('tennis');
    expect(page.sports).toEqual(['tennis']);
    expect(page.ratings).toEqual([
      {
        kind: 'singles',
        rating: expect.any(Number),
        deviation: expect.any(Number),
        reliability: expect.any(Number),
        matches: 2,
        lastPlayed: '2026-09-15',
      },
    ]);
    // m1 won 6-4 6-3; m3 retired at 2-6 1-2, the unfinished set nobody's (credited, C had it
    // 6-1); m7 a walkover, kept apart. Latest played: m3, lost.
    expect(page.stats).toEqual({
      overall: { played: 2, won: 1, lost: 1, winPct: 0.5 },
      singles: { played: 2, won: 1, lost: 1, winPct: 0.5 },
      doubles: { played: 0, won: 0, lost: 0, winPct: null },
      setsWon: 2,
      setsLost: 1,
      setsPct: 2 / 3,
      gamesWon: 15,
      gamesLost: 15,
      gamesPct: 0.5,
      streak: { result: 'lost', length: 1 },
      walkovers: { won: 1, lost: 0 },
      headToHead: [
        {
          opponent: { id: player(league, C, 1).id, name: 'C1' },
          played: 1,
          won: 0,
          lost: 1,
          lastPlayed: '2026-09-15',
        },
        {
          opponent: { id: player(league, B, 1).id, name: 'B1' },
          played: 1,
          won: 1,
          lost: 0,
          lastPlayed: '2026-09-01',
        },
      ],
      partners: [],
    });
    expect(page.history).toHaveLength(2);
    const [first, second] = page.history;
    expect(first).toMatchObject({
      matchId: matches.m1,
      date: '2026-09-01',
      kind: 'singles',
      line: 1,
      won: true,
      opponents: [{ id: player(league, B, 1).id, name: 'B1' }],
      partner: null,
      why: { score: '6-4 6-3' },
    });
    expect(first.after).toBeGreaterThan(first.before);
    expect(first.why.expected).toBeGreaterThan(0);
    expect(first.why.expected).toBeLessThan(1);
    expect(second).toMatchObject({
      matchId: matches.m3,
      date: '2026-09-15',
      won: false,
      opponents: [{ id: player(league, C, 1).id, name: 'C1' }],
      why: { score: expect.stringContaining('ret.') },
    });
    expect(second.before).toBeCloseTo(first.after, 6);
    expect(second.after).toBeLessThan(second.before);
    expect(page.ratings[0].rating).toBeCloseTo(second.after, 6);
  });

  it("a doubles player's page names partner and opponents", async () => {
    const { league, matches } = season;
    const a2 = player(league, A, 2);
    const a3 = player(league, A, 3);
    const page = (await anonymous.get(`/api/players/${a2.id}?sport=tennis`)).json();
    // m1 won 4-6 6-3 [10-7] (the match tiebreak one game: 11-9), m7 won 6-3 6-3, m3 lost 4-6 4-6.
    expect(page.stats).toMatchObject({
      overall: { played: 3, won: 2, lost: 1, winPct: 2 / 3 },
      singles: { played: 0, won: 0, lost: 0, winPct: null },
      doubles: { played: 3, won: 2, lost: 1, winPct: 2 / 3 },
      setsWon: 4,
      setsLost: 3,
      gamesWon: 31,
      gamesLost: 27,
      streak: { result: 'lost', length: 1 },
      walkovers: { won: 0, lost: 0 },
      partners: [{ partner: { id: a3.id, name: 'A3' }, played: 3, won: 2, lost: 1, winPct: 2 / 3 }],
    });
    const h2h = page.stats.headToHead.map(
      (h: { opponent: { name: string }; played: number; lastPlayed: string }) => [
        h.lastPlayed,
        h.opponent.name,
        h.played,
      ],
    );
    // Newest meeting first; same day by id, so compare each day's pair as a set.
    expect(h2h.map((h: unknown[]) => h[0])).toEqual([
      '2026-09-15',
      '2026-09-15',
      '2026-09-12',
      '2026-09-12',
      '2026-09-01',
      '2026-09-01',
    ]);
    expect(h2h.map((h: unknown[]) => h[1]).sort()).toEqual(['B2', 'B3', 'C2', 'C3', 'D2', 'D3']);
    expect(page.ratings.map((r: { kind: string; matches: number }) => [r.kind, r.matches])).toEqual(
      [['doubles', 3]],
    );
    expect(page.history.map((h: { matchId: string }) => h.matchId)).toEqual([
      matches.m1,
      matches.m7,
      matches.m3,
    ]);
    expect(page.history[0].partner).toEqual({ id: a3.id, name: 'A3' });
    expect(page.history[0].opponents.map((o: { name: string }) => o.name).sort()).toEqual([
      'B2',
      'B3',
    ]);
    // A sport without lines: the page is there, empty.
    const padel = (await anonymous.get(`/api/players/${a2.id}?sport=padel`)).json();
    expect(padel).toMatchObject({ sport: 'padel', sports: ['tennis'], ratings: [], history: [] });
    expect(padel.stats.overall).toEqual({ played: 0, won: 0, lost: 0, winPct: null });
  });

  it("a team's stats: record, lines, players and recent results, by hand", async () => {
    const { league, matches } = season;
    const response = await anonymous.get(`/api/teams/${team(league, A).teamId}/stats`);
    expect(response.statusCode).toBe(200);
    const stats = response.json();
    expect(stats.teamId).toBe(team(league, A).teamId);
    // Final: m1 won, m7 won, m3 lost; m4 is still pending.
    expect(stats.record).toEqual({ played: 3, won: 2, lost: 1, tied: 0 });
    // The walkover counts for the team's singles line.
    expect(stats.lines).toEqual([
      { kind: 'singles', line: 1, won: 2, lost: 1 },
      { kind: 'doubles', line: 1, won: 2, lost: 1 },
    ]);
    const a1 = player(league, A, 1);
    expect(
      stats.players.map(
        (p: {
          player: { name: string };
          played: number;
          won: number;
          lost: number;
          singlesRating: number | null;
          doublesRating: number | null;
        }) => [
          p.player.name,
          p.played,
          p.won,
          p.lost,
          p.singlesRating !== null,
          p.doublesRating !== null,
        ],
      ),
    ).toEqual([
      ['A2', 3, 2, 1, false, true],
      ['A3', 3, 2, 1, false, true],
      ['A1', 2, 1, 1, true, false],
    ]);
    const a1Page = (await anonymous.get(`/api/players/${a1.id}`)).json();
    expect(stats.players[2].singlesRating).toBe(a1Page.ratings[0].rating);
    expect(stats.recent).toEqual([
      {
        matchId: matches.m3,
        date: '2026-09-15',
        opponent: { id: team(league, C).teamId, name: 'Team C' },
        home: false,
        result: 'lost',
        linesFor: 0,
        linesAgainst: 2,
      },
      {
        matchId: matches.m7,
        date: '2026-09-12',
        opponent: { id: team(league, D).teamId, name: 'Team D' },
        home: true,
        result: 'won',
        linesFor: 2,
        linesAgainst: 0,
      },
      {
        matchId: matches.m1,
        date: '2026-09-01',
        opponent: { id: team(league, B).teamId, name: 'Team B' },
        home: true,
        result: 'won',
        linesFor: 2,
        linesAgainst: 0,
      },
    ]);
    const b = (await anonymous.get(`/api/teams/${team(league, B).teamId}/stats`)).json();
    expect(b.record).toEqual({ played: 3, won: 1, lost: 1, tied: 1 });
    // A team that never played: its roster, nothing else.
    const e = (await anonymous.get(`/api/teams/${team(league, 4).teamId}/stats`)).json();
    expect(e).toMatchObject({
      record: { played: 0, won: 0, lost: 0, tied: 0 },
      lines: [],
      recent: [],
    });
    expect(e.players.map((p: { played: number }) => p.played)).toEqual([0, 0, 0]);
  });

  it("a private league's players, boards and teams are invisible to outsiders", async () => {
    const hidden = await privateLeague(t.app, 'P');
    const m = await pastMatch(t.app, hidden, 0, 1, '2026-09-03');
    await confirmedResult(
      hidden,
      m,
      0,
      1,
      smallResult(
        hidden,
        0,
        1,
        [
          [6, 1],
          [6, 1],
        ],
        [
          [6, 2],
          [6, 2],
        ],
      ),
    );
    const outsider = (await signUp(t.app, 'player', 'Outsider')).agent;
    const pa1 = player(hidden, 0, 1);
    const urls = [
      `/api/players/${pa1.id}`,
      `/api/teams/${team(hidden, 0).teamId}/stats`,
      `/api/leaderboards?leagueId=${hidden.leagueId}`,
      `/api/leaderboards?divisionId=${hidden.divisionId}`,
    ];
    for (const agent of [anonymous, outsider]) {
      for (const url of urls) {
        const response = await agent.get(url);
        expect(response.statusCode, url).toBe(404);
        expect(response.headers['content-type']).toContain('application/problem+json');
      }
      const everywhere = (await agent.get('/api/leaderboards?sport=tennis&limit=200')).json();
      expect(everywhere.rows.map((r: Row) => r.player.name)).not.toContain('PA1');
    }
    // Their teammate sees them: on the page, the league's board and the tennis board.
    const mate = player(hidden, 0, 2).agent;
    const page = await mate.get(`/api/players/${pa1.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.json().stats.overall).toEqual({ played: 1, won: 1, lost: 0, winPct: 1 });
    const board = (await mate.get(`/api/leaderboards?leagueId=${hidden.leagueId}`)).json();
    expect(board.rows.map((r: Row) => r.player.name).sort()).toEqual(['PA1', 'PB1']);
    const tennis = (await mate.get('/api/leaderboards?sport=tennis&limit=200')).json();
    expect(tennis.rows.map((r: Row) => r.player.name)).toContain('PA1');
    expect((await mate.get(`/api/teams/${team(hidden, 1).teamId}/stats`)).statusCode).toBe(200);
    const unknown = await anonymous.get('/api/players/00000000-0000-4000-8000-000000000000');
    expect(unknown.statusCode).toBe(404);
  });
});
