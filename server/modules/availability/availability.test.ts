import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, startTestApp, type TestApp } from '../../test/app';
import { TEST_DATABASES } from '../../test/databases';

/** Availability and lineups, on the demo league: the demo captain and player share a team. */
describe.each(TEST_DATABASES)('availability and lineups on %s', (kind) => {
  let t: TestApp;
  let captain: Agent;
  let player: Agent;
  let organizer: Agent;
  let matchId: string;
  let team: { id: string; members: { userId: string; displayName: string }[] };

  async function as(user: string): Promise<Agent> {
    const agent = new Agent(t.app);
    await agent.prime();
    expect((await agent.send('POST', '/api/auth/demo', { user })).statusCode).toBe(204);
    return agent;
  }

  beforeAll(async () => {
    t = await startTestApp(kind, { env: { DEMO_MODE: 'true' } });
    captain = await as('captain');
    player = await as('player');
    organizer = await as('organizer');
    const [mine] = (await captain.get('/api/me/teams')).json();
    team = (await captain.get(`/api/teams/${mine.id}`)).json();
    matchId = (await player.get('/api/me/matches')).json()[0].id;
  });
  afterAll(async () => t?.close());

  it("a player answers for their team's match, and can change the answer", async () => {
    const first = await player.send('PUT', `/api/matches/${matchId}/availability`, {
      answer: 'maybe',
      note: 'Back from work at 7',
    });
    expect(first.statusCode).toBe(200);
    const again = await player.send('PUT', `/api/matches/${matchId}/availability`, {
      answer: 'available',
    });
    const grid = again.json();
    expect(grid.teamId).toBe(team.id);
    expect(grid.players).toHaveLength(team.members.length);
    const answered = grid.players.filter((p: { answer: string | null }) => p.answer !== null);
    expect(answered).toEqual([
      expect.objectContaining({ displayName: 'Priya Player', answer: 'available', note: null }),
    ]);
    const bad = await player.send('PUT', `/api/matches/${matchId}/availability`, {
      answer: 'perhaps',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('answer');
    // My schedule carries my own answer, so the app needs no request per match for it.
    const mine = (await player.get('/api/me/matches')).json();
    expect(mine.find((m: { id: string }) => m.id === matchId).myAvailability).toBe('available');
    expect((await captain.get('/api/me/matches')).json()[0].myAvailability).toBeNull();
  });

  it("the captain sees the grid; the other team does not see this team's", async () => {
    const grid = (await captain.get(`/api/matches/${matchId}/availability`)).json();
    expect(
      grid.players.find((p: { displayName: string }) => p.displayName === 'Priya Player').answer,
    ).toBe('available');
    const stranger = await as('new');
    expect((await stranger.get(`/api/matches/${matchId}/availability`)).statusCode).toBe(403);
    const asOrganizer = await organizer.get(
      `/api/matches/${matchId}/availability?teamId=${team.id}`,
    );
    expect(asOrganizer.statusCode).toBe(200);
  });

  it('the captain sets a lineup from the roster; the rules are named when broken', async () => {
    const [a, b, c] = team.members.map((m) => m.userId) as [string, string, string];
    const set = await captain.send('PUT', `/api/matches/${matchId}/lineup`, {
      lines: [
        { kind: 'singles', line: 1, players: [a] },
        { kind: 'doubles', line: 1, players: [b, c] },
      ],
    });
    expect(set.statusCode).toBe(200);
    expect(set.json().lines).toEqual([
      expect.objectContaining({ kind: 'singles', line: 1, players: [a] }),
      expect.objectContaining({ kind: 'doubles', line: 1, players: [b, c] }),
    ]);
    const twice = await captain.send('PUT', `/api/matches/${matchId}/lineup`, {
      lines: [
        { kind: 'singles', line: 1, players: [a] },
        { kind: 'singles', line: 2, players: [a] },
      ],
    });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().errors).toEqual([
      { field: 'lines.1.players.0', message: 'Already plays another line' },
    ]);
    const stranger = (await organizer.get('/api/me')).json().id;
    const outsider = await captain.send('PUT', `/api/matches/${matchId}/lineup`, {
      lines: [{ kind: 'singles', line: 1, players: [stranger] }],
    });
    expect(outsider.statusCode).toBe(400);
    // Nothing partial: the lineup is still the first one.
    expect((await player.get(`/api/matches/${matchId}/lineup`)).json().lines).toHaveLength(2);
    expect(
      (await player.send('PUT', `/api/matches/${matchId}/lineup`, { lines: [] })).statusCode,
    ).toBe(403);
  });

  it('nobody answers for a cancelled match', async () => {
    await organizer.send('POST', `/api/matches/${matchId}/cancel`, { reason: 'Snow' });
    const late = await player.send('PUT', `/api/matches/${matchId}/availability`, {
      answer: 'available',
    });
    expect(late.statusCode).toBe(409);
  });
});
