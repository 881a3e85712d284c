import { describe, expect, it } from 'vitest';
import { isoWeek, parseBackupName, retain } from './retention';

/** A backup's file name at a UTC time written `2026-12-04 03:00`. */
const backup = (time: string, kind = 'embedded') =>
  `rally-${kind}-${time.replace(/[-:]/g, '').replace(' ', 'T')}00Z-0019_x.rally-backup`;

/** One backup a day at 03:00 UTC for `days` days, ending on `last` (YYYY-MM-DD). */
function daily(last: string, days: number): string[] {
  const end = Date.parse(`${last}T03:00:00Z`);
  return Array.from({ length: days }, (_, i) =>
    backup(new Date(end - i * 86_400_000).toISOString().slice(0, 16).replace('T', ' ')),
  );
}

const NOW = new Date('2026-12-31T12:00:00Z');
const DEFAULT = { daily: 7, weekly: 4, monthly: 12 };

describe('parseBackupName', () => {
  it('reads the kind, the UTC time and the schema version of a backup', () => {
    expect(parseBackupName('rally-postgres-20261204T030000Z-0019_add_x.rally-backup')).toEqual({
      kind: 'postgres',
      createdAt: new Date('2026-12-04T03:00:00Z'),
      schemaVersion: '0019_add_x',
    });
  });

  it.each([
    'rally-postgres-20261204T030000Z-0019_x.rally-backup.partial',
    'rally-mysql-20261204T030000Z-0019_x.rally-backup',
    'rally-embedded-20261332T030000Z-0019_x.rally-backup',
    'rally-embedded-20261204T030000-0019_x.rally-backup',
    'notes.txt',
    'rally-embedded-20261204T030000Z-.rally-backup',
  ])('is not a backup: %s', (name) => {
    expect(parseBackupName(name)).toBeUndefined();
  });
});

describe('isoWeek', () => {
  it.each([
    ['2026-12-31', '2026-W53'],
    ['2027-01-03', '2026-W53'],
    ['2027-01-04', '2027-W01'],
    ['2024-12-30', '2025-W01'],
    ['2026-12-07', '2026-W50'],
    ['2026-12-06', '2026-W49'],
  ])('%s is in %s', (day, week) => {
    expect(isoWeek(new Date(`${day}T23:59:59Z`))).toBe(week);
  });
});

