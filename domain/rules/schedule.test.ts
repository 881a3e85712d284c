import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minutesOfDay, WEEKDAYS } from '../schemas/dates';
import { ScheduleInput } from '../schemas/schedule';
import type {
  DraftMatch,
  DraftSchedule,
  ExistingMatch,
  ValidScheduleInput,
  VenueBooking,
} from '../schemas/schedule';
import { roundRobinRounds } from './round-robin';
import { generateSchedule, regenerate } from './schedule';

const OPEN_EVENINGS = WEEKDAYS.map((weekday) => ({ weekday, from: '17:00', to: '23:00' }));

/** A valid input: `teams` teams spread over `venues` venues, Tuesday matches from 2027-01-04. */
function buildInput(
  overrides: Omit<Partial<ScheduleInput>, 'teams'> & {
    teams?: number | ScheduleInput['teams'];
  } = {},
) {
  const { teams = 6, ...rest } = overrides;
  const venues = rest.venues ?? [
    { id: 'v1', name: 'Riverside', courts: 6, availability: OPEN_EVENINGS },
    { id: 'v2', name: 'Hilltop', courts: 6, availability: OPEN_EVENINGS },
  ];
  return ScheduleInput.parse({
    teams:
      typeof teams === 'number'
        ? Array.from({ length: teams }, (_, i) => ({
            id: `t${i + 1}`,
            name: `Team ${i + 1}`,
            homeVenueId: venues[i % venues.length]?.id,
          }))
        : teams,
    courtsPerMatch: 2,
    startsOn: '2027-01-04',
    endsOn: '2028-12-31',
    matchDays: ['tue'],
    timeSlots: ['18:00', '20:00'],
    matchMinutes: 120,
    ...rest,
    venues,
  });
}

const realMatches = (s: DraftSchedule) => s.matches.filter((m) => m.awayTeamId !== null);
const placed = (s: DraftSchedule) => realMatches(s).filter((m) => m.date !== null);
const pairKey = (a: string, b: string) => [a, b].sort().join('|');

/** Home (H) and away (A) sequence of each team, round by round. */
function sides(matches: readonly DraftMatch[]): Map<string, string> {
  const seq = new Map<string, string>();
  for (const m of [...matches].sort((a, b) => a.round - b.round)) {
    if (m.awayTeamId === null) continue;
    seq.set(m.homeTeamId, (seq.get(m.homeTeamId) ?? '') + 'H');
    seq.set(m.awayTeamId, (seq.get(m.awayTeamId) ?? '') + 'A');
  }
  return seq;
}

/** The constraints every draft must satisfy, whatever the input. */
function expectConstraintsHold(input: ValidScheduleInput, s: DraftSchedule) {
  const blackouts = new Set(input.blackoutDates);
  const teams = new Map(input.teams.map((t) => [t.id, t]));
  const venues = new Map(input.venues.map((v) => [v.id, v]));
  const teamDates = new Set<string>();
  const courtUse = new Map<string, number>();
  // Courts booked elsewhere (cancelled matches aside) are in use before anything is placed.
  for (const b of input.venueBookings.filter((x) => x.status !== 'cancelled')) {
    const start = minutesOfDay(b.startTime);
    for (let t = start; t < start + b.durationMinutes; t += 5) {
      const key = `${b.venueId}@${b.date}@${t}`;
      courtUse.set(key, (courtUse.get(key) ?? 0) + b.courts);
    }
  }
  for (const m of placed(s)) {
    const home = teams.get(m.homeTeamId);
    const away = teams.get(m.awayTeamId ?? '');
    const date = m.date ?? '';
    expect(blackouts.has(date), `${m.id} on a blackout`).toBe(false);
    expect(home?.unavailableDates.includes(date), `${m.id}: home team unavailable`).toBe(false);
    expect(away?.unavailableDates.includes(date), `${m.id}: away team unavailable`).toBe(false);
    expect(date >= input.startsOn && date <= input.endsOn).toBe(true);
    const weekday = WEEKDAYS[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7] ?? 'mon';
    expect(input.matchDays).toContain(weekday);
    expect(m.venueId).toBe(home?.homeVenueId);
    const venue = venues.get(m.venueId ?? '');
    const start = minutesOfDay(m.startTime ?? '');
    expect(
      venue?.availability.some(
        (h) =>
          h.weekday === weekday &&
          minutesOfDay(h.from) <= start &&
          start + input.matchMinutes <= minutesOfDay(h.to),
      ),
      `${m.id} outside its venue's hours`,
    ).toBe(true);
    for (const team of [m.homeTeamId, m.awayTeamId]) {
      expect(teamDates.has(`${team}@${date}`), `${team} plays twice on ${date}`).toBe(false);
      teamDates.add(`${team}@${date}`);
    }
    // Every minute a match holds courts counts against the venue's courts on that day.
    for (let t = start; t < start + input.matchMinutes; t += 5) {
      const key = `${m.venueId}@${date}@${t}`;
      courtUse.set(key, (courtUse.get(key) ?? 0) + m.courts);
      expect(courtUse.get(key), `${key} over capacity`).toBeLessThanOrEqual(venue?.courts ?? 0);
    }
  }
  // Nothing is silently dropped: every unplaced match is named by a problem.
  for (const m of realMatches(s).filter((x) => x.date === null)) {
    expect(s.problems.some((p) => p.matchId === m.id || p.round === m.round)).toBe(true);
  }
}

