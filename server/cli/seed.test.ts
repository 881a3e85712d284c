import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, startTestApp, type TestApp } from '../test/app';
import { TEST_DATABASES } from '../test/databases';
import { seedDemo } from './seed';

describe.each(TEST_DATABASES)('demo data on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { env: { DEMO_MODE: 'true' } });
  });
  afterAll(async () => t?.close());

  async function as(user: string): Promise<Agent> {
    const agent = new Agent(t.app);
    await agent.prime();
    expect((await agent.send('POST', '/api/auth/demo', { user })).statusCode).toBe(204);
    return agent;
  }

  it('has a public league of two divisions and eight teams, readable signed out', async () => {
    const visitor = new Agent(t.app);
    const leagues = (await visitor.get('/api/leagues')).json();
    const demo = leagues.find((l: { name: string }) => l.name === 'Riverside Tennis League');
    expect(demo).toMatchObject({ sport: 'tennis', visibility: 'public' });
    const league = (await visitor.get(`/api/leagues/${demo.id}`)).json();
    expect(league.seasons).toHaveLength(1);
    const divisions = league.seasons[0].divisions;
    expect(divisions.map((d: { teamCount: number }) => d.teamCount)).toEqual([4, 4]);
    let players = 0;
    for (const division of divisions) {
      const teams = (await visitor.get(`/api/divisions/${division.id}/teams`)).json();
      players += teams.reduce(
        (n: number, team: { memberCount: number }) => n + team.memberCount,
        0,
      );
    }
    expect(players).toBe(64);
  });

  it('has confirmed results for the weeks already played, with ratings from them', async () => {
    const db = t.app.db.owner;
    const played = await db
      .selectFrom('matches')
      .where('status', '=', 'played')
      .select('id')
      .execute();
    expect(played.length).toBeGreaterThan(0);
    const results = await db
      .selectFrom('matchResults')
      .select(['matchId', 'status', 'decidedHow'])
      .execute();
    expect(results.map((r) => r.matchId).sort()).toEqual(played.map((p) => p.id).sort());
    expect(results.every((r) => r.status === 'final' && r.decidedHow === 'confirmed')).toBe(true);
    // Two singles and three doubles lines a match: 2 + 6 players a side move each week.
    const moves = await db.selectFrom('ratingEvents').select('matchId').execute();
    expect(moves).toHaveLength(played.length * 16);
    const ratings = await db
      .selectFrom('playerRatings')
      .select(['rating', 'matches', 'won', 'lost'])
      .execute();
    expect(ratings.every((r) => r.won + r.lost === r.matches)).toBe(true);
    expect(new Set(ratings.map((r) => Math.round(r.rating))).size).toBeGreaterThan(10);
  });

  it('puts each demo user in the league in their role', async () => {
    const organizer = await as('organizer');
    const leagues = (await organizer.get('/api/leagues')).json();
    expect(
      leagues.find((l: { name: string }) => l.name === 'Riverside Tennis League').access,
    ).toEqual({
      isOrganizer: true,
      isMember: false,
    });

    const captain = await as('captain');
    const [team] = (await captain.get('/api/me/teams')).json();
    expect(team).toMatchObject({ name: 'Oak Street Volley', role: 'captain' });
    const roster = (await captain.get(`/api/teams/${team.id}`)).json();
    expect(roster.members).toHaveLength(8);
    expect(roster.access.isCaptain).toBe(true);

    const player = await as('player');
    expect((await player.get('/api/me/teams')).json()).toEqual([
      expect.objectContaining({ id: team.id, role: 'player' }),
    ]);
  });

  it('has a published double round robin per division, its past weeks played', async () => {
    const player = await as('player');
    const upcoming = (await player.get('/api/me/matches')).json();
    const past = (await player.get('/api/me/matches?when=past')).json();
    // Four teams a division, double round robin: six matches a team.
    expect(upcoming.length + past.length).toBe(6);
    expect(past.length).toBeGreaterThan(0);
    expect(past.every((m: { status: string }) => m.status === 'played')).toBe(true);
    expect(
      upcoming.every(
        (m: { status: string; venue: unknown }) => m.status === 'scheduled' && m.venue,
      ),
    ).toBe(true);
  });

  it('seeding again adds nothing', async () => {
    const count = async () =>
      Number(
        (
          await t.app.db.owner
            .selectFrom('teamMembers')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    await seedDemo(t.app.db);
    expect(await count()).toBe(before);
    const leagues = await t.app.db.owner.selectFrom('leagues').select('id').execute();
    expect(leagues).toHaveLength(1);
  });
});
