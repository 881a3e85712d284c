import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Agent, startTestApp, type TestApp, NO_RATE_LIMITS } from '../../test/app';
import { TEST_DATABASES } from '../../test/databases';
import { WEEKDAYS } from '#domain/schemas/dates';
import { buildLeague, createTeam, signUp } from '../../test/factories';

const day = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe.each(TEST_DATABASES)("captains' date proposals on %s", (kind) => {
  let t: TestApp;
  let organizer: Agent;
  let home: Agent;
  let away: Agent;
  let leagueId: string;
  let divisionId: string;
  let teams: [string, string];

  beforeAll(async () => {
    t = await startTestApp(kind, {
      env: { DEMO_MODE: 'true' },
      overrides: NO_RATE_LIMITS,
    });
    organizer = (await signUp(t.app, 'organizer', 'Olga Organizer')).agent;
    const league = (
      await organizer.send(
        'POST',
        '/api/leagues',
        buildLeague({ name: 'Proposal League', visibility: 'public' }),
      )
    ).json();
    leagueId = league.id;
    const season = (
      await organizer.send('POST', `/api/leagues/${league.id}/seasons`, {
        name: 'Now',
        startsOn: day(1),
        endsOn: day(100),
      })
    ).json();
    divisionId = (
      await organizer.send('POST', `/api/seasons/${season.id}/divisions`, { name: 'D' })
    ).json().id;
    home = (await signUp(t.app, 'captain', 'Hana Home')).agent;
    away = (await signUp(t.app, 'captain', 'Avi Away')).agent;
    teams = [
      await createTeam(home, divisionId, 'Home Team'),
      await createTeam(away, divisionId, 'Away Team'),
    ];
  });
  afterAll(async () => t?.close());

  /** A match of the two teams at 19:00, `offset` days ahead (a team plays one match at a time). */
  async function newMatch(offset: number, extra: { venueId?: string } = {}): Promise<string> {
    const created = await organizer.send('POST', `/api/divisions/${divisionId}/matches`, {
      homeTeamId: teams[0],
      awayTeamId: teams[1],
      date: day(offset),
      startTime: '19:00',
      durationMinutes: 120,
      ...extra,
    });
    expect(created.statusCode).toBe(201);
    return created.json().id;
  }

  it('one captain proposes, the other accepts, and the match moves with its history', async () => {
    const matchId = await newMatch(20);
    const proposed = await home.send('POST', `/api/matches/${matchId}/proposals`, {
      date: day(27),
      startTime: '18:00',
      message: 'Our courts are booked that night',
    });
    expect(proposed.statusCode).toBe(201);
    const [proposal] = proposed.json();
    expect(proposal).toMatchObject({
      status: 'open',
      date: day(27),
      startTime: '18:00',
      proposedBy: 'Hana Home',
    });

    expect((await home.send('POST', `/api/proposals/${proposal.id}/accept`)).statusCode).toBe(403);
    expect((await organizer.send('POST', `/api/proposals/${proposal.id}/accept`)).statusCode).toBe(
      403,
    );
    const again = await home.send('POST', `/api/matches/${matchId}/proposals`, {
      date: day(28),
      startTime: '18:00',
    });
    expect(again.statusCode).toBe(409);

    const accepted = await away.send('POST', `/api/proposals/${proposal.id}/accept`);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()[0].status).toBe('accepted');
    const match = (await away.get(`/api/teams/${teams[1]}/matches`))
      .json()
      .find((m: { id: string }) => m.id === matchId);
    expect(match).toMatchObject({
      status: 'postponed',
      date: day(27),
      startTime: '18:00',
      sequence: 1,
    });
    const history = (await away.get(`/api/matches/${matchId}/history`)).json();
    expect(history.at(-1)).toMatchObject({ kind: 'postponed', actor: 'Avi Away' });
    expect((await away.send('POST', `/api/proposals/${proposal.id}/decline`)).statusCode).toBe(409);
  });

  it('a declined or withdrawn proposal leaves the match where it was', async () => {
    const matchId = await newMatch(21);
    const [first] = (
      await away.send('POST', `/api/matches/${matchId}/proposals`, {
        date: day(30),
        startTime: '20:00',
      })
    ).json();
    expect((await home.send('POST', `/api/proposals/${first.id}/decline`)).json()[0].status).toBe(
      'declined',
    );
    const [second] = (
      await away.send('POST', `/api/matches/${matchId}/proposals`, {
        date: day(31),
        startTime: '20:00',
      })
    ).json();
    expect((await home.send('POST', `/api/proposals/${second.id}/withdraw`)).statusCode).toBe(403);
    expect((await away.send('POST', `/api/proposals/${second.id}/withdraw`)).json()[0].status).toBe(
      'withdrawn',
    );
    const match = (await home.get(`/api/teams/${teams[0]}/matches`))
      .json()
      .find((m: { id: string }) => m.id === matchId);
    expect(match).toMatchObject({ status: 'scheduled', date: day(21), startTime: '19:00' });
  });

  it('players, past dates and cancelled matches are refused', async () => {
    const matchId = await newMatch(22);
    const player = (await signUp(t.app, 'player', 'Pat Player')).agent;
    expect(
      (
        await player.send('POST', `/api/matches/${matchId}/proposals`, {
          date: day(40),
          startTime: '18:00',
        })
      ).statusCode,
    ).toBe(403);
    const past = await home.send('POST', `/api/matches/${matchId}/proposals`, {
      date: day(-3),
      startTime: '18:00',
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().errors[0].field).toBe('date');
    await organizer.send('POST', `/api/matches/${matchId}/cancel`, { reason: 'Venue closed' });
    expect(
      (
        await home.send('POST', `/api/matches/${matchId}/proposals`, {
          date: day(40),
          startTime: '18:00',
        })
      ).statusCode,
    ).toBe(409);
  });

  it('a date that clashes is refused when proposed, and again when accepted if taken since', async () => {
    // A venue open only on the weekday 35 days from now, so the day after it is closed.
    const weekday = WEEKDAYS[(new Date(`${day(35)}T12:00:00Z`).getUTCDay() + 6) % 7];
    const venue = await organizer.send('POST', `/api/leagues/${leagueId}/venues`, {
      name: 'Quay Courts',
      courts: 2,
      availability: [{ weekday, from: '18:00', to: '22:00' }],
    });
    const matchId = await newMatch(35, { venueId: venue.json().id });
    const propose = (date: string, startTime: string) =>
      home.send('POST', `/api/matches/${matchId}/proposals`, { date, startTime });

    const closed = await propose(day(36), '19:00');
    expect(closed.statusCode).toBe(409);
    expect(closed.json().errors).toEqual([
      { field: 'date', message: expect.stringMatching(/^Quay Courts is not open on \w+days$/) },
    ]);
    const blocker = await organizer.send('POST', `/api/divisions/${divisionId}/matches`, {
      homeTeamId: teams[1],
      awayTeamId: teams[0],
      date: day(42),
      startTime: '19:00',
      durationMinutes: 120,
    });
    expect(blocker.statusCode).toBe(201);
    const busy = await propose(day(42), '20:00');
    expect(busy.statusCode).toBe(409);
    expect(busy.json().errors).toEqual([
      { field: 'startTime', message: `Home Team already play Away Team on ${day(42)} at 19:00` },
    ]);
    expect((await home.get(`/api/matches/${matchId}/proposals`)).json()).toEqual([]);

    const [proposal] = (await propose(day(49), '19:00')).json();
    expect(proposal).toMatchObject({ status: 'open', date: day(49) });
    // Meanwhile the organizer puts the two teams on court at 18:00 that day.
    const taken = await organizer.send('POST', `/api/divisions/${divisionId}/matches`, {
      homeTeamId: teams[0],
      awayTeamId: teams[1],
      date: day(49),
      startTime: '18:00',
      durationMinutes: 120,
    });
    expect(taken.statusCode).toBe(201);
    const refused = await away.send('POST', `/api/proposals/${proposal.id}/accept`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().errors).toEqual([
      { field: 'startTime', message: `Home Team already play Away Team on ${day(49)} at 18:00` },
    ]);
    expect((await away.get(`/api/matches/${matchId}`)).json()).toMatchObject({
      date: day(35),
      sequence: 0,
    });
    expect((await away.get(`/api/matches/${matchId}/proposals`)).json()[0].status).toBe('open');

    await organizer.send('POST', `/api/matches/${taken.json().id}/cancel`, { reason: 'Mistake' });
    const accepted = await away.send('POST', `/api/proposals/${proposal.id}/accept`);
    expect(accepted.statusCode).toBe(200);
    expect((await away.get(`/api/matches/${matchId}`)).json()).toMatchObject({
      date: day(49),
      startTime: '19:00',
      status: 'postponed',
    });
  });
});
