import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent, TestApp } from '../../test/app';
import { TEST_DATABASES } from '../../test/databases';
import { signUp } from '../../test/factories';
import { buildResultsLeague } from '../../test/results-factory';
import {
  startSeasonApp,
  type Season,
  privateLeagueWithResult,
  team,
} from '../../test/season-fixture';

describe.each(TEST_DATABASES)('division standings on %s', (kind) => {
  let t: TestApp;
  let season: Season;
  let anonymous: Agent;

  beforeAll(async () => {
    ({ t, season, anonymous } = await startSeasonApp(kind));
  }, 120_000);
  afterAll(async () => t?.close());

  const rowOf = (r: { team: { name: string } } & Record<string, unknown>) => ({
    ...r,
    team: r.team.name,
  });

  it('ranks the final results by points, then the tiebreakers, worked out by hand', async () => {
    const { league } = season;
    const response = await anonymous.get(`/api/divisions/${league.divisionId}/standings`);
    expect(response.statusCode).toBe(200);
    const standings = response.json();
    expect(standings.divisionId).toBe(league.divisionId);
    expect(standings.rules).toEqual({
      pointsFor: 'matches',
      win: 2,
      tie: 1,
      loss: 0,
      tiebreakers: ['head_to_head', 'lines_pct', 'sets_pct', 'games_pct', 'fewest_forfeits'],
    });
    // Sets and games are as credited: D's walkover gave A 6-0 6-0, and A1's retirement gave C
    // the unfinished set at 6-1. The pending m4 (A would win 2-0) does not count; team E
    // (withdrawn without a result) is not listed, team D (withdrawn after playing) is.
    expect(standings.rows.map(rowOf)).toEqual([
      {
        rank: 1,
        team: 'Team A',
        played: 3,
        won: 2,
        lost: 1,
        tied: 0,
        points: 4,
        linesWon: 4,
        linesLost: 2,
        setsWon: 8,
        setsLost: 5,
        gamesWon: 58,
        gamesLost: 46,
        forfeits: 0,
        linesPct: 4 / 6,
        setsPct: 8 / 13,
        gamesPct: 58 / 104,
        decidedBy: 'points',
      },
      // Level on 3 points with B and even head-to-head (m2 tied): more lines won.
      {
        rank: 2,
        team: 'Team C',
        played: 2,
        won: 1,
        lost: 0,
        tied: 1,
        points: 3,
        linesWon: 3,
        linesLost: 1,
        setsWon: 6,
        setsLost: 2,
        gamesWon: 45,
        gamesLost: 29,
        forfeits: 0,
        linesPct: 3 / 4,
        setsPct: 6 / 8,
        gamesPct: 45 / 74,
        decidedBy: 'lines_pct',
      },
      {
        rank: 3,
        team: 'Team B',
        played: 3,
        won: 1,
        lost: 1,
        tied: 1,
        points: 3,
        linesWon: 3,
        linesLost: 3,
        setsWon: 7,
        setsLost: 6,
        gamesWon: 58,
        gamesLost: 46,
        forfeits: 0,
        linesPct: 3 / 6,
        setsPct: 7 / 13,
        gamesPct: 58 / 104,
        decidedBy: 'points',
      },
      {
        rank: 4,
        team: 'Team D',
        played: 2,
        won: 0,
        lost: 2,
        tied: 0,
        points: 0,
        linesWon: 0,
        linesLost: 4,
        setsWon: 0,
        setsLost: 8,
        gamesWon: 8,
        gamesLost: 48,
        forfeits: 1,
        linesPct: 0,
        setsPct: 0,
        gamesPct: 8 / 56,
        decidedBy: null,
      },
    ]);
    expect(standings.rows[0].team.id).toBe(team(league, 0).teamId);
  });

  it("follows the league's rules: points per line and no tiebreakers share a rank", async () => {
    const { league } = season;
    const rules = { pointsFor: 'lines', win: 1, tie: 0, loss: 0, tiebreakers: [] };
    const changed = await league.organizer.send('PATCH', `/api/leagues/${league.leagueId}`, {
      standingsRules: rules,
    });
    expect(changed.statusCode).toBe(200);
    try {
      const standings = (
        await anonymous.get(`/api/divisions/${league.divisionId}/standings`)
      ).json();
      expect(standings.rules).toEqual(rules);
      // Points are lines won: A 4, B 3, C 3, D 0. B and C stay level (listed by name).
      expect(
        standings.rows.map(
          (r: {
            rank: number;
            team: { name: string };
            points: number;
            decidedBy: string | null;
          }) => [r.rank, r.team.name, r.points, r.decidedBy],
        ),
      ).toEqual([
        [1, 'Team A', 4, 'points'],
        [2, 'Team B', 3, null],
        [2, 'Team C', 3, 'points'],
        [4, 'Team D', 0, null],
      ]);
    } finally {
      await league.organizer.send('PATCH', `/api/leagues/${league.leagueId}`, {
        standingsRules: {
          pointsFor: 'matches',
          win: 2,
          tie: 1,
          loss: 0,
          tiebreakers: ['head_to_head', 'lines_pct', 'sets_pct', 'games_pct', 'fewest_forfeits'],
        },
      });
    }
  });

  it('a division without results lists its teams level at rank 1', async () => {
    const fresh = await buildResultsLeague(t.app, { teams: 2, prefix: 'N' });
    const standings = (await anonymous.get(`/api/divisions/${fresh.divisionId}/standings`)).json();
    expect(standings.rows.map(rowOf)).toEqual(
      ['NTeam A', 'NTeam B'].map((name) => ({
        rank: 1,
        team: name,
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
      })),
    );
  });

  it("a private league's standings exist only for its people", async () => {
    const hidden = await privateLeagueWithResult(t.app, 'P');
    const url = `/api/divisions/${hidden.divisionId}/standings`;
    const outsider = (await signUp(t.app, 'player', 'Outsider')).agent;
    for (const agent of [anonymous, outsider]) {
      const response = await agent.get(url);
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    const member = team(hidden, 1).players[2]?.agent as Agent;
    const seen = (await member.get(url)).json();
    expect(
      seen.rows.map((r: { team: { name: string }; points: number }) => [r.team.name, r.points]),
    ).toEqual([
      ['PTeam A', 2],
      ['PTeam B', 0],
    ]);
    expect((await hidden.organizer.get(url)).statusCode).toBe(200);
  });

  // Last: it changes the season the tests above read.
  it('a corrected result moves the table, and head-to-head separates teams level on points', async () => {
    const { league, matches } = season;
    const players = (i: number) => team(league, i).players.map((p) => p.id);
    const corrected = await league.organizer.send(
      'POST',
      `/api/matches/${matches.m2}/result/correct`,
      {
        reason: 'The doubles score was entered the wrong way round',
        lines: [
          {
            kind: 'singles',
            line: 1,
            homePlayers: players(1).slice(0, 1),
            awayPlayers: players(2).slice(0, 1),
            sets: [
              { home: 7, away: 5 },
              { home: 6, away: 4 },
            ],
          },
          {
            kind: 'doubles',
            line: 1,
            homePlayers: players(1).slice(1, 3),
            awayPlayers: players(2).slice(1, 3),
            sets: [
              { home: 6, away: 3 },
              { home: 6, away: 2 },
            ],
          },
        ],
      },
    );
    expect(corrected.statusCode).toBe(200);
    // m2 is now B 2-0: A and B both have 4 points, and A beat B in m1.
    const standings = (await anonymous.get(`/api/divisions/${league.divisionId}/standings`)).json();
    expect(
      standings.rows.map(
        (r: { rank: number; team: { name: string }; points: number; decidedBy: string | null }) => [
          r.rank,
          r.team.name,
          r.points,
          r.decidedBy,
        ],
      ),
    ).toEqual([
      [1, 'Team A', 4, 'head_to_head'],
      [2, 'Team B', 4, 'points'],
      [3, 'Team C', 2, 'points'],
      [4, 'Team D', 0, null],
    ]);
    expect(standings.rows[1]).toMatchObject({
      won: 2,
      lost: 1,
      tied: 0,
      linesWon: 4,
      linesLost: 2,
    });
  });

  it('an unknown division is 404, a malformed id 400', async () => {
    const unknown = await anonymous.get(
      '/api/divisions/00000000-0000-4000-8000-000000000000/standings',
    );
    expect(unknown.statusCode).toBe(404);
    const malformed = await anonymous.get('/api/divisions/not-an-id/standings');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().errors[0].field).toBe('params.divisionId');
  });
});
