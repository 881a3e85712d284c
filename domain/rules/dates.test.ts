import { describe, expect, it } from 'vitest';
import { isTimeZone, localToUtc, timeZones, todayIn } from './dates';

const at = (iso: string) => new Date(iso);

describe('todayIn', () => {
  it('is the UTC date in UTC', () => {
    expect(todayIn('UTC', at('2026-11-25T23:59:59Z'))).toBe('2026-11-25');
  });

  it('is still yesterday in New York in the evening, when UTC has moved on', () => {
    expect(todayIn('America/New_York', at('2026-11-26T04:30:00Z'))).toBe('2026-11-25');
    expect(todayIn('America/New_York', at('2026-11-26T05:00:00Z'))).toBe('2026-11-26');
  });

  it('is already tomorrow in Auckland', () => {
    expect(todayIn('Pacific/Auckland', at('2026-11-25T12:00:00Z'))).toBe('2026-11-26');
  });

  it('turns at local midnight on both sides of a change of clocks', () => {
    // New York leaves summer time on 1 November 2026: midnight is 04:00Z, then 05:00Z.
    expect(todayIn('America/New_York', at('2026-11-01T03:59:00Z'))).toBe('2026-10-31');
    expect(todayIn('America/New_York', at('2026-11-01T04:00:00Z'))).toBe('2026-11-01');
    expect(todayIn('America/New_York', at('2026-11-02T04:59:00Z'))).toBe('2026-11-01');
    expect(todayIn('America/New_York', at('2026-11-02T05:00:00Z'))).toBe('2026-11-02');
  });

  it('turns within the minute it is asked in, asked again and again in any order', () => {
    const ny = (iso: string) => todayIn('America/New_York', at(iso));
    expect(ny('2026-11-26T04:59:30Z')).toBe('2026-11-25');
    expect(ny('2026-11-26T04:59:59.999Z')).toBe('2026-11-25');
    expect(ny('2026-11-26T05:00:00Z')).toBe('2026-11-26');
    expect(ny('2026-11-26T04:59:00Z')).toBe('2026-11-25');
    expect(ny('2026-11-26T05:00:59Z')).toBe('2026-11-26');
    expect(todayIn('Asia/Kolkata', at('2026-11-25T18:30:00Z'))).toBe('2026-11-26');
    expect(todayIn('Asia/Kolkata', at('2026-11-25T18:29:59Z'))).toBe('2026-11-25');
  });
});

describe('localToUtc', () => {
  it('reads the time as UTC in UTC', () => {
    expect(localToUtc('2026-12-01', '18:00', 'UTC').toISOString()).toBe('2026-12-01T18:00:00.000Z');
  });

  it('uses the offset of the day: London in winter and in summer time', () => {
    // British Summer Time begins on Sunday 29 March 2026 at 01:00 GMT.
    expect(localToUtc('2026-03-28', '18:00', 'Europe/London').toISOString()).toBe(
      '2026-03-28T18:00:00.000Z',
    );
    expect(localToUtc('2026-03-29', '18:00', 'Europe/London').toISOString()).toBe(
      '2026-03-29T17:00:00.000Z',
    );
    expect(localToUtc('2026-03-29', '00:30', 'Europe/London').toISOString()).toBe(
      '2026-03-29T00:30:00.000Z',
    );
    expect(localToUtc('2026-03-29', '02:00', 'Europe/London').toISOString()).toBe(
      '2026-03-29T01:00:00.000Z',
    );
  });

  it('moves a time skipped when the clocks go forward on by the gap', () => {
    // 01:30 does not happen in London on 29 March 2026: it is read as 02:30 BST.
    expect(localToUtc('2026-03-29', '01:30', 'Europe/London').toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
  });

  it('takes the first of a time that happens twice when the clocks go back', () => {
    // New York: 01:30 on 1 November 2026 is first EDT (05:30Z), then EST (06:30Z).
    expect(localToUtc('2026-11-01', '01:30', 'America/New_York').toISOString()).toBe(
      '2026-11-01T05:30:00.000Z',
    );
    expect(localToUtc('2026-10-31', '19:00', 'America/New_York').toISOString()).toBe(
      '2026-10-31T23:00:00.000Z',
    );
    expect(localToUtc('2026-11-01', '19:00', 'America/New_York').toISOString()).toBe(
      '2026-11-02T00:00:00.000Z',
    );
  });

  it('handles zones east of UTC and half-hour offsets', () => {
    expect(localToUtc('2026-07-01', '09:00', 'Asia/Kolkata').toISOString()).toBe(
      '2026-07-01T03:30:00.000Z',
    );
    expect(localToUtc('2026-01-01', '00:15', 'Pacific/Auckland').toISOString()).toBe(
      '2025-12-31T11:15:00.000Z',
    );
  });

  it('agrees with todayIn: the instant falls on the same local date', () => {
    for (const zone of ['America/New_York', 'Europe/London', 'Australia/Sydney', 'UTC']) {
      for (const date of ['2026-03-08', '2026-03-29', '2026-10-04', '2026-11-01']) {
        for (const time of ['00:00', '12:00', '23:59']) {
          expect(todayIn(zone, localToUtc(date, time, zone))).toBe(date);
        }
      }
    }
  });
});

describe('isTimeZone', () => {
  it('knows IANA names, UTC and aliases of names', () => {
    expect(timeZones()).toContain('UTC');
    expect(timeZones()).toContain('America/New_York');
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Europe/London')).toBe(true);
    expect(isTimeZone('Asia/Kolkata')).toBe(true);
    expect(isTimeZone('Asia/Calcutta')).toBe(true);
  });

  it('refuses made-up names, offsets and abbreviations', () => {
    for (const zone of ['Mars/Olympus', '+02:00', 'EST', 'CEST', '', 'america/new york']) {
      expect(isTimeZone(zone)).toBe(false);
    }
  });
});
