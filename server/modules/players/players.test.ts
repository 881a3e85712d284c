import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent, TestApp } from '../../test/app';
import { TEST_DATABASES } from '../../test/databases';
import { signUp } from '../../test/factories';
import {
  startSeasonApp,
  type Season,
  player,
  privateLeagueWithResult,
  team,
} from '../../test/season-fixture';

const [A, B, C, D] = [0, 1, 2, 3];

describe.each(TEST_DATABASES)('player pages and team stats on %s', (kind) => {
  let t: TestApp;
  let season: Season;
  let anonymous: Agent;

  beforeAll(async () => {
    ({ t, season, anonymous } = await startSeasonApp(kind));
  }, 120_000);
  afterAll(async () => t?.close());

  it('refuses an unknown sport on a player page, naming the field', async () => {
    const response = await anonymous.get(
      `/api/players/${player(season.league, A, 1).id}?sport=curling`,
    );
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'querystring.sport',
    ]);
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

  it("a private league's players and teams are invisible to outsiders", async () => {
    const hidden = await privateLeagueWithResult(t.app, 'P');
    const outsider = (await signUp(t.app, 'player', 'Outsider')).agent;
    const pa1 = player(hidden, 0, 1);
    const urls = [`/api/players/${pa1.id}`, `/api/teams/${team(hidden, 0).teamId}/stats`];
    for (const agent of [anonymous, outsider]) {
      for (const url of urls) {
        const response = await agent.get(url);
        expect(response.statusCode, url).toBe(404);
        expect(response.headers['content-type']).toContain('application/problem+json');
      }
    }
    // Their teammate sees them on the page.
    const mate = player(hidden, 0, 2).agent;
    const page = await mate.get(`/api/players/${pa1.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.json().stats.overall).toEqual({ played: 1, won: 1, lost: 0, winPct: 1 });
    expect((await mate.get(`/api/teams/${team(hidden, 1).teamId}/stats`)).statusCode).toBe(200);
    const unknown = await anonymous.get('/api/players/00000000-0000-4000-8000-000000000000');
    expect(unknown.statusCode).toBe(404);
  });
});
