import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayIn } from '#domain/rules/dates';
import { Agent, startTestApp, type TestApp, NO_RATE_LIMITS } from '../../test/app';
import { TEST_DATABASES } from '../../test/databases';
import { buildLeague, createTeam, signUp } from '../../test/factories';

/** `YYYY-MM-DD` moved by whole days. */
function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The VEVENTs of an iCal text, read with a real iCal parser: UID, SEQUENCE and the instant. */
function events(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  return calendar.getAllSubcomponents('vevent').map((e) => {
    const start = e.getFirstPropertyValue('dtstart') as ICAL.Time;
    return {
      uid: String(e.getFirstPropertyValue('uid')),
      sequence: Number(e.getFirstPropertyValue('sequence') ?? 0),
      utc: start.zone?.tzid === 'UTC',
      instant: start.toJSDate().toISOString(),
      end: (e.getFirstPropertyValue('dtend') as ICAL.Time | null)?.toJSDate().toISOString(),
      duration: e.getFirstPropertyValue('duration')?.toString(),
    };
  });
}

describe.each(TEST_DATABASES)('the league time zone on %s', (kind) => {
  let t: TestApp;
  let organizer: Agent;
  let captain: Agent;

  /** A league in `timeZone` with one division and two teams (the first is `captain`'s). */
  async function leagueIn(timeZone: string | undefined) {
    const league = await organizer.send(
      'POST',
      '/api/leagues',
      buildLeague({ name: `League in ${timeZone ?? 'no zone'}`, visibility: 'public', timeZone }),
    );
    expect(league.statusCode).toBe(201);
    const season = (
      await organizer.send('POST', `/api/leagues/${league.json().id}/seasons`, {
        name: 'Season',
        startsOn: addDays(todayIn('UTC'), -3),
        endsOn: '2027-12-31',
      })
    ).json();
    const divisionId = (
      await organizer.send('POST', `/api/seasons/${season.id}/divisions`, { name: 'Div' })
    ).json().id as string;
    const home = await createTeam(captain, divisionId, 'Home Team');
    const away = await createTeam(organizer, divisionId, 'Away Team');
    return { league: league.json(), divisionId, home, away };
  }

  beforeAll(async () => {
    t = await startTestApp(kind, { env: { DEMO_MODE: 'true' }, overrides: NO_RATE_LIMITS });
    organizer = (await signUp(t.app, 'organizer', 'Olga Organizer')).agent;
    captain = (await signUp(t.app, 'captain', 'Cody Captain')).agent;
  });
  afterAll(async () => t.close());

  it('a league is in UTC unless its organizer names a zone, and changes zone like any setting', async () => {
    const plain = (await organizer.send('POST', '/api/leagues', buildLeague())).json();
    expect(plain.timeZone).toBe('UTC');
    const changed = await organizer.send(
      'PATCH',
      `/api/leagues/${plain.id}`,
      { timeZone: 'Europe/London' },
      { 'if-match': '"1"' },
    );
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ timeZone: 'Europe/London', version: 2 });
    expect((await organizer.get(`/api/leagues/${plain.id}`)).json().timeZone).toBe('Europe/London');
    const named = await organizer.send(
      'POST',
      '/api/leagues',
      buildLeague({ timeZone: 'America/New_York' }),
    );
    expect(named.json().timeZone).toBe('America/New_York');
  });

  it('an unknown zone is a 400 naming timeZone', async () => {
    for (const timeZone of ['Mars/Olympus', '+05:00', 'EST', '']) {
      const created = await organizer.send('POST', '/api/leagues', buildLeague({ timeZone }));
      expect(created.statusCode).toBe(400);
      expect(created.json().errors.map((e: { field: string }) => e.field)).toEqual(['timeZone']);
    }
    const plain = (await organizer.send('POST', '/api/leagues', buildLeague())).json();
    const patched = await organizer.send('PATCH', `/api/leagues/${plain.id}`, {
      timeZone: 'Europe/Atlantis',
    });
    expect(patched.statusCode).toBe(400);
    expect(patched.json().errors.map((e: { field: string }) => e.field)).toEqual(['timeZone']);
  });

  it("today is the league's date: a new match may take it, not the day before", async () => {
    // At any hour, one of these two is not on the UTC date: Kiritimati (UTC+14) from 10:00 UTC,
    // Pago Pago (UTC-11) before 11:00 UTC.
    for (const zone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
      const { divisionId, home, away } = await leagueIn(zone);
      const today = todayIn(zone);
      const match = (date: string) =>
        organizer.send('POST', `/api/divisions/${divisionId}/matches`, {
          homeTeamId: home,
          awayTeamId: away,
          date,
          startTime: '18:00',
          durationMinutes: 90,
        });
      const yesterday = await match(addDays(today, -1));
      expect(yesterday.statusCode, `${zone} yesterday`).toBe(400);
      expect(yesterday.json().errors).toEqual([{ field: 'date', message: 'In the past' }]);
      const onToday = await match(today);
      expect(onToday.statusCode, `${zone} today`).toBe(201);
      const tomorrow = await match(addDays(today, 1));
      expect(tomorrow.statusCode).toBe(201);

      // Its result can be entered from the match's day in the league, not before.
      const canToday = (await organizer.get(`/api/matches/${onToday.json().id}/result`)).json();
      expect(canToday.can.settle, `${zone} result today`).toBe(true);
      const canTomorrow = (await organizer.get(`/api/matches/${tomorrow.json().id}/result`)).json();
      expect(canTomorrow.can.settle).toBe(false);

      // A move to the league's yesterday is refused; to its today, allowed.
      const moved = await organizer.send('POST', `/api/matches/${tomorrow.json().id}/postpone`, {
        date: addDays(today, -1),
        startTime: '19:00',
      });
      expect(moved.statusCode).toBe(400);

      // The captain's upcoming matches start at the league's today.
      const upcoming = (await captain.get('/api/me/matches?when=upcoming')).json();
      const past = (await captain.get('/api/me/matches?when=past')).json();
      const ids = (list: { id: string }[]) => list.map((m) => m.id);
      expect(ids(upcoming)).toEqual(expect.arrayContaining([onToday.json().id]));
      expect(ids(past)).not.toContain(onToday.json().id);
    }
  });

  it('calendar feeds give each match its instant in UTC from the league zone, across a change of clocks', async () => {
    const { divisionId, home, away } = await leagueIn('America/New_York');
    const add = async (date: string, startTime: string) =>
      (
        await organizer.send('POST', `/api/divisions/${divisionId}/matches`, {
          homeTeamId: home,
          awayTeamId: away,
          date,
          startTime,
          durationMinutes: 90,
        })
      ).json().id as string;
    // New York leaves summer time on Sunday 7 November 2027 at 02:00.
    const saturday = await add('2027-11-06', '19:00');
    const sunday = await add('2027-11-07', '19:00');
    const early = await add('2027-11-07', '01:30');
    const feed = (await captain.send('POST', `/api/teams/${home}/calendar`)).json();
    const path = new URL(feed.url).pathname;
    const anonymous = new Agent(t.app);
    const first = await anonymous.get(path);
    expect(first.statusCode).toBe(200);
    expect(first.body).toMatch(/DTSTART:20271106T230000Z/);
    expect(first.body).not.toMatch(/TZID/);
    const byUid = (list: ReturnType<typeof events>, id: string) =>
      list.find((e) => e.uid.startsWith(`${id}@`));
    const before = events(first.body);
    expect(byUid(before, saturday)).toMatchObject({
      utc: true,
      instant: '2027-11-06T23:00:00.000Z', // 19:00 EDT (UTC-4)
      sequence: 0,
    });
    expect(byUid(before, sunday)).toMatchObject({
      utc: true,
      instant: '2027-11-08T00:00:00.000Z', // 19:00 EST (UTC-5)
    });
    // 01:30 happens twice that night: the first, still on summer time.
    expect(byUid(before, early)?.instant).toBe('2027-11-07T05:30:00.000Z');

    // A postponement across the change keeps the UID and counts in SEQUENCE.
    const moved = await organizer.send('POST', `/api/matches/${saturday}/postpone`, {
      date: '2027-11-09',
      startTime: '18:30',
    });
    expect(moved.statusCode).toBe(200);
    const after = events((await anonymous.get(path)).body);
    expect(after.map((e) => e.uid).sort()).toEqual(before.map((e) => e.uid).sort());
    expect(byUid(after, saturday)).toMatchObject({
      instant: '2027-11-09T23:30:00.000Z',
      sequence: 1,
    });
  });

  it('a UTC league and a London league show the same wall time at different instants in summer', async () => {
    const utc = await leagueIn(undefined);
    const london = await leagueIn('Europe/London');
    for (const l of [utc, london]) {
      await organizer.send('POST', `/api/divisions/${l.divisionId}/matches`, {
        homeTeamId: l.home,
        awayTeamId: l.away,
        date: '2027-07-01',
        startTime: '18:00',
        durationMinutes: 60,
      });
    }
    const feed = (await captain.send('POST', '/api/me/calendar')).json();
    const all = events((await new Agent(t.app).get(new URL(feed.url).pathname)).body);
    const july = all.filter((e) => e.instant.startsWith('2027-07-01')).map((e) => e.instant);
    expect(july.sort()).toEqual(['2027-07-01T17:00:00.000Z', '2027-07-01T18:00:00.000Z']);
  });
});
