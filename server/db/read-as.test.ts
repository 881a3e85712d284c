import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, startTestApp, type TestApp, NO_RATE_LIMITS } from '../test/app';
import { TEST_DATABASES } from '../test/databases';
import { createLeagueWithDivision, createTeam, signUp } from '../test/factories';
import { quietly } from '../test/quiet';

/**
 * `Database.readAs` keeps a read's answer for the user who asked (decision 0011): never given to
 * anybody else, whose row-level-security policies may show them less, and never after a write.
 */
describe.each(TEST_DATABASES)('answers kept per user on %s', (kind) => {
  let t: TestApp;
  let organizer: { agent: Agent; id: string };
  let player: { agent: Agent; id: string };
  let leagueId: string;
  let divisionId: string;

  beforeAll(async () => {
    t = await startTestApp(kind, { env: { DEMO_MODE: 'true' }, overrides: NO_RATE_LIMITS });
    organizer = await signUp(t.app, 'organizer', 'Olga Organizer');
    player = await signUp(t.app, 'player', 'Pat Player');
    ({ leagueId, divisionId } = await createLeagueWithDivision(organizer.agent));
    await createTeam(organizer.agent, divisionId, 'Hidden Aces');
  });
  afterAll(async () => t?.close());

  it('reads once per user while nothing is written, and again for another user', async () => {
    let reads = 0;
    const read = (userId: string | null) =>
      t.app.db.readAs(userId, 'test:leagues', async (tx) => {
        reads++;
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from leagues`.execute(
          tx,
        );
        return rows[0]?.n;
      });
    const seen = await read(organizer.id);
    const again = await quietly(t.app.db, async () => {
      await read(organizer.id);
      const before = reads;
      expect(await read(organizer.id)).toBe(seen);
      return reads - before;
    });
    expect(again).toBe(0);
    // The player may not see the private league: their own read, with their own answer.
    const before = reads;
    expect(await read(player.id)).toBe((seen as number) - 1);
    expect(await read(null)).toBe((seen as number) - 1);
    expect(reads - before).toBe(2);
  });

  it('a kept answer is not given to a user whom the policies show less', async () => {
    const pages = [`/api/leagues/${leagueId}`, `/api/divisions/${divisionId}/teams`];
    for (const page of pages) {
      // Twice: the second answer is the kept one, where anything is kept.
      expect((await organizer.agent.get(page)).statusCode).toBe(200);
      expect((await organizer.agent.get(page)).statusCode).toBe(200);
      expect((await player.agent.get(page)).statusCode).toBe(404);
      expect((await new Agent(t.app).get(page)).statusCode).toBe(404);
    }
    const names = async (agent: Agent) =>
      (await agent.get('/api/leagues')).json().map((l: { id: string }) => l.id);
    expect(await names(organizer.agent)).toContain(leagueId);
    expect(await names(organizer.agent)).toContain(leagueId);
    expect(await names(player.agent)).not.toContain(leagueId);
  });

  it('a kept answer is dropped once a write commits', async () => {
    const teams = async () =>
      (await organizer.agent.get(`/api/divisions/${divisionId}/teams`))
        .json()
        .map((team: { name: string }) => team.name);
    expect(await teams()).toEqual(['Hidden Aces']);
    await createTeam(organizer.agent, divisionId, 'Net Gains');
    expect(await teams()).toEqual(['Hidden Aces', 'Net Gains']);

    const league = async () => (await organizer.agent.get(`/api/leagues/${leagueId}`)).json();
    const before = await league();
    const renamed = await organizer.agent.send('PATCH', `/api/leagues/${leagueId}`, {
      name: 'Renamed League',
    });
    expect(renamed.statusCode).toBe(200);
    expect((await league()).name).toBe('Renamed League');
    expect((await league()).version).toBe(before.version + 1);

    // A league made public is listed at once for those who could not see it before.
    expect((await player.agent.get(`/api/leagues/${leagueId}`)).statusCode).toBe(404);
    await organizer.agent.send('PATCH', `/api/leagues/${leagueId}`, { visibility: 'public' });
    expect((await player.agent.get(`/api/leagues/${leagueId}`)).statusCode).toBe(200);
    expect(
      (await new Agent(t.app).get('/api/leagues')).json().map((l: { id: string }) => l.id),
    ).toContain(leagueId);
  });
});
