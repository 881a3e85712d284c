import { describe, expect, it } from 'vitest';
import { formatDate, formatDay, formatInstant, formatInstantDate, formatMatchDate } from './dates';

describe('dates', () => {
  it('formats calendar dates as UTC, whatever the time of day after the date', () => {
    const utc = (options: Intl.DateTimeFormatOptions) =>
      new Intl.DateTimeFormat(undefined, { ...options, timeZone: 'UTC' }).format(
        new Date('2027-03-09T00:00:00Z'),
      );
    expect(formatDate('2027-03-09')).toBe(utc({ dateStyle: 'medium' }));
    expect(formatDate('2027-03-09T23:00:00Z')).toBe(formatDate('2027-03-09'));
    expect(formatMatchDate('2027-03-09')).toBe(
      utc({ weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }),
    );
    expect(formatDay('2027-03-09')).toBe(utc({ day: 'numeric', month: 'short', year: 'numeric' }));
  });

  it('formats instants in the reader’s time zone', () => {
    const at = '2026-11-25T18:30:00Z';
    expect(formatInstant(at)).toBe(
      new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(
        new Date(at),
      ),
    );
    expect(formatInstantDate(at)).toBe(
      new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(new Date(at)),
    );
  });

  it('shows text that is not a date as it came, and no day as a dash', () => {
    expect(formatDate('soon')).toBe('soon');
    expect(formatMatchDate('')).toBe('');
    expect(formatInstant('later')).toBe('later');
    expect(formatDay(null)).toBe('—');
  });
});