const DATES_2027 = fc
  .integer({ min: 0, max: 180 })
  .map((d) => new Date(Date.UTC(2027, 0, 4 + d)).toISOString().slice(0, 10));

/** Random but valid inputs: team and venue counts, courts, days, blackouts, unavailability. */
const arbitraryInput = fc
  .record({
    teamCount: fc.integer({ min: 2, max: 14 }),
    venueCourts: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }),
    courtsPerMatch: fc.integer({ min: 1, max: 3 }),
    matchDays: fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { minLength: 1, maxLength: 3 }),
    slots: fc.uniqueArray(fc.constantFrom('17:00', '18:00', '19:00', '20:30'), {
      minLength: 1,
      maxLength: 3,
    }),
    matchMinutes: fc.constantFrom(60, 90, 120),
    roundsPerWeek: fc.integer({ min: 1, max: 2 }),
    doubleRoundRobin: fc.boolean(),
    blackouts: fc.uniqueArray(DATES_2027, { maxLength: 10 }),
    unavailable: fc.array(fc.uniqueArray(DATES_2027, { maxLength: 4 }), {
      minLength: 14,
      maxLength: 14,
    }),
    booked: fc.array(
      fc.record({
        venue: fc.nat(),
        date: DATES_2027,
        startTime: fc.constantFrom('17:00', '18:00', '19:30', '20:30'),
        durationMinutes: fc.constantFrom(60, 90, 120),
        courts: fc.integer({ min: 1, max: 3 }),
        status: fc.constantFrom('scheduled', 'postponed', 'played', 'cancelled'),
      }),
      { maxLength: 40 },
    ),
  })
  .map((r) => {
    const venues = r.venueCourts.map((courts, i) => ({
      id: `v${i + 1}`,
      name: `Venue ${i + 1}`,
      courts,
      availability: [
        { weekday: 'tue' as const, from: '17:00', to: '22:00' },
        { weekday: 'thu' as const, from: '18:00', to: '21:00' },
        { weekday: 'sat' as const, from: '09:00', to: '23:00' },
      ],
    }));
    return buildInput({
      teams: Array.from({ length: r.teamCount }, (_, i) => ({
        id: `t${i + 1}`,
        name: `Team ${i + 1}`,
        homeVenueId: `v${(i % venues.length) + 1}`,
        unavailableDates: r.unavailable[i] ?? [],
      })),
      venues,
      courtsPerMatch: r.courtsPerMatch,
      matchDays: r.matchDays,
      timeSlots: r.slots,
      matchMinutes: r.matchMinutes,
      roundsPerWeek: r.roundsPerWeek,
      doubleRoundRobin: r.doubleRoundRobin,
      blackoutDates: r.blackouts,
      endsOn: '2027-12-31',
      venueBookings: r.booked.map(({ venue, ...b }, i) => ({
        ...b,
        venueId: `v${(venue % venues.length) + 1}`,
        label: `Other ${i + 1}`,
      })),
    });
  });

