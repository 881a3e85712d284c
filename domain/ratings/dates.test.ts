import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIsoDay, monthOfDay, parseIsoDay } from './dates';

describe('parseIsoDay', () => {
  it('counts days since 1970-01-01 like Date.UTC, for any real date', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), (day) => {
        const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
        fc.pre(/^\d{4}-\d{2}-\d{2}$/.test(iso));
        expect(parseIsoDay(iso)).toBe(day);
        expect(formatIsoDay(day)).toBe(iso);
      }),
    );
  });

  it.each([
    '2023-02-29',
    '2024-04-31',
    '2024-13-01',
    '2024-00-10',
    '2024-01-00',
    '2024-1-01',
    '20240101',
    '2024/01/01',
    'abcd-ef-gh',
    '',
  ])('rejects %j', (text) => {
    expect(parseIsoDay(text)).toBeNaN();
  });

  it('accepts 29 February in leap years only', () => {
    expect(parseIsoDay('2024-02-29')).not.toBeNaN();
    expect(parseIsoDay('2000-02-29')).not.toBeNaN();
    expect(parseIsoDay('1900-02-29')).toBeNaN();
  });
});

describe('monthOfDay', () => {
  it('gives the calendar month of any day, as Date does', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), (day) => {
        expect(monthOfDay(day)).toBe(new Date(day * 86_400_000).getUTCMonth());
      }),
    );
  });
});
