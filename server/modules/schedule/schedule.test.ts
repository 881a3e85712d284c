import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, startTestApp, type TestApp, NO_RATE_LIMITS } from '../../test/app';
import { TEST_DATABASES } from '../../test/databases';
import { todayIn } from '#domain/rules/dates';
import { signUp } from '../../test/factories';
import { WEEKDAYS } from '#domain/schemas/dates';
import { buildResultsLeague, confirmedResult, smallResult } from '../../test/results-factory';
import {
  buildSchedulingLeague,
  day,
  plusDays,
  postponeThenCancelFirst,
  tuesday,
  twoDivisions,
  type SchedulingLeague,
} from '../../test/schedule-factory';

describe.each(TEST_DATABASES)('scheduling on %s', (kind) => {
  let t: TestApp;
  let league: SchedulingLeague;
  let organizer: Agent;
  let player: Agent;
  let captain: Agent;
  let divisionId: string;
  let teamIds: string[];
  let venueIds: string[];
  let settings: SchedulingLeague['settings'];

  beforeAll(async () => {
    t = await startTestApp(kind, { env: { DEMO_MODE: 'true' }, overrides: NO_RATE_LIMITS });
    league = await buildSchedulingLeague(t);
    ({ organizer, player, captain, divisionId, teamIds, venueIds, settings } = league);
  });
  afterAll(async () => t?.close());

  it('a draft pairs every team once, on match days at home venues, and saves nothing', async () => {
    const response = await organizer.send(
      'POST',
      `/api/divisions/${divisionId}/schedule/draft`,
      settings(),
    );
    expect(response.statusCode).toBe(200);
    const draft = response.json();
    expect(draft.problems).toEqual([]);
    const games = draft.matches.filter((m: { awayTeamId: string | null }) => m.awayTeamId);
    expect(games).toHaveLength(6);
    const pairs = new Set(
      games.map((m: { homeTeamId: string; awayTeamId: string }) =>
        [m.homeTeamId, m.awayTeamId].sort().join(),
      ),
    );
    expect(pairs.size).toBe(6);
    for (const m of games) {
      expect(['2', '4']).toContain(String(new Date(`${m.date}T12:00:00Z`).getUTCDay()));
      expect(m.date >= day(7)).toBe(true);
    }
    expect((await organizer.get(`/api/divisions/${divisionId}/matches`)).json()).toEqual([]);
  });

  it('a draft names what is missing, and only organizers may draft', async () => {
    const missing = await organizer.send('POST', `/api/divisions/${divisionId}/schedule/draft`, {
      ...settings(),
      homeVenues: [],
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().detail).toMatch(/Choose a home venue for Aces/);
    const backwards = await organizer.send('POST', `/api/divisions/${divisionId}/schedule/draft`, {
      ...settings(),
      endsOn: day(3),
    });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().errors.map((e: { field: string }) => e.field)).toContain('endsOn');
    expect(
      (await captain.send('POST', `/api/divisions/${divisionId}/schedule/draft`, settings()))
        .statusCode,
    ).toBe(403);
  });

  it('publishing needs the reviewed draft, and then everyone sees the schedule', async () => {
    const draft = (
      await organizer.send('POST', `/api/divisions/${divisionId}/schedule/draft`, settings())
    ).json();
    const stale = await organizer.send('POST', `/api/divisions/${divisionId}/schedule/publish`, {
      ...settings(),
      draftHash: 'not-the-draft',
    });
    expect(stale.statusCode).toBe(409);
    expect((await organizer.get(`/api/divisions/${divisionId}/matches`)).json()).toEqual([]);

    const published = await organizer.send(
      'POST',
      `/api/divisions/${divisionId}/schedule/publish`,
      {
        ...settings(),
        draftHash: draft.draftHash,
      },
    );
    expect(published.statusCode).toBe(200);
    expect(published.json()).toEqual({ created: 6, moved: 0, kept: 0 });

    const division = (await new Agent(t.app).get(`/api/divisions/${divisionId}/matches`)).json();
    expect(division).toHaveLength(6);
    expect(division[0]).toMatchObject({ status: 'scheduled', durationMinutes: 120, sequence: 0 });
    expect(division[0].venue.name).toMatch(/Courts$/);
    const mine = (await player.get('/api/me/matches')).json();
    expect(mine).toHaveLength(3);
    expect(
      mine.every((m: { homeTeam: { name: string }; awayTeam: { name: string } }) =>
        [m.homeTeam.name, m.awayTeam.name].includes('Aces'),
      ),
    ).toBe(true);
    expect((await player.get('/api/me/matches?when=past')).json()).toEqual([]);
    expect((await player.get(`/api/teams/${teamIds[1]}/matches`)).json()).toHaveLength(3);
  });

  describe('after matches were moved, cancelled and added by hand', () => {
    // What the single-match tests (matches.test.ts) and the calendar feed's (calendar.test.ts)
    // change: two of Aces' matches cancelled, then Aces v Baseliners added by hand and corrected.
    beforeAll(async () => {
      await postponeThenCancelFirst(league);
      const [next] = (await player.get('/api/me/matches'))
        .json()
        .filter((m: { status: string }) => m.status === 'scheduled');
      const cancelled = await organizer.send('POST', `/api/matches/${next.id}/cancel`, {
        reason: 'Tournament clash',
      });
      expect(cancelled.statusCode).toBe(200);
      const created = await organizer.send('POST', `/api/divisions/${divisionId}/matches`, {
        homeTeamId: teamIds[0],
        awayTeamId: teamIds[1],
        date: tuesday(30),
        startTime: '19:00',
        durationMinutes: 90,
        venueId: venueIds[0],
      });
      expect(created.statusCode).toBe(201);
      const corrected = await organizer.send(
        'PATCH',
        `/api/matches/${created.json().id}`,
        { startTime: '18:30', venueId: venueIds[1] },
        { 'if-match': `"${created.json().version}"` },
      );
      expect(corrected.statusCode).toBe(200);
    });

    it('rebuilding the schedule moves unplayed matches in place: same ids, feeds and history', async () => {
      const before = (await organizer.get(`/api/divisions/${divisionId}/matches`)).json();
      const unplayed = before.filter((m: { status: string }) =>
        ['scheduled', 'postponed'].includes(m.status),
      );
      const later = { ...settings(), timeSlots: ['19:00'] };
      const draft = (
        await organizer.send('POST', `/api/divisions/${divisionId}/schedule/draft`, later)
      ).json();
      const published = await organizer.send(
        'POST',
        `/api/divisions/${divisionId}/schedule/publish`,
        { ...later, draftHash: draft.draftHash },
      );
      expect(published.statusCode).toBe(200);
      // Of the two pairings cancelled by earlier tests, Aces v Baseliners has the match added by
      // hand since; Cross Courts v Aces is scheduled again: the only new match.
      const { created, moved } = published.json();
      expect(created).toBe(1);
      expect(moved).toBeGreaterThan(0);
      const after = (await organizer.get(`/api/divisions/${divisionId}/matches`)).json();
      // Every unplayed match is still there under its id, now at 19:00.
      for (const m of unplayed) {
        const now = after.find((a: { id: string }) => a.id === m.id);
        expect(now?.startTime).toBe('19:00');
      }
      expect(after).toHaveLength(before.length + created);
      const changed = unplayed.find((m: { startTime: string }) => m.startTime !== '19:00');
      const history = (await organizer.get(`/api/matches/${changed.id}/history`)).json();
      expect(history.at(-1)).toMatchObject({
        kind: 'updated',
        details: { reason: 'schedule rebuilt', to: { startTime: '19:00' } },
      });
      const moved1 = after.find((a: { id: string }) => a.id === changed.id);
      expect(moved1.sequence).toBe(changed.sequence + 1);
    });
  });
});