describe('round-robin pairings (circle method)', () => {
  it('every pair of teams meets exactly once in a single round robin', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 40 }), (n) => {
        const ids = Array.from({ length: n }, (_, i) => `t${i}`);
        const rounds = roundRobinRounds(ids, false);
        const pairs = rounds.flat().filter((p) => p.away !== null);
        expect(pairs).toHaveLength((n * (n - 1)) / 2);
        expect(new Set(pairs.map((p) => pairKey(p.home, p.away ?? ''))).size).toBe(pairs.length);
        expect(rounds).toHaveLength(n % 2 === 0 ? n - 1 : n);
      }),
    );
  });

  it('every pair meets twice in a double round robin, once at each home', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 40 }), (n) => {
        const ids = Array.from({ length: n }, (_, i) => `t${i}`);
        const pairs = roundRobinRounds(ids, true)
          .flat()
          .filter((p) => p.away !== null);
        expect(pairs).toHaveLength(n * (n - 1));
        expect(new Set(pairs.map((p) => `${p.home}|${p.away}`)).size).toBe(pairs.length);
      }),
    );
  });

  it('no team plays twice in a round', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 40 }), fc.boolean(), (n, double) => {
        const ids = Array.from({ length: n }, (_, i) => `t${i}`);
        for (const round of roundRobinRounds(ids, double)) {
          const seen = round.flatMap((p) => (p.away === null ? [p.home] : [p.home, p.away]));
          expect(new Set(seen).size).toBe(seen.length);
          expect(seen).toHaveLength(n);
        }
      }),
    );
  });

  it('with an odd count each team has exactly one bye per single round robin', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.boolean(), (half, double) => {
        const n = half * 2 + 1;
        const ids = Array.from({ length: n }, (_, i) => `t${i}`);
        const rounds = roundRobinRounds(ids, double);
        const byes = rounds.flatMap((round) => round.filter((p) => p.away === null));
        expect(rounds.every((round) => round.filter((p) => p.away === null).length === 1)).toBe(
          true,
        );
        for (const id of ids) {
          expect(byes.filter((b) => b.home === id)).toHaveLength(double ? 2 : 1);
        }
      }),
    );
  });

  it('home and away are balanced and never more than two in a row', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 40 }), fc.boolean(), (n, double) => {
        const s = generateSchedule(buildInput({ teams: n, doubleRoundRobin: double }));
        for (const [team, seq] of sides(s.matches)) {
          const home = [...seq].filter((c) => c === 'H').length;
          const away = seq.length - home;
          // A single round robin of an even count gives each team an odd number of games.
          expect(Math.abs(home - away), team).toBeLessThanOrEqual(double ? 0 : 1);
          expect(seq, team).not.toMatch(/HHH|AAA/);
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('generateSchedule', () => {
  it('places each round on the next match day, one round a week, at the home venue', () => {
    const s = generateSchedule(buildInput({ teams: 4 }));
    expect(s.problems).toEqual([]);
    expect([...new Set(s.matches.map((m) => m.date))]).toEqual([
      '2027-01-05',
      '2027-01-12',
      '2027-01-19',
    ]);
    expect(s.matches[0]).toEqual({
      id: 'r01-m01',
      round: 1,
      homeTeamId: 't3',
      awayTeamId: 't1',
      date: '2027-01-05',
      startTime: '18:00',
      venueId: 'v1',
      courts: 2,
      status: 'draft',
    });
  });

  it('lets teams sharing a venue take turns at home, so each round it hosts half of them', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        (perVenue, venueCount, double) => {
          const venues = Array.from({ length: venueCount }, (_, v) => ({
            id: `v${v + 1}`,
            name: `Venue ${v + 1}`,
            courts: 50,
            availability: OPEN_EVENINGS,
          }));
          // Teams listed round-robin over the venues, so venue-mates are not adjacent in the input.
          const s = generateSchedule(
            buildInput({ teams: perVenue * 2 * venueCount, venues, doubleRoundRobin: double }),
          );
          const hosted = new Map<string, number>();
          for (const m of realMatches(s)) {
            const key = `${m.round}@${m.venueId}`;
            hosted.set(key, (hosted.get(key) ?? 0) + 1);
          }
          expect([...new Set(hosted.values())]).toEqual([perVenue]);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('gives a bye entry, without venue or courts, to the team left over in each round', () => {
    const s = generateSchedule(buildInput({ teams: 5 }));
    const byes = s.matches.filter((m) => m.awayTeamId === null);
    expect(byes).toHaveLength(5);
    expect(new Set(byes.map((b) => b.homeTeamId)).size).toBe(5);
    expect(byes[0]).toMatchObject({ id: 'r01-bye', venueId: null, startTime: null, courts: 0 });
  });

  it('runs several rounds a week on different match days', () => {
    const s = generateSchedule(
      buildInput({ teams: 4, matchDays: ['tue', 'thu'], roundsPerWeek: 2 }),
    );
    expect([...new Set(s.matches.map((m) => m.date))]).toEqual([
      '2027-01-05',
      '2027-01-07',
      '2027-01-12',
    ]);
  });

  it('skips league blackout dates', () => {
    const s = generateSchedule(buildInput({ teams: 4, blackoutDates: ['2027-01-12'] }));
    expect([...new Set(s.matches.map((m) => m.date))]).toEqual([
      '2027-01-05',
      '2027-01-19',
      '2027-01-26',
    ]);
  });

  it('moves a match to another match day of the week when a team cannot play on the round’s date', () => {
    const input = buildInput({ matchDays: ['tue', 'thu'] });
    const t1 = input.teams[0];
    if (t1) t1.unavailableDates = ['2027-01-05'];
    const s = generateSchedule(input);
    expect(s.problems).toEqual([]);
    const first = s.matches.find(
      (m) => m.round === 1 && (m.homeTeamId === 't1' || m.awayTeamId === 't1'),
    );
    expect(first?.date).toBe('2027-01-07');
    expect(
      s.matches.filter((m) => m.round === 1 && m !== first).every((m) => m.date === '2027-01-05'),
    ).toBe(true);
  });

  it('names the match, the team and the date when no match day of the week suits a team', () => {
    const input = buildInput({ teams: 4 });
    const t4 = input.teams[3];
    if (t4) t4.unavailableDates = ['2027-01-05'];
    const s = generateSchedule(input);
    const match = s.matches.find(
      (m) => m.round === 1 && m.awayTeamId !== null && [m.homeTeamId, m.awayTeamId].includes('t4'),
    );
    expect(s.problems).toEqual([
      expect.objectContaining({
        kind: 'team_unavailable',
        matchId: match?.id,
        round: 1,
        teamIds: ['t4'],
        date: '2027-01-05',
      }),
    ]);
    expect(s.problems[0]?.message).toMatch(/Team 4 cannot play on 2027-01-05/);
    // The pairing stays in the draft, unplaced, for the organizer to fix.
    expect(match).toMatchObject({ date: null, venueId: null });
  });

  it('reports a full venue when one court cannot hold three matches in the only slot', () => {
    const s = generateSchedule(
      buildInput({
        teams: Array.from({ length: 6 }, (_, i) => ({
          id: `t${i + 1}`,
          name: `Team ${i + 1}`,
          homeVenueId: 'v1',
        })),
        venues: [{ id: 'v1', name: 'Only Court', courts: 1, availability: OPEN_EVENINGS }],
        courtsPerMatch: 1,
        timeSlots: ['18:00'],
        endsOn: '2027-01-05',
      }),
    );
    expect(placed(s)).toHaveLength(1);
    const full = s.problems.filter((p) => p.kind === 'no_court');
    expect(full).toHaveLength(2);
    for (const p of full) {
      expect(p).toMatchObject({ round: 1, venueId: 'v1', date: '2027-01-05' });
      expect(p.message).toMatch(
        /Only Court has no start time with 1 free court\(s\) on 2027-01-05/,
      );
    }
    expect(s.problems.filter((p) => p.kind === 'season_too_short').map((p) => p.round)).toEqual([
      2, 3, 4, 5,
    ]);
  });

  it('reports a venue with fewer courts than a match needs', () => {
    const s = generateSchedule(
      buildInput({
        teams: 2,
        venues: [{ id: 'v1', name: 'Tiny', courts: 1, availability: OPEN_EVENINGS }],
        courtsPerMatch: 3,
      }),
    );
    expect(s.problems.map((p) => p.kind)).toEqual(['venue_too_small', 'no_court']);
    expect(s.problems[0]).toMatchObject({ venueId: 'v1' });
  });

  it('reports a start time that fits no venue’s hours, and never uses it', () => {
    const s = generateSchedule(buildInput({ teams: 4, timeSlots: ['18:00', '22:30'] }));
    expect(s.problems).toEqual([
      expect.objectContaining({
        kind: 'slot_outside_venue_hours',
        message: expect.stringMatching(/22:30/),
      }),
    ]);
    expect(placed(s).every((m) => m.startTime === '18:00')).toBe(true);
  });

  it('shares a venue’s courts between matches, using later slots when earlier ones are full', () => {
    const s = generateSchedule(
      buildInput({
        teams: Array.from({ length: 8 }, (_, i) => ({
          id: `t${i + 1}`,
          name: `T${i + 1}`,
          homeVenueId: 'v1',
        })),
        venues: [{ id: 'v1', name: 'Club', courts: 4, availability: OPEN_EVENINGS }],
      }),
    );
    expect(s.problems).toEqual([]);
    const round1 = placed(s).filter((m) => m.round === 1);
    expect(round1.map((m) => m.startTime)).toEqual(['18:00', '18:00', '20:00', '20:00']);
  });

  describe('with courts already booked at the venue (other divisions share it)', () => {
    const lone = [{ id: 'v1', name: 'Lone Court', courts: 1, availability: OPEN_EVENINGS }];
    const booked = (startTime: string, status: VenueBooking['status'] = 'scheduled') => ({
      venueId: 'v1',
      date: '2027-01-05',
      startTime,
      durationMinutes: 120,
      courts: 1,
      status,
      label: 'Div A: Aces v Lobs',
    });
    const draft = (venueBookings: ScheduleInput['venueBookings'], extra = {}) =>
      generateSchedule(
        buildInput({
          teams: 2,
          venues: lone,
          courtsPerMatch: 1,
          endsOn: '2027-01-05',
          venueBookings,
          ...extra,
        }),
      );

    it('places a match only where the booked courts leave room', () => {
      expect(placed(draft([booked('18:00')]))).toMatchObject([
        { date: '2027-01-05', startTime: '20:00' },
      ]);
      // 19:00–21:00 overlaps both the 18:00 and the 20:00 match: no start time has a free court.
      expect(placed(draft([booked('19:00')]))).toEqual([]);
    });

    it('names the matches that took the courts, at the match and its round', () => {
      const s = draft([booked('20:00', 'played'), booked('18:00', 'postponed')]);
      expect(placed(s)).toEqual([]);
      expect(s.problems).toEqual([
        {
          kind: 'no_court',
          matchId: 'r01-m01',
          round: 1,
          teamIds: ['t2', 't1'],
          date: '2027-01-05',
          venueId: 'v1',
          message:
            'Team 2 v Team 1 (round 1) could not be placed: Lone Court has no start time with 1 free court(s) on 2027-01-05: its courts are taken by matches already booked there (Div A: Aces v Lobs at 18:00, Div A: Aces v Lobs at 20:00)',
        },
      ]);
    });

    it('frees the slot of a cancelled match', () => {
      const startOf = (d: DraftSchedule) => placed(d)[0]?.startTime;
      expect(startOf(draft([booked('18:00', 'cancelled'), booked('20:00', 'cancelled')]))).toBe(
        '18:00',
      );
      expect(startOf(draft([booked('18:00', 'cancelled'), booked('18:00')]))).toBe('20:00');
    });

    it('counts a match running past midnight against the next morning', () => {
      const s = draft([{ ...booked('23:30'), date: '2027-01-04', label: 'Div A: late match' }], {
        venues: [
          {
            ...lone[0],
            availability: [{ weekday: 'tue', from: '00:00', to: '23:00' }],
          },
        ],
        timeSlots: ['00:30'],
        matchMinutes: 60,
      });
      expect(placed(s)).toEqual([]);
      expect(s.problems[0]?.message).toMatch(/\(Div A: late match at 23:30 on 2027-01-04\)$/);
    });

    it('says nothing of them when the division fills the venue itself', () => {
      const s = draft([booked('20:00')], { teams: 4, timeSlots: ['18:00'] });
      const full = s.problems.filter((p) => p.kind === 'no_court');
      expect(full.map((p) => p.message)).toEqual([
        'Team 3 v Team 4 (round 1) could not be placed: Lone Court has no start time with 1 free court(s) on 2027-01-05',
      ]);
    });
  });

  it('respects blackouts, unavailable dates, match days, venue hours and court capacity', () => {
    fc.assert(
      fc.property(arbitraryInput, (input) => {
        expectConstraintsHold(input, generateSchedule(input));
      }),
      { numRuns: 150 },
    );
  });

  it('keeps every pairing of the round robin in the draft, placed or not', () => {
    fc.assert(
      fc.property(arbitraryInput, (input) => {
        const s = generateSchedule(input);
        const n = input.teams.length;
        expect(realMatches(s)).toHaveLength(((input.doubleRoundRobin ? 2 : 1) * n * (n - 1)) / 2);
        expect(new Set(s.matches.map((m) => m.id)).size).toBe(s.matches.length);
      }),
      { numRuns: 100 },
    );
  });

  it('gives the same draft for the same input', () => {
    fc.assert(
      fc.property(arbitraryInput, (input) => {
        expect(generateSchedule(structuredClone(input))).toEqual(generateSchedule(input));
      }),
      { numRuns: 50 },
    );
  });
});

describe('regenerate', () => {
  const input = buildInput({ teams: 6 });
  const first = generateSchedule(input);
  const asExisting = (m: DraftMatch, status: ExistingMatch['status']): ExistingMatch => ({
    id: `db-${m.id}`,
    round: m.round,
    homeTeamId: m.homeTeamId,
    awayTeamId: m.awayTeamId ?? '',
    date: m.date ?? '',
    startTime: m.startTime ?? '',
    venueId: m.venueId ?? '',
    courts: m.courts,
    status,
  });
  const existing = realMatches(first).map((m) =>
    asExisting(m, m.round === 1 ? 'played' : m.round === 2 ? 'locked' : 'scheduled'),
  );

  it('keeps played and locked matches exactly and places the unplayed ones again', () => {
    const s = regenerate(input, existing);
    const kept = s.matches.filter((m) => m.status !== 'draft');
    expect(kept.map((m) => m.id)).toEqual(
      existing.filter((m) => m.status !== 'scheduled').map((m) => m.id),
    );
    for (const m of kept) {
      const before = existing.find((e) => e.id === m.id);
      expect(m).toMatchObject({ ...before, status: before?.status });
    }
    expect(s.problems).toEqual([]);
    expect(realMatches(s)).toHaveLength(15);
    // Nothing changed, so the unplayed matches land where the first draft had them.
    const where = (m: DraftMatch) => [m.homeTeamId, m.awayTeamId, m.date, m.startTime, m.venueId];
    expect(s.matches.filter((m) => m.status === 'draft').map(where)).toEqual(
      first.matches.filter((m) => m.round > 2).map(where),
    );
  });

  it('does not schedule a played pairing again, even when the teams changed order', () => {
    const reordered = buildInput({ teams: [...input.teams].reverse() });
    const s = regenerate(reordered, existing);
    const pairs = realMatches(s).map((m) => pairKey(m.homeTeamId, m.awayTeamId ?? ''));
    expect(new Set(pairs).size).toBe(15);
    expect(pairs).toHaveLength(15);
    expectConstraintsHold(reordered, s);
  });

  it('moves unplayed matches off a date that became a blackout, around kept matches', () => {
    const s = regenerate({ ...input, blackoutDates: ['2027-01-19'] }, existing);
    expect(s.problems).toEqual([]);
    expect(placed(s).some((m) => m.date === '2027-01-19')).toBe(false);
    expect(
      placed(s)
        .filter((m) => m.status === 'draft')
        .every((m) => (m.date ?? '') > '2027-01-12'),
    ).toBe(true);
  });

  it('places nothing new before notBefore', () => {
    const s = regenerate({ ...input, notBefore: '2027-03-01' }, existing);
    const fresh = placed(s).filter((m) => m.status === 'draft');
    expect(fresh.length).toBeGreaterThan(0);
    expect(fresh.every((m) => (m.date ?? '') >= '2027-03-01')).toBe(true);
  });
});

describe('ScheduleInput validation', () => {
  const valid = {
    teams: [
      { id: 'a', name: 'Aces', homeVenueId: 'v1' },
      { id: 'b', name: 'Lobs', homeVenueId: 'v1' },
    ],
    venues: [
      {
        id: 'v1',
        name: 'Park',
        courts: 3,
        availability: [{ weekday: 'tue', from: '18:00', to: '22:00' }],
      },
    ],
    courtsPerMatch: 2,
    startsOn: '2027-01-04',
    endsOn: '2027-06-30',
    matchDays: ['tue'],
    timeSlots: ['18:00'],
    matchMinutes: 120,
  };
  const fieldsOf = (value: unknown) => {
    const r = ScheduleInput.safeParse(value);
    // Sorted: the order Zod reports issues in is not part of the contract.
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).sort();
  };

  it('accepts a valid input and fills in the defaults', () => {
    expect(ScheduleInput.parse(valid)).toMatchObject({
      roundsPerWeek: 1,
      doubleRoundRobin: false,
      blackoutDates: [],
      existingMatches: [],
    });
  });

  it('names the field of each cross-field error', () => {
    expect(
      fieldsOf({
        ...valid,
        endsOn: '2026-12-31',
        teams: [...valid.teams, { id: 'a', name: 'Again', homeVenueId: 'v9' }],
        matchDays: ['tue', 'tue'],
        existingMatches: [
          {
            id: 'm1',
            round: 1,
            homeTeamId: 'a',
            awayTeamId: 'zz',
            date: '2027-01-05',
            startTime: '18:00',
            venueId: 'nowhere',
            status: 'played',
          },
        ],
        venueBookings: [
          {
            venueId: 'elsewhere',
            date: '2027-01-05',
            startTime: '18:00',
            durationMinutes: 90,
            courts: 1,
            status: 'scheduled',
            label: 'Div B: Quayside v Westend',
          },
        ],
      }),
    ).toEqual([
      'endsOn: Ends before it starts',
      'existingMatches.0.awayTeamId: Not a team of the division',
      'existingMatches.0.venueId: Not one of the venues',
      'matchDays.1: This day is listed twice',
      'teams.2.homeVenueId: Not one of the venues',
      'teams.2.id: This team is listed twice',
      'venueBookings.0.venueId: Not one of the venues',
    ]);
  });

  it('names malformed times, dates and opening hours', () => {
    expect(
      fieldsOf({
        ...valid,
        startsOn: '2027-02-30',
        timeSlots: ['7pm'],
        venues: [
          { ...valid.venues[0], availability: [{ weekday: 'tue', from: '22:00', to: '18:00' }] },
        ],
      }),
    ).toEqual([
      'startsOn: Use YYYY-MM-DD',
      'timeSlots.0: Use HH:MM (24-hour clock)',
      'venues.0.availability.0.to: Closes before it opens',
    ]);
  });

  it('never throws on arbitrary input, and reports at least one issue when it refuses it', () => {
    fc.assert(
      fc.property(fc.anything(), fc.jsonValue(), (junk, json) => {
        for (const value of [junk, json, { ...valid, teams: junk }, { ...valid, venues: json }]) {
          const r = ScheduleInput.safeParse(value);
          if (!r.success) expect(r.error.issues.length).toBeGreaterThan(0);
        }
      }),
    );
  });
});