/** [what, backups, keep, the backups kept] */
const CASES: [string, string[], typeof DEFAULT, string[]][] = [
  ['no backups: nothing to do', [], DEFAULT, []],
  ['a single backup is kept', [backup('2026-12-01 03:00')], DEFAULT, [backup('2026-12-01 03:00')]],
  [
    'all counts 0 still keep the newest',
    daily('2026-12-31', 3),
    { daily: 0, weekly: 0, monthly: 0 },
    [backup('2026-12-31 03:00')],
  ],
  [
    'several backups a day: the newest of each day',
    [
      backup('2026-12-31 03:00'),
      backup('2026-12-31 09:00'),
      backup('2026-12-30 03:00'),
      backup('2026-12-30 22:00'),
    ],
    { daily: 2, weekly: 0, monthly: 0 },
    [backup('2026-12-31 09:00'), backup('2026-12-30 22:00')],
  ],
  [
    'several a day but fewer days than asked: the oldest is kept too (restic does the same)',
    [
      backup('2026-12-31 09:00'),
      backup('2026-12-31 03:00'),
      backup('2026-12-30 22:00'),
      backup('2026-12-30 03:00'),
    ],
    { daily: 7, weekly: 0, monthly: 0 },
    [backup('2026-12-31 09:00'), backup('2026-12-30 22:00'), backup('2026-12-30 03:00')],
  ],
  [
    'daily 2: the last two days that have a backup, however far apart',
    [backup('2026-12-31 03:00'), backup('2026-12-20 03:00'), backup('2026-11-02 03:00')],
    { daily: 2, weekly: 0, monthly: 0 },
    [backup('2026-12-31 03:00'), backup('2026-12-20 03:00')],
  ],
  [
    'too few days for the daily rule: the oldest is kept too (it is already)',
    daily('2026-12-31', 3),
    { daily: 7, weekly: 0, monthly: 0 },
    daily('2026-12-31', 3),
  ],
  [
    'weekly: the newest backup of each ISO week (Sunday ends a week)',
    [
      backup('2026-12-14 03:00'), // Monday, week 51
      backup('2026-12-13 03:00'), // Sunday, week 50
      backup('2026-12-07 03:00'), // Monday, week 50
      backup('2026-12-06 03:00'), // Sunday, week 49
    ],
    { daily: 0, weekly: 2, monthly: 0 },
    [backup('2026-12-14 03:00'), backup('2026-12-13 03:00')],
  ],
  [
    'monthly 2 with three months: the newest of the last two months',
    [backup('2026-12-02 03:00'), backup('2026-11-30 03:00'), backup('2026-10-31 03:00')],
    { daily: 0, weekly: 0, monthly: 2 },
    [backup('2026-12-02 03:00'), backup('2026-11-30 03:00')],
  ],
  [
    'monthly 12 with two months only: the oldest is kept as the farthest reach',
    [backup('2026-12-02 03:00'), backup('2026-11-30 03:00'), backup('2026-11-01 03:00')],
    { daily: 0, weekly: 0, monthly: 12 },
    [backup('2026-12-02 03:00'), backup('2026-11-30 03:00'), backup('2026-11-01 03:00')],
  ],
  [
    'postgres and embedded backups are two series, each keeping its newest',
    [
      backup('2026-12-31 03:00', 'postgres'),
      backup('2026-12-30 03:00', 'postgres'),
      backup('2026-06-01 03:00', 'embedded'),
      backup('2026-05-01 03:00', 'embedded'),
    ],
    { daily: 1, weekly: 0, monthly: 0 },
    [backup('2026-12-31 03:00', 'postgres'), backup('2026-06-01 03:00', 'embedded')],
  ],
  [
    'other files and partial backups are never removed',
    [
      'README.txt',
      `${backup('2026-12-31 04:00')}.partial`,
      backup('2026-12-31 03:00'),
      backup('2026-12-30 03:00'),
    ],
    { daily: 1, weekly: 0, monthly: 0 },
    ['README.txt', `${backup('2026-12-31 04:00')}.partial`, backup('2026-12-31 03:00')],
  ],
  [
    'a backup dated after now (a wrong clock) is kept and does not count',
    [backup('2027-03-01 03:00'), backup('2026-12-31 03:00'), backup('2026-12-30 03:00')],
    { daily: 1, weekly: 0, monthly: 0 },
    [backup('2027-03-01 03:00'), backup('2026-12-31 03:00')],
  ],
];

describe('retain', () => {
  it.each(CASES)('%s', (_what, names, keep, expected) => {
    const { keep: kept, remove } = retain(
      names.map((name) => ({ name })),
      keep,
      NOW,
    );
    expect(kept.map((i) => i.name).sort()).toEqual([...expected].sort());
    expect(remove.map((i) => i.name).sort()).toEqual(
      names.filter((n) => !expected.includes(n)).sort(),
    );
  });

  it('a year of daily backups with the defaults keeps 7 days, 4 weeks and 12 months', () => {
    // 2026-01-01 .. 2026-12-31, one at 03:00 UTC each day.
    const names = daily('2026-12-31', 365);
    const kept = new Set(
      retain(
        names.map((name) => ({ name })),
        DEFAULT,
        NOW,
      ).keep.map((i) => i.name),
    );
    const expected = new Set([
      // the last 7 days
      ...daily('2026-12-31', 7),
      // the newest of the last 4 ISO weeks: W53 (Thu 31st), W52 (Sun 27th), W51 (20th), W50 (13th)
      backup('2026-12-27 03:00'),
      backup('2026-12-20 03:00'),
      backup('2026-12-13 03:00'),
      // the newest of each of the last 12 months: the last day of each, and 31 Dec
      ...[
        '01-31',
        '02-28',
        '03-31',
        '04-30',
        '05-31',
        '06-30',
        '07-31',
        '08-31',
        '09-30',
        '10-31',
        '11-30',
      ].map((d) => backup(`2026-${d} 03:00`)),
    ]);
    expect([...kept].sort()).toEqual([...expected].sort());
    // Sunday the 27th is one of the last 7 days too.
    expect(kept.size).toBe(7 + 2 + 11);
  });

  it('a decision does not depend on the order in which the backups are listed', () => {
    const names = daily('2026-12-31', 120);
    const forward = retain(
      names.map((name) => ({ name })),
      DEFAULT,
      NOW,
    ).keep.map((i) => i.name);
    const backward = retain(
      [...names].reverse().map((name) => ({ name })),
      DEFAULT,
      NOW,
    ).keep.map((i) => i.name);
    expect([...backward].sort()).toEqual([...forward].sort());
  });
});
