import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MATCH_FORMAT } from '#domain/schemas/leagues';
import { Agent, startTestApp, type TestApp, NO_RATE_LIMITS } from '../../test/app';
import { TEST_DATABASES } from '../../test/databases';
import { buildLeague, createLeagueWithDivision, createTeam, signUp } from '../../test/factories';

describe.each(TEST_DATABASES)('leagues, seasons and divisions on %s', (kind) => {
  let t: TestApp;
  let organizer: Agent;

  beforeAll(async () => {
    t = await startTestApp(kind, { env: { DEMO_MODE: 'true' }, overrides: NO_RATE_LIMITS });
    organizer = (await signUp(t.app, 'organizer', 'Olga Organizer')).agent;
  });
  afterAll(async () => t?.close());

  it('an organizer creates a league and becomes its owner', async () => {
    const response = await organizer.send(
      'POST',
      '/api/leagues',
      buildLeague({
        name: '  Metro Padel  ',
        sport: 'padel',
        description: 'Thursday nights',
        format: { ...DEFAULT_MATCH_FORMAT, lines: [{ kind: 'doubles', count: 3 }], noAd: true },
      }),
    );
    expect(response.statusCode).toBe(201);
    const league = response.json();
    expect(league).toMatchObject({
      name: 'Metro Padel',
      sport: 'padel',
      customSport: null,
      description: 'Thursday nights',
      visibility: 'private',
      format: { lines: [{ kind: 'doubles', count: 3 }], noAd: true, bestOfSets: 3 },
      rosterMin: 2,
      rosterMax: 8,
      version: 1,
      seasons: [],
      access: { isOrganizer: true, isMember: false },
    });
    expect(league.organizers).toEqual([
      { userId: expect.any(String), displayName: 'Olga Organizer', role: 'owner' },
    ]);
  });

  it('a custom sport needs its name, and the format must make sense', async () => {
    const response = await organizer.send(
      'POST',
      '/api/leagues',
      buildLeague({
        sport: 'custom',
        rosterMin: 9,
        rosterMax: 4,
        format: {
          ...DEFAULT_MATCH_FORMAT,
          lines: [
            { kind: 'singles', count: 1 },
            { kind: 'singles', count: 2 },
          ],
          tiebreakAt: 9,
        },
      }),
    );
    expect(response.statusCode).toBe(400);
    const fields = response
      .json()
      .errors.map((e: { field: string }) => e.field)
      .sort();
    expect(fields).toEqual(['customSport', 'format.lines', 'format.tiebreakAt', 'rosterMax']);
    const named = await organizer.send(
      'POST',
      '/api/leagues',
      buildLeague({ sport: 'custom', customSport: 'Beach tennis' }),
    );
    expect(named.statusCode).toBe(201);
    expect(named.json()).toMatchObject({ sport: 'custom', customSport: 'Beach tennis' });
  });

  it('refuses a NUL byte or an over-long name, and saves nothing', async () => {
    const before = (await organizer.get('/api/leagues')).json().length;
    for (const name of ['Bad\u0000League', 'x'.repeat(81), '   ']) {
      const response = await organizer.send('POST', '/api/leagues', buildLeague({ name }));
      expect(response.statusCode).toBe(400);
      expect(response.json().errors[0].field).toBe('name');
    }
    expect((await organizer.get('/api/leagues')).json()).toHaveLength(before);
  });

  it('a repeated create with the same Idempotency-Key makes one league', async () => {
    const key = { 'idempotency-key': 'create-league-once' };
    const body = buildLeague({ name: 'Once Only League' });
    const first = await organizer.send('POST', '/api/leagues', body, key);
    const again = await organizer.send('POST', '/api/leagues', body, key);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(first.json().id);
    const named = (await organizer.get('/api/leagues'))
      .json()
      .filter((l: { name: string }) => l.name === 'Once Only League');
    expect(named).toHaveLength(1);
  });

  it('changes a league with If-Match, and refuses a stale version with the current one', async () => {
    const league = (await organizer.send('POST', '/api/leagues', buildLeague())).json();
    const changed = await organizer.send(
      'PATCH',
      `/api/leagues/${league.id}`,
      { visibility: 'public', rosterMax: 12 },
      { 'if-match': '"1"' },
    );
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ visibility: 'public', rosterMax: 12, version: 2 });
    const stale = await organizer.send(
      'PATCH',
      `/api/leagues/${league.id}`,
      { name: 'Stale Name' },
      { 'if-match': '"1"' },
    );
    expect(stale.statusCode).toBe(412);
    expect(stale.json().current).toMatchObject({ name: league.name, version: 2 });
    const inverted = await organizer.send('PATCH', `/api/leagues/${league.id}`, { rosterMin: 20 });
    expect(inverted.statusCode).toBe(400);
    expect(inverted.json().errors).toEqual([{ field: 'rosterMax', message: expect.any(String) }]);
    const empty = await organizer.send('PATCH', `/api/leagues/${league.id}`, {});
    expect(empty.statusCode).toBe(400);
  });

  it('a league starts with 48 hours to confirm and the usual standings rules; organizers change them', async () => {
    const league = (await organizer.send('POST', '/api/leagues', buildLeague())).json();
    expect(league).toMatchObject({
      resultConfirmHours: 48,
      standingsRules: {
        pointsFor: 'matches',
        win: 2,
        tie: 1,
        loss: 0,
        tiebreakers: ['head_to_head', 'lines_pct', 'sets_pct', 'games_pct', 'fewest_forfeits'],
      },
    });
    const rules = {
      pointsFor: 'lines' as const,
      win: 1,
      tie: 0,
      loss: 0,
      tiebreakers: ['games_pct' as const],
    };
    const changed = await organizer.send('PATCH', `/api/leagues/${league.id}`, {
      resultConfirmHours: 72,
      standingsRules: rules,
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ resultConfirmHours: 72, standingsRules: rules });
    expect((await organizer.get(`/api/leagues/${league.id}`)).json()).toMatchObject({
      resultConfirmHours: 72,
      standingsRules: rules,
    });

    const created = await organizer.send(
      'POST',
      '/api/leagues',
      buildLeague({ resultConfirmHours: 24, standingsRules: { ...rules, tiebreakers: [] } }),
    );
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      resultConfirmHours: 24,
      standingsRules: { pointsFor: 'lines', tiebreakers: [] },
    });
  });

  it('refuses a bad tiebreaker list, points out of order and a confirmation deadline out of range', async () => {
    const league = (await organizer.send('POST', '/api/leagues', buildLeague())).json();
    const fieldsOf = (response: { json(): { errors: { field: string }[] } }) =>
      response
        .json()
        .errors.map((e) => e.field)
        .sort();
    const rules = { pointsFor: 'matches', win: 2, tie: 1, loss: 0 };
    const twice = await organizer.send('PATCH', `/api/leagues/${league.id}`, {
      standingsRules: { ...rules, tiebreakers: ['sets_pct', 'sets_pct'] },
    });
    expect(twice.statusCode).toBe(400);
    expect(twice.headers['content-type']).toContain('application/problem+json');
    expect(fieldsOf(twice)).toEqual(['standingsRules.tiebreakers']);
    const unknown = await organizer.send('PATCH', `/api/leagues/${league.id}`, {
      standingsRules: { ...rules, tiebreakers: ['coin_toss'] },
    });
    expect(fieldsOf(unknown)).toEqual(['standingsRules.tiebreakers.0']);
    const upsideDown = await organizer.send('PATCH', `/api/leagues/${league.id}`, {
      standingsRules: { ...rules, win: 0, tie: 1, tiebreakers: [] },
    });
    expect(fieldsOf(upsideDown)).toEqual(['standingsRules.win']);
    for (const hours of [0, 721, 1.5]) {
      const response = await organizer.send(
        'POST',
        '/api/leagues',
        buildLeague({ resultConfirmHours: hours }),
      );
      expect(response.statusCode).toBe(400);
      expect(fieldsOf(response)).toEqual(['resultConfirmHours']);
    }
    // Nothing was saved by the refused changes.
    expect((await organizer.get(`/api/leagues/${league.id}`)).json()).toMatchObject({
      version: 1,
      resultConfirmHours: 48,
      standingsRules: {
        tiebreakers: ['head_to_head', 'lines_pct', 'sets_pct', 'games_pct', 'fewest_forfeits'],
      },
    });
  });

  it('seasons keep their dates exactly and refuse to end before they start', async () => {
    const league = (await organizer.send('POST', '/api/leagues', buildLeague())).json();
    const season = await organizer.send('POST', `/api/leagues/${league.id}/seasons`, {
      name: 'Winter 2027',
      startsOn: '2027-01-04',
      endsOn: '2027-03-28',
      registrationOpen: false,
    });
    expect(season.statusCode).toBe(201);
    expect(season.json()).toMatchObject({
      startsOn: '2027-01-04',
      endsOn: '2027-03-28',
      registrationOpen: false,
    });
    const backwards = await organizer.send('POST', `/api/leagues/${league.id}/seasons`, {
      name: 'Backwards',
      startsOn: '2027-05-01',
      endsOn: '2027-04-01',
    });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().errors[0].field).toBe('endsOn');
    const impossible = await organizer.send('POST', `/api/leagues/${league.id}/seasons`, {
      name: 'Impossible',
      startsOn: '2027-02-30',
      endsOn: '2027-04-01',
    });
    expect(impossible.statusCode).toBe(400);
    const moved = await organizer.send('PATCH', `/api/seasons/${season.json().id}`, {
      endsOn: '2026-12-01',
    });
    expect(moved.statusCode).toBe(400);
    const opened = await organizer.send('PATCH', `/api/seasons/${season.json().id}`, {
      registrationOpen: true,
    });
    expect(opened.json()).toMatchObject({ registrationOpen: true, version: 2 });
    const duplicate = await organizer.send('POST', `/api/leagues/${league.id}/seasons`, {
      name: 'Winter 2027',
      startsOn: '2027-01-04',
      endsOn: '2027-03-28',
    });
    expect(duplicate.statusCode).toBe(409);
  });

  it('divisions are level bands, unique in their season, deletable while empty', async () => {
    const { leagueId, seasonId, divisionId } = await createLeagueWithDivision(organizer);
    const second = await organizer.send('POST', `/api/seasons/${seasonId}/divisions`, {
      name: '4.0 Mixed',
      levelMin: 3.5,
      levelMax: 4,
    });
    expect(second.statusCode).toBe(201);
    expect(second.json()).toMatchObject({ levelMin: 3.5, levelMax: 4, teamCount: 0 });
    const inverted = await organizer.send('POST', `/api/seasons/${seasonId}/divisions`, {
      name: 'Upside down',
      levelMin: 5,
      levelMax: 3,
    });
    expect(inverted.statusCode).toBe(400);
    const duplicate = await organizer.send('POST', `/api/seasons/${seasonId}/divisions`, {
      name: '4.0 Mixed',
    });
    expect(duplicate.statusCode).toBe(409);

    await createTeam(organizer, divisionId, 'Net Gains');
    const league = (await organizer.get(`/api/leagues/${leagueId}`)).json();
    expect(
      league.seasons[0].divisions.map((d: { teamCount: number }) => d.teamCount).sort(),
    ).toEqual([0, 1]);
    expect((await organizer.send('DELETE', `/api/divisions/${divisionId}`)).statusCode).toBe(409);
    expect((await organizer.send('DELETE', `/api/divisions/${second.json().id}`)).statusCode).toBe(
      204,
    );
    expect((await organizer.send('DELETE', `/api/leagues/${leagueId}`)).statusCode).toBe(409);
  });

  it('a league without teams can be deleted, and is gone', async () => {
    const { leagueId } = await createLeagueWithDivision(organizer);
    expect((await organizer.send('DELETE', `/api/leagues/${leagueId}`)).statusCode).toBe(204);
    expect((await organizer.get(`/api/leagues/${leagueId}`)).statusCode).toBe(404);
  });

  it('a co-organizer joins by accepting an invitation, runs the league, and can be removed; the owner stays', async () => {
    const league = (await organizer.send('POST', '/api/leagues', buildLeague())).json();
    const helper = await signUp(t.app, 'player', 'Hana Helper');
    await t.app.db.owner
      .updateTable('users')
      .set({ email: 'hana@example.com', emailVerified: true })
      .where('id', '=', helper.id)
      .execute();
    expect((await helper.agent.get(`/api/leagues/${league.id}`)).statusCode).toBe(404);

    // Without a mail server the invitation is written to the log; it waits in the app anyway.
    const invited = await organizer.send('POST', `/api/leagues/${league.id}/organizers`, {
      email: 'HANA@example.com',
    });
    expect(invited.statusCode).toBe(202);
    expect(invited.json()).toMatchObject({
      email: 'hana@example.com',
      status: 'pending',
      delivery: 'logged',
    });
    const [pending] = (await helper.agent.get('/api/organizer-invites')).json();
    const added = await helper.agent.send('POST', `/api/organizer-invites/${pending.id}/accept`);
    expect(added.statusCode).toBe(200);
    expect(added.json().organizers.map((o: { role: string }) => o.role)).toEqual([
      'owner',
      'co_organizer',
    ]);
    const edit = await helper.agent.send('PATCH', `/api/leagues/${league.id}`, {
      description: 'Run by two',
    });
    expect(edit.statusCode).toBe(200);

    const owner = added.json().organizers[0].userId;
    expect(
      (await helper.agent.send('DELETE', `/api/leagues/${league.id}/organizers/${owner}`))
        .statusCode,
    ).toBe(404);
    const removed = await organizer.send(
      'DELETE',
      `/api/leagues/${league.id}/organizers/${helper.id}`,
    );
    expect(removed.statusCode).toBe(200);
    expect((await helper.agent.get(`/api/leagues/${league.id}`)).statusCode).toBe(404);
  });

  it('a public league is listed and readable signed out; a private one is not', async () => {
    const open = (
      await organizer.send(
        'POST',
        '/api/leagues',
        buildLeague({ name: 'Open League', visibility: 'public' }),
      )
    ).json();
    const closed = (
      await organizer.send('POST', '/api/leagues', buildLeague({ name: 'Closed League' }))
    ).json();
    const visitor = new Agent(t.app);
    const names = (await visitor.get('/api/leagues')).json().map((l: { name: string }) => l.name);
    expect(names).toContain('Open League');
    expect(names).not.toContain('Closed League');
    expect((await visitor.get(`/api/leagues/${open.id}`)).statusCode).toBe(200);
    expect((await visitor.get(`/api/leagues/${closed.id}`)).statusCode).toBe(404);
    expect((await visitor.get('/api/leagues/not-a-uuid')).statusCode).toBe(400);
  });
});
