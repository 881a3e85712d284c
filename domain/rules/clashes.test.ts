import { describe, expect, it } from 'vitest';
import { slotClashes, type SlotMatch, type SlotVenue } from './clashes';

const harbour: SlotVenue = {
  id: 'v1',
  name: 'Harbour Club',
  courts: 4,
  availability: [
    { weekday: 'tue', from: '18:00', to: '22:00' },
    { weekday: 'thu', from: '09:00', to: '12:00' },
    { weekday: 'thu', from: '17:00', to: '23:00' },
  ],
};
const team = (id: string) => ({ id, name: id.replace(/^\w/, (c) => c.toUpperCase()) });

/** A 120-minute match on Thursday 2026-12-03 at 19:00, Aces v Northside at Harbour Club. */
function match(overrides: Partial<SlotMatch> & { home?: string; away?: string } = {}): SlotMatch {
  const { home = 'aces', away = 'northside', ...rest } = overrides;
  return {
    id: 'm1',
    homeTeam: team(home),
    awayTeam: team(away),
    date: '2026-12-03',
    startTime: '19:00',
    durationMinutes: 120,
    venueId: 'v1',
    courts: 2,
    ...rest,
  };
}

describe('slotClashes', () => {
  it('finds nothing in a free slot within the hours', () => {
    expect(slotClashes(match(), harbour, [])).toEqual([]);
  });

  it('names a team that already plays at an overlapping time, and whom', () => {
    const other = match({ id: 'm2', home: 'baseliners', away: 'aces', startTime: '20:30' });
    expect(slotClashes(match(), null, [other])).toEqual([
      {
        kind: 'team_busy',
        field: 'startTime',
        message: 'Aces already play Baseliners on 2026-12-03 at 20:30',
      },
    ]);
  });

  it('lets a team play twice on one day when the times do not overlap', () => {
    const earlier = match({ id: 'm2', away: 'baseliners', startTime: '09:00', venueId: null });
    const later = match({ id: 'm3', home: 'northside', away: 'drops', startTime: '21:00' });
    expect(slotClashes(match(), harbour, [earlier, later])).toEqual([]);
  });

  it('catches an overlap across midnight', () => {
    const late = match({ id: 'm2', away: 'drops', date: '2026-12-02', startTime: '23:30' });
    const early = match({ startTime: '00:30', venueId: null });
    expect(slotClashes(early, null, [late]).map((c) => c.message)).toEqual([
      'Aces already play Drops on 2026-12-02 at 23:30',
    ]);
  });

  it('ignores the match itself, so a match can move within its own slot', () => {
    expect(slotClashes(match({ startTime: '19:30' }), harbour, [match()])).toEqual([]);
  });

  it('refuses a weekday the venue is closed, at the date', () => {
    expect(slotClashes(match({ date: '2026-12-02' }), harbour, [])).toEqual([
      { kind: 'venue_closed', field: 'date', message: 'Harbour Club is not open on Wednesdays' },
    ]);
  });

  it('refuses a match that would run past closing or start before opening, at the start time', () => {
    for (const startTime of ['21:30', '16:30', '11:00']) {
      expect(slotClashes(match({ startTime }), harbour, [])).toEqual([
        {
          kind: 'outside_venue_hours',
          field: 'startTime',
          message: `Harbour Club is open 09:00–12:00 and 17:00–23:00 on Thursdays: a 120-minute match from ${startTime} does not fit`,
        },
      ]);
    }
    expect(slotClashes(match({ startTime: '09:00' }), harbour, [])).toEqual([]);
  });

  it('counts courts at the busiest moment of the window, not only at the same start', () => {
    // 18:00–20:00 and 20:00–22:00 never overlap each other: 2 courts in use at any moment.
    const before = match({ id: 'm2', home: 'b', away: 'c', startTime: '18:00' });
    const after = match({ id: 'm3', home: 'd', away: 'e', startTime: '20:00' });
    expect(slotClashes(match(), harbour, [before, after])).toEqual([]);
    const alongside = match({ id: 'm4', home: 'f', away: 'g', startTime: '20:30', courts: 1 });
    expect(slotClashes(match(), harbour, [before, after, alongside])).toEqual([
      {
        kind: 'no_court',
        field: 'startTime',
        message:
          'Harbour Club has only 1 of its 4 courts free at some time from 19:00 to 21:00 on 2026-12-03 (B v C at 18:00, D v E at 20:00, F v G at 20:30); this match needs 2',
      },
    ]);
  });

  it("counts only the venue's matches, and says when no court is free", () => {
    const elsewhere = match({ id: 'm2', home: 'b', away: 'c', venueId: 'v2', courts: 4 });
    expect(slotClashes(match(), harbour, [elsewhere])).toEqual([]);
    const full = match({ id: 'm3', home: 'b', away: 'c', courts: 4 });
    expect(slotClashes(match(), harbour, [full]).map((c) => c.message)).toEqual([
      'Harbour Club has no court free at some time from 19:00 to 21:00 on 2026-12-03 (B v C at 19:00); this match needs 2',
    ]);
  });

  it('names the venue when it has too few courts for the match at all', () => {
    expect(slotClashes(match({ courts: 5 }), harbour, [])).toEqual([
      {
        kind: 'venue_too_small',
        field: 'venueId',
        message: 'Harbour Club has 4 court(s); this match needs 5',
      },
    ]);
  });

  it('lists every clash at once', () => {
    const busy = match({ id: 'm2', away: 'b', date: '2026-12-01', startTime: '20:00' });
    const clashes = slotClashes(match({ date: '2026-12-01', startTime: '21:00' }), harbour, [busy]);
    expect(clashes.map((c) => [c.kind, c.field])).toEqual([
      ['outside_venue_hours', 'startTime'],
      ['team_busy', 'startTime'],
    ]);
  });
});
