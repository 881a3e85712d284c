import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent, TestApp } from '../../test/app';
import { TEST_DATABASES } from '../../test/databases';
import { signUp } from '../../test/factories';
import {
  startSeasonApp,
  type Season,
  player,
  privateLeagueWithResult,
} from '../../test/season-fixture';

interface Row {
  rank: number;
  player: { id: string; name: string };
  rating: number;
  matches: number;
  won: number;
  lost: number;
}

describe.each(TEST_DATABASES)('leaderboards on %s', (kind) => {
  let t: TestApp;
  let season: Season;
  let anonymous: Agent;

  beforeAll(async () => {
    ({ t, season, anonymous } = await startSeasonApp(kind));
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

  it("a private league's boards are invisible to outsiders", async () => {
    const hidden = await privateLeagueWithResult(t.app, 'P');
    const outsider = (await signUp(t.app, 'player', 'Outsider')).agent;
    const urls = [
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
    // Their teammate sees them: on the league's board and the tennis board.
    const mate = player(hidden, 0, 2).agent;
    const board = (await mate.get(`/api/leaderboards?leagueId=${hidden.leagueId}`)).json();
    expect(board.rows.map((r: Row) => r.player.name).sort()).toEqual(['PA1', 'PB1']);
    const tennis = (await mate.get('/api/leaderboards?sport=tennis&limit=200')).json();
    expect(tennis.rows.map((r: Row) => r.player.name)).toContain('PA1');
  });
});