describe.each(TEST_DATABASES)(
  'courts shared by divisions when schedules are built on %s',
  (kind) => {
    let t: TestApp;
    let organizer: Agent;
    let court: string;
    const divisions: Record<'A' | 'B', string> = { A: '', B: '' };
    const teams: Record<'A' | 'B', string[]> = { A: [], B: [] };
    const T = tuesday(14);
    /** One Tuesday, one court, 120-minute matches on it: each division has one match to place. */
    const settings = (division: 'A' | 'B', timeSlots: string[], date = T) => ({
      startsOn: date,
      endsOn: date,
      matchDays: ['tue'],
      timeSlots,
      matchMinutes: 120,
      courtsPerMatch: 1,
      homeVenues: teams[division].map((teamId) => ({ teamId, venueId: court })),
    });
    const draft = async (division: 'A' | 'B', timeSlots: string[], date = T) => {
      const response = await organizer.send(
        'POST',
        `/api/divisions/${divisions[division]}/schedule/draft`,
        settings(division, timeSlots, date),
      );
      expect(response.statusCode).toBe(200);
      return response.json();
    };
    const publish = (division: 'A' | 'B', timeSlots: string[], draftHash: string, date = T) =>
      organizer.send('POST', `/api/divisions/${divisions[division]}/schedule/publish`, {
        ...settings(division, timeSlots, date),
        draftHash,
      });
    /** The division's matches that hold a court. */
    const live = async (division: 'A' | 'B') =>
      (await organizer.get(`/api/divisions/${divisions[division]}/matches`))
        .json()
        .filter((m: { status: string }) => m.status !== 'cancelled');

    beforeAll(async () => {
      t = await startTestApp(kind, { env: { DEMO_MODE: 'true' }, overrides: NO_RATE_LIMITS });
      organizer = (await signUp(t.app, 'organizer', 'Olga Organizer')).agent;
      const names = { A: ['Aces', 'Baseliners'], B: ['Quayside', 'Westend'] };
      const league = await twoDivisions(t, organizer, names);
      Object.assign(divisions, league.divisions);
      for (const division of ['A', 'B'] as const) {
        teams[division] = names[division].map((name) => league.ids[name] as string);
      }
      court = (
        await organizer.send('POST', `/api/leagues/${league.leagueId}/venues`, {
          name: 'Lone Court',
          courts: 1,
          availability: [{ weekday: 'tue', from: '18:00', to: '22:00' }],
        })
      ).json().id;
    });
    afterAll(async () => t?.close());

    it("a division drafted after another's publication avoids its court, and names it when no time is left", async () => {
      const a = await draft('A', ['18:00', '20:00']);
      expect((await publish('A', ['18:00', '20:00'], a.draftHash)).statusCode).toBe(200);
      const [published] = await live('A');
      expect(published).toMatchObject({ date: T, startTime: '18:00' });

      const b = await draft('B', ['18:00', '20:00']);
      expect(b.problems).toEqual([]);
      expect(b.matches).toMatchObject([{ date: T, startTime: '20:00', venueId: court }]);

      const full = await draft('B', ['18:00']);
      expect(full.matches).toMatchObject([{ id: 'r01-m01', date: null, venueId: null }]);
      const [home, away] = [full.matches[0].homeTeamId, full.matches[0].awayTeamId].map(
        (id: string) => (id === teams.B[0] ? 'Quayside' : 'Westend'),
      );
      const other = `3.5 Mixed: ${published.homeTeam.name} v ${published.awayTeam.name} at 18:00`;
      expect(full.problems).toEqual([
        {
          kind: 'no_court',
          matchId: 'r01-m01',
          round: 1,
          teamIds: [full.matches[0].homeTeamId, full.matches[0].awayTeamId],
          date: T,
          venueId: court,
          message: `${home} v ${away} (round 1) could not be placed: Lone Court has no start time with 1 free court(s) on ${T}: its courts are taken by matches already booked there (${other})`,
        },
      ]);
      const refused = await publish('B', ['18:00'], full.draftHash);
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({
        type: 'urn:rally:problem:schedule-incomplete',
        problems: full.problems,
      });
      expect(await live('B')).toEqual([]);
    });

    it('a cancelled match frees its court, and a publication in between makes a reviewed draft stale', async () => {
      const [match] = await live('A');
      await organizer.send('POST', `/api/matches/${match.id}/cancel`, { reason: 'Withdrawn' });
      const b = await draft('B', ['18:00']);
      expect(b.problems).toEqual([]);
      expect(b.matches).toMatchObject([{ date: T, startTime: '18:00' }]);

      // Division A schedules its cancelled pairing again, into the slot B's draft took.
      const a = await draft('A', ['18:00']);
      expect((await publish('A', ['18:00'], a.draftHash)).statusCode).toBe(200);
      const stale = await publish('B', ['18:00'], b.draftHash);
      expect(stale.statusCode).toBe(409);
      expect(stale.json().detail).toMatch(/would differ from the draft you reviewed/);
      expect(await live('B')).toEqual([]);
    });

    it('two divisions publishing at once cannot both take the last court', async () => {
      const T2 = plusDays(T, 7);
      const [a, b] = [await draft('A', ['18:00'], T2), await draft('B', ['18:00'], T2)];
      for (const d of [a, b]) expect(d.matches).toMatchObject([{ date: T2, startTime: '18:00' }]);
      const answers = await Promise.all([
        publish('A', ['18:00'], a.draftHash, T2),
        publish('B', ['18:00'], b.draftHash, T2),
      ]);
      expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 409]);
      const booked = [...(await live('A')), ...(await live('B'))].filter(
        (m: { date: string }) => m.date === T2,
      );
      expect(booked).toHaveLength(1);
    });

    // Embedded PGlite has one connection: its transactions never overlap, so this is PostgreSQL's.
    if (kind === 'postgres') {
      it("a publication waits for the venue while another division's is between reading its courts and committing", async () => {
        const T3 = plusDays(T, 14);
        const [a, b] = [await draft('A', ['18:00'], T3), await draft('B', ['18:00'], T3)];
        const admin = new pg.Client({ connectionString: t.config.databaseUrl });
        await admin.connect();
        /** Until a backend of this database waits as `where` says (at most 5 s). */
        const waiting = async (where: string) => {
          for (let i = 0; i < 250; i++) {
            const { rows } = await admin.query(
              `select count(*)::int as n from pg_stat_activity where datname = current_database() and ${where}`,
            );
            if (rows[0].n > 0) return;
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
          throw new Error(`nothing waits where ${where}`);
        };
        try {
          // Holding division A's match stops its publication at moving it: after it has read the
          // venue's courts and regenerated, before it commits.
          // The app's login role works as rally_system (it inherits nothing), and goes back to
          // itself to see its own backends' waits in pg_stat_activity.
          await admin.query('begin');
          await admin.query('set local role rally_system');
          await admin.query('select 1 from matches where division_id = $1 for update', [
            divisions.A,
          ]);
          await admin.query('reset role');
          const publishingA = publish('A', ['18:00'], a.draftHash, T3);
          await waiting(`wait_event = 'transactionid'`);
          const publishingB = publish('B', ['18:00'], b.draftHash, T3);
          // B must not read the venue's courts before A is done: it waits for the venue's lock.
          await Promise.race([publishingB, waiting(`wait_event = 'advisory'`)]);
          await admin.query('rollback');
          const answers = [await publishingA, await publishingB];
          expect(answers.map((r) => r.statusCode)).toEqual([200, 409]);
          expect(answers[1]?.json().detail).toMatch(/would differ from the draft you reviewed/);
        } finally {
          await admin.end();
        }
      });
    }
  },
);

