import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, NO_RATE_LIMITS } from '../../test/app';
import { TEST_DATABASES } from '../../test/databases';
import { createLeagueWithDivision, signUp } from '../../test/factories';
import { countStatements } from '../../test/statements';

/**
 * Team creation in one statement of its own (migrations 0015 and 0018, `idempotentWriteInOne`):
 * the same answers as the write it replaced, with the `Idempotency-Key` claimed and stored in
 * that statement, and nothing kept when it refuses.
 */
describe.each(TEST_DATABASES)('creating a team on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { env: { DEMO_MODE: 'true' }, overrides: NO_RATE_LIMITS });
  });
  afterAll(async () => t?.close());

  async function division(options: { registrationOpen?: boolean } = {}) {
    const organizer = await signUp(t.app, 'organizer', 'Olga Organizer');
    const ids = await createLeagueWithDivision(organizer.agent, {
      visibility: 'public',
      ...options,
    });
    const captain = await signUp(t.app, 'captain', 'Cara Captain');
    return { ...ids, organizer, captain };
  }

  it('answers with the team as its page shows it, and replays that answer for the same key', async () => {
    const { divisionId, captain } = await division();
    const key = { 'idempotency-key': 'create-team-once' };
    const body = { name: 'Once Only', homeVenue: 'Court 3', primaryColour: '#112233' };
    const first = await captain.agent.send('POST', `/api/divisions/${divisionId}/teams`, body, key);
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const team = first.json();
    const page = await captain.agent.get(`/api/teams/${team.id}`);
    expect(team).toEqual(page.json());
    expect(team).toMatchObject({
      name: 'Once Only',
      homeVenue: 'Court 3',
      primaryColour: '#112233',
      secondaryColour: null,
      archived: false,
      members: [{ userId: captain.id, displayName: 'Cara Captain', role: 'captain' }],
      access: { isCaptain: true, isMember: true, isOrganizer: false },
    });

    const again = await captain.agent.send('POST', `/api/divisions/${divisionId}/teams`, body, key);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(team);
    const other = await captain.agent.send(
      'POST',
      `/api/divisions/${divisionId}/teams`,
      { name: 'Something Else' },
      key,
    );
    expect(other.statusCode).toBe(422);
    const names = (await captain.agent.get(`/api/divisions/${divisionId}/teams`)).json();
    expect(names.map((n: { name: string }) => n.name)).toEqual(['Once Only']);
  });

  it('a key sent twice at once makes one team, and both answers are that team', async () => {
    const { divisionId, captain } = await division();
    const key = { 'idempotency-key': 'create-team-concurrently' };
    const answers = await Promise.all(
      [0, 1, 2].map(() =>
        captain.agent.send('POST', `/api/divisions/${divisionId}/teams`, { name: 'Twice' }, key),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201]);
    expect(new Set(answers.map((a) => a.json().id)).size).toBe(1);
    const list = (await captain.agent.get(`/api/divisions/${divisionId}/teams`)).json();
    expect(list).toHaveLength(1);
  });

  it('a refused write keeps no key: the same key goes through once the refusal is gone', async () => {
    const { divisionId, seasonId, organizer, captain } = await division({
      registrationOpen: false,
    });
    const key = { 'idempotency-key': 'create-team-after-opening' };
    const closed = await captain.agent.send(
      'POST',
      `/api/divisions/${divisionId}/teams`,
      { name: 'Latecomers' },
      key,
    );
    expect(closed.statusCode).toBe(403);
    expect(closed.json().detail).toMatch(/Registration for this season is closed/);
    const opened = await organizer.agent.send('PATCH', `/api/seasons/${seasonId}`, {
      registrationOpen: true,
    });
    expect(opened.statusCode).toBe(200);
    const created = await captain.agent.send(
      'POST',
      `/api/divisions/${divisionId}/teams`,
      { name: 'Latecomers' },
      key,
    );
    expect(created.statusCode).toBe(201);
    expect(created.headers['idempotent-replayed']).toBeUndefined();
  });

  it('refuses a player (403) and an unseen division (404), with or without a key', async () => {
    const { divisionId } = await division();
    const player = await signUp(t.app, 'player', 'Pat Player');
    for (const headers of [undefined, { 'idempotency-key': 'player-try' }]) {
      const refused = await player.agent.send(
        'POST',
        `/api/divisions/${divisionId}/teams`,
        { name: 'Not Mine' },
        headers,
      );
      expect(refused.statusCode).toBe(403);
      expect(refused.json().detail).toMatch(/Only captains and organizers/);
    }
    const privateOrganizer = await signUp(t.app, 'organizer', 'Priv Organizer');
    const hidden = await createLeagueWithDivision(privateOrganizer.agent, {
      visibility: 'private',
    });
    const captain = await signUp(t.app, 'captain', 'Outside Captain');
    const unseen = await captain.agent.send(
      'POST',
      `/api/divisions/${hidden.divisionId}/teams`,
      { name: 'Gatecrashers' },
      { 'idempotency-key': 'unseen' },
    );
    expect(unseen.statusCode).toBe(404);
  });

  // On embedded PGlite a statement is a call into this process: this is about the network.
  if (kind === 'postgres') {
    it('takes one round trip to PostgreSQL with a key: the write, as a statement of its own', async () => {
      const { divisionId, captain } = await division();
      // Warm: the pool's connections open, the session kept.
      expect((await captain.agent.get('/api/me')).statusCode).toBe(200);
      const { result, statements } = await countStatements(() =>
        captain.agent.send(
          'POST',
          `/api/divisions/${divisionId}/teams`,
          { name: 'Counted Comets' },
          { 'idempotency-key': 'count-1' },
        ),
      );
      expect(result.statusCode).toBe(201);
      // Was ten: BEGIN, the claim, the division, two inserts, two reads, the stored answer and
      // COMMIT apart (and the session's look-up, which a session kept in memory spares), then
      // three (migration 0015: BEGIN, the call, COMMIT).
      expect(statements.filter((s) => !/\bsessions\b/.test(s))).toEqual([
        expect.stringMatching(/^select app_create_team_as\(/),
      ]);
      expect(statements.length).toBeLessThanOrEqual(2);
    });
  }
});
