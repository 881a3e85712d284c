import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, startTestApp, type TestApp, NO_RATE_LIMITS } from '../../test/app';
import { TEST_DATABASES } from '../../test/databases';
import { todayIn } from '#domain/rules/dates';
import { signUp } from '../../test/factories';
import { buildResultsLeague, confirmedResult, smallResult } from '../../test/results-factory';
import {
  buildSchedulingLeague,
  day,
  plusDays,
  evenings,
  publishSchedule,
  tuesday,
  twoDivisions,
} from '../../test/schedule-factory';

describe.each(TEST_DATABASES)('scheduling on %s', (kind) => {
  let t: TestApp;
  let organizer: Agent;
  let player: Agent;
  let captain: Agent;
  let leagueId: string;
  let divisionId: string;
  let teamIds: string[];
  let venueIds: string[];

  beforeAll(async () => {
    t = await startTestApp(kind, { env: { DEMO_MODE: 'true' }, overrides: NO_RATE_LIMITS });
    const league = await buildSchedulingLeague(t);
    ({ organizer, player, captain, leagueId, divisionId, teamIds, venueIds } = league);
    // The published schedule (schedule.test.ts): six matches, three for each team.
    await publishSchedule(league);
  });
  afterAll(async () => t?.close());

  it('only organizers add venues, and opening hours must make sense', async () => {
    const bad = await organizer.send('POST', `/api/leagues/${leagueId}/venues`, {
      name: 'Backwards',
      courts: 2,
      availability: [{ weekday: 'mon', from: '22:00', to: '18:00' }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('availability.0.to');
    const byCaptain = await captain.send('POST', `/api/leagues/${leagueId}/venues`, {
      name: 'Captain Courts',
      courts: 2,
      availability: evenings,
    });
    expect(byCaptain.statusCode).toBe(403);
    const listed = (await new Agent(t.app).get(`/api/leagues/${leagueId}/venues`)).json();
    expect(listed.map((v: { name: string }) => v.name)).toEqual(['North Courts', 'South Courts']);

    // Two organizers editing one venue: the stale edit gets 412 with the current venue.
    const [north] = listed;
    const first = await organizer.send(
      'PATCH',
      `/api/venues/${north.id}`,
      { courts: 5 },
      { 'if-match': String(north.version) },
    );
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ courts: 5, version: north.version + 1 });
    const stale = await organizer.send(
      'PATCH',
      `/api/venues/${north.id}`,
      { courts: 1 },
      { 'if-match': String(north.version) },
    );
    expect(stale.statusCode).toBe(412);
    expect(stale.json().current).toMatchObject({ courts: 5 });
    const back = await organizer.send('PATCH', `/api/venues/${north.id}`, { courts: north.courts });
    expect(back.json().courts).toBe(north.courts);
  });

  it('organizers postpone and cancel, every step is in the history, captains cannot', async () => {
    const [match] = (await player.get('/api/me/matches')).json();
    expect(
      (await captain.send('POST', `/api/matches/${match.id}/cancel`, { reason: 'Rain' }))
        .statusCode,
    ).toBe(403);
    const past = await organizer.send('POST', `/api/matches/${match.id}/postpone`, {
      date: day(-1),
      startTime: '19:00',
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().errors[0].field).toBe('date');

    const moved = await organizer.send('POST', `/api/matches/${match.id}/postpone`, {
      date: tuesday(60),
      startTime: '19:30',
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({
      status: 'postponed',
      date: tuesday(60),
      startTime: '19:30',
      sequence: 1,
    });

    const cancelled = await organizer.send('POST', `/api/matches/${match.id}/cancel`, {
      reason: 'Courts flooded',
    });
    expect(cancelled.json()).toMatchObject({
      status: 'cancelled',
      cancelReason: 'Courts flooded',
      sequence: 2,
    });
    expect(
      (await organizer.send('POST', `/api/matches/${match.id}/cancel`, { reason: 'Again' }))
        .statusCode,
    ).toBe(409);
    expect(
      (
        await organizer.send('POST', `/api/matches/${match.id}/postpone`, {
          date: day(70),
          startTime: '18:00',
        })
      ).statusCode,
    ).toBe(409);

    const history = (await player.get(`/api/matches/${match.id}/history`)).json();
    expect(history.map((e: { kind: string }) => e.kind)).toEqual([
      'created',
      'postponed',
      'cancelled',
    ]);
    expect(history[1]).toMatchObject({
      actor: 'Olga Organizer',
      details: {
        from: { date: match.date, startTime: match.startTime },
        to: { date: tuesday(60), startTime: '19:30' },
      },
    });
    expect(history[2].details).toEqual({ reason: 'Courts flooded' });
  });

  it('organizers add a single match and correct it; the rules are named when broken', async () => {
    const body = {
      homeTeamId: teamIds[0],
      awayTeamId: teamIds[1],
      date: tuesday(30),
      startTime: '19:00',
      durationMinutes: 90,
      venueId: venueIds[0],
    };
    expect(
      (await captain.send('POST', `/api/divisions/${divisionId}/matches`, body)).statusCode,
    ).toBe(403);
    const past = await organizer.send('POST', `/api/divisions/${divisionId}/matches`, {
      ...body,
      date: day(-2),
    });
    expect(past.json().errors).toEqual([{ field: 'date', message: 'In the past' }]);
    const self = await organizer.send('POST', `/api/divisions/${divisionId}/matches`, {
      ...body,
      awayTeamId: teamIds[0],
    });
    expect(self.json().errors[0].field).toBe('awayTeamId');
    const foreign = await organizer.send('POST', `/api/divisions/${divisionId}/matches`, {
      ...body,
      awayTeamId: '00000000-0000-4000-8000-000000000000',
    });
    expect(foreign.json().errors).toEqual([
      { field: 'awayTeamId', message: 'Not a team of this division' },
    ]);

    const created = await organizer.send('POST', `/api/divisions/${divisionId}/matches`, body);
    expect(created.statusCode).toBe(201);
    const match = created.json();
    expect(match).toMatchObject({
      status: 'scheduled',
      date: tuesday(30),
      startTime: '19:00',
      round: null,
    });

    const corrected = await organizer.send(
      'PATCH',
      `/api/matches/${match.id}`,
      { startTime: '18:30', venueId: venueIds[1] },
      { 'if-match': `"${match.version}"` },
    );
    expect(corrected.statusCode).toBe(200);
    expect(corrected.json()).toMatchObject({ startTime: '18:30', sequence: 1 });
    expect(corrected.json().venue.id).toBe(venueIds[1]);
    const stale = await organizer.send(
      'PATCH',
      `/api/matches/${match.id}`,
      { durationMinutes: 120 },
      { 'if-match': `"${match.version}"` },
    );
    expect(stale.statusCode).toBe(412);
    expect(stale.json().current).toMatchObject({ startTime: '18:30' });
    const history = (await organizer.get(`/api/matches/${match.id}/history`)).json();
    expect(history.map((e: { kind: string }) => e.kind)).toEqual(['created', 'updated']);
  });
});

describe.each(TEST_DATABASES)('a team with played matches on %s', (kind) => {
  it('is archived instead of deleted, and its results stay', async () => {
    const t = await startTestApp(kind, { env: { DEMO_MODE: 'true' }, overrides: NO_RATE_LIMITS });
    try {
      const captain = new Agent(t.app);
      await captain.prime();
      await captain.send('POST', '/api/auth/demo', { user: 'captain' });
      const [team] = (await captain.get('/api/me/teams')).json();
      const played = (await captain.get('/api/me/matches?when=past')).json();
      expect(played.length).toBeGreaterThan(0);

      const response = await captain.send('DELETE', `/api/teams/${team.id}`);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ id: team.id, archived: true });
      const after = (await captain.get(`/api/teams/${team.id}/matches`)).json();
      expect(after.filter((m: { status: string }) => m.status === 'played')).toHaveLength(
        played.length,
      );
      // Its unplayed matches are called off, visibly and with their history.
      const unplayed = after.filter((m: { status: string }) => m.status !== 'played');
      expect(unplayed.length).toBeGreaterThan(0);
      for (const m of unplayed) {
        expect(m).toMatchObject({
          status: 'cancelled',
          cancelReason: 'The team withdrew from the division',
        });
      }
      const history = (await captain.get(`/api/matches/${unplayed[0].id}/history`)).json();
      expect(history.at(-1)).toMatchObject({ kind: 'cancelled', actor: 'Carlos Captain' });
      expect((await captain.send('DELETE', `/api/teams/${team.id}`)).statusCode).toBe(409);

      // The division's schedule can still be rebuilt around the archived team's history.
      const organizer = new Agent(t.app);
      await organizer.prime();
      await organizer.send('POST', '/api/auth/demo', { user: 'organizer' });
      const venues = (await organizer.get(`/api/leagues/${team.leagueId}/venues`)).json();
      const division = (await organizer.get(`/api/teams/${team.id}`)).json().divisionId;
      const live = (await organizer.get(`/api/divisions/${division}/teams`))
        .json()
        .filter((x: { archived: boolean }) => !x.archived);
      const draft = await organizer.send('POST', `/api/divisions/${division}/schedule/draft`, {
        matchDays: ['tue', 'thu'],
        timeSlots: ['18:30'],
        matchMinutes: 150,
        doubleRoundRobin: true,
        homeVenues: live.map((x: { id: string }) => ({ teamId: x.id, venueId: venues[0].id })),
      });
      expect(draft.statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });
});

describe.each(TEST_DATABASES)('slot clashes on %s', (kind) => {
  let t: TestApp;
  let organizer: Agent;
  let harbour: string;
  let quay: string;
  const ids: Record<string, string> = {};
  const divisions: Record<'A' | 'B', string> = { A: '', B: '' };
  const T = tuesday(14);
  const addMatch = (
    division: 'A' | 'B',
    home: string,
    away: string,
    slot: { date?: string; startTime: string; durationMinutes?: number; venueId?: string },
  ) =>
    organizer.send('POST', `/api/divisions/${divisions[division]}/matches`, {
      homeTeamId: ids[home],
      awayTeamId: ids[away],
      date: T,
      durationMinutes: 90,
      ...slot,
    });

  beforeAll(async () => {
    t = await startTestApp(kind, { env: { DEMO_MODE: 'true' }, overrides: NO_RATE_LIMITS });
    organizer = (await signUp(t.app, 'organizer', 'Olga Organizer')).agent;
    const league = await twoDivisions(t, organizer, {
      A: ['Harbour Aces', 'Northside', 'Baseliners'],
      B: ['Quayside', 'Westend', 'Eastgate', 'Southbank'],
    });
    Object.assign(divisions, league.divisions);
    Object.assign(ids, league.ids);
    const hours = ['tue', 'thu'].map((weekday) => ({ weekday, from: '18:00', to: '22:00' }));
    const venue = async (name: string, courts: number) =>
      (
        await organizer.send('POST', `/api/leagues/${league.leagueId}/venues`, {
          name,
          courts,
          availability: hours,
        })
      ).json().id as string;
    harbour = await venue('Harbour Club', 2);
    quay = await venue('Quay Courts', 4);
  });
  afterAll(async () => t?.close());

  it('a new match is refused while a team plays, named at the start time; a later one that day is not', async () => {
    const first = await addMatch('A', 'Harbour Aces', 'Northside', {
      startTime: '19:00',
      venueId: harbour,
    });
    expect(first.statusCode).toBe(201);
    ids.first = first.json().id;

    const clash = await addMatch('A', 'Baseliners', 'Harbour Aces', {
      startTime: '20:00',
      venueId: quay,
    });
    expect(clash.statusCode).toBe(409);
    expect(clash.headers['content-type']).toContain('application/problem+json');
    const message = `Harbour Aces already play Northside on ${T} at 19:00`;
    expect(clash.json()).toMatchObject({
      type: 'urn:rally:problem:slot-clash',
      status: 409,
      detail: `The match cannot be played then: ${message}.`,
      errors: [{ field: 'startTime', message }],
    });

    // Right after the first match ends: a double-header is the league's business.
    const later = await addMatch('A', 'Baseliners', 'Harbour Aces', {
      startTime: '20:30',
      venueId: quay,
    });
    expect(later.statusCode).toBe(201);
  });

  it("a venue's courts are shared by every division, counted at the busiest moment", async () => {
    const alongside = await addMatch('B', 'Quayside', 'Westend', {
      startTime: '19:30',
      venueId: harbour,
    });
    expect(alongside.statusCode).toBe(201);
    // From 20:00 both courts are taken (Harbour Aces v Northside until 20:30).
    const full = await addMatch('B', 'Eastgate', 'Southbank', {
      startTime: '20:00',
      durationMinutes: 60,
      venueId: harbour,
    });
    expect(full.statusCode).toBe(409);
    expect(full.json().errors).toEqual([
      {
        field: 'startTime',
        message: `Harbour Club has no court free at some time from 20:00 to 21:00 on ${T} (Harbour Aces v Northside at 19:00, Quayside v Westend at 19:30); this match needs 1`,
      },
    ]);
    const afterwards = await addMatch('B', 'Eastgate', 'Southbank', {
      startTime: '20:30',
      venueId: harbour,
    });
    expect(afterwards.statusCode).toBe(201);
  });

  it("a move must fit the venue's opening hours, and a refused move changes nothing", async () => {
    const wednesday = await organizer.send('POST', `/api/matches/${ids.first}/postpone`, {
      date: plusDays(T, 1),
      startTime: '19:00',
    });
    expect(wednesday.statusCode).toBe(409);
    expect(wednesday.json().errors).toEqual([
      { field: 'date', message: 'Harbour Club is not open on Wednesdays' },
    ]);
    const thursday = plusDays(T, 2);
    const late = await organizer.send('POST', `/api/matches/${ids.first}/postpone`, {
      date: thursday,
      startTime: '21:00',
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().errors).toEqual([
      {
        field: 'startTime',
        message:
          'Harbour Club is open 18:00–22:00 on Thursdays: a 90-minute match from 21:00 does not fit',
      },
    ]);
    const unchanged = (await organizer.get(`/api/matches/${ids.first}`)).json();
    expect(unchanged).toMatchObject({ date: T, startTime: '19:00', sequence: 0 });
    expect((await organizer.get(`/api/matches/${ids.first}/history`)).json()).toHaveLength(1);

    const moved = await organizer.send('POST', `/api/matches/${ids.first}/postpone`, {
      date: thursday,
      startTime: '20:30',
    });
    expect(moved.statusCode).toBe(200);
  });

  it('corrections are checked too, cancelled matches hold nothing, and a match with no venue only needs its teams', async () => {
    const T2 = tuesday(21);
    const early = await addMatch('A', 'Harbour Aces', 'Northside', {
      date: T2,
      startTime: '18:00',
      venueId: harbour,
    });
    const late = await addMatch('A', 'Harbour Aces', 'Baseliners', {
      date: T2,
      startTime: '20:00',
      venueId: harbour,
    });
    expect([early.statusCode, late.statusCode]).toEqual([201, 201]);
    const lateId = late.json().id;

    const earlier = await organizer.send('PATCH', `/api/matches/${lateId}`, { startTime: '19:00' });
    expect(earlier.statusCode).toBe(409);
    expect(earlier.json().errors).toEqual([
      { field: 'startTime', message: `Harbour Aces already play Northside on ${T2} at 18:00` },
    ]);
    const longer = await organizer.send('PATCH', `/api/matches/${lateId}`, {
      durationMinutes: 150,
    });
    expect(longer.statusCode).toBe(409);
    expect(longer.json().errors[0].message).toMatch(/^Harbour Club is open 18:00–22:00/);

    await organizer.send('POST', `/api/matches/${early.json().id}/cancel`, { reason: 'Rain' });
    const afterCancel = await organizer.send('PATCH', `/api/matches/${lateId}`, {
      startTime: '19:00',
    });
    expect(afterCancel.statusCode).toBe(200);

    const wednesday = plusDays(T2, 1);
    const noVenue = await organizer.send('POST', `/api/matches/${lateId}/postpone`, {
      date: wednesday,
      startTime: '19:00',
      venueId: null,
    });
    expect(noVenue.statusCode).toBe(200);
    expect(noVenue.json()).toMatchObject({ date: wednesday, venue: null });
  });
});

describe.each(TEST_DATABASES)('a played match on %s', (kind) => {
  it('still holds its teams: a new match at its time is refused', async () => {
    const t = await startTestApp(kind, { env: { DEMO_MODE: 'true' }, overrides: NO_RATE_LIMITS });
    try {
      const league = await buildResultsLeague(t.app, { teams: 3 });
      const [a, b, c] = league.teams.map((side) => side.teamId);
      const today = todayIn('UTC');
      const add = (homeTeamId: string | undefined, awayTeamId: string | undefined) =>
        league.organizer.send('POST', `/api/divisions/${league.divisionId}/matches`, {
          homeTeamId,
          awayTeamId,
          date: today,
          startTime: '00:00',
          durationMinutes: 120,
        });
      const played = (await add(a, b)).json().id;
      await confirmedResult(
        league,
        played,
        0,
        1,
        smallResult(
          league,
          0,
          1,
          [
            [6, 4],
            [6, 4],
          ],
          [
            [6, 3],
            [6, 3],
          ],
        ),
      );
      expect((await league.organizer.get(`/api/matches/${played}`)).json().status).toBe('played');

      const clash = await add(c, a);
      expect(clash.statusCode).toBe(409);
      expect(clash.json().errors).toEqual([
        { field: 'startTime', message: `Team A already play Team B on ${today} at 00:00` },
      ]);
    } finally {
      await t.close();
    }
  });
});