describe.each(TEST_DATABASES)("an archived team's played match on %s", (kind) => {
  it('still holds its court when its division is drafted again', async () => {
    const t = await startTestApp(kind, { env: { DEMO_MODE: 'true' }, overrides: NO_RATE_LIMITS });
    try {
      const league = await buildResultsLeague(t.app, { teams: 3 });
      const [a, b, c] = league.teams.map((side) => side.teamId);
      const court = (
        await league.organizer.send('POST', `/api/leagues/${league.leagueId}/venues`, {
          name: 'Centre Court',
          courts: 1,
          availability: WEEKDAYS.map((weekday) => ({ weekday, from: '00:00', to: '23:00' })),
        })
      ).json().id;
      const today = todayIn('UTC');
      const played = await league.organizer.send(
        'POST',
        `/api/divisions/${league.divisionId}/matches`,
        {
          homeTeamId: a,
          awayTeamId: c,
          date: today,
          startTime: '00:00',
          durationMinutes: 120,
          venueId: court,
        },
      );
      expect(played.statusCode).toBe(201);
      const result = smallResult(
        league,
        0,
        2,
        [
          [6, 4],
          [6, 4],
        ],
        [
          [6, 3],
          [6, 3],
        ],
      );
      await confirmedResult(league, played.json().id, 0, 2, result);
      const withdrawn = await league.teams[2]?.captain.send('DELETE', `/api/teams/${c}`);
      expect(withdrawn?.json()).toMatchObject({ archived: true });

      // Its match is no longer the schedule's (Team C is gone), but it was played on that court.
      const draft = await league.organizer.send(
        'POST',
        `/api/divisions/${league.divisionId}/schedule/draft`,
        {
          startsOn: today,
          endsOn: today,
          matchDays: [WEEKDAYS[(new Date(`${today}T12:00:00Z`).getUTCDay() + 6) % 7]],
          timeSlots: ['01:00'],
          matchMinutes: 60,
          courtsPerMatch: 1,
          homeVenues: [a, b].map((teamId) => ({ teamId, venueId: court })),
        },
      );
      expect(draft.statusCode).toBe(200);
      expect(draft.json().matches).toMatchObject([{ date: null }]);
      expect(draft.json().problems).toMatchObject([
        {
          kind: 'no_court',
          message: expect.stringMatching(/\(Open: Team A v Team C at 00:00\)$/),
        },
      ]);
    } finally {
      await t.close();
    }
  });
});
