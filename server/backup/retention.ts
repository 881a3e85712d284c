/** How many days, ISO weeks and months back the newest backup of each is kept. */
export interface Keep {
  daily: number;
  weekly: number;
  monthly: number;
}

/** What a backup's file name says: `rally-<kind>-<YYYYMMDDTHHMMSSZ>-<schema>.rally-backup`. */
export interface BackupName {
  kind: 'postgres' | 'embedded';
  createdAt: Date;
  schemaVersion: string;
}

const NAME =
  /^rally-(postgres|embedded)-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-([A-Za-z0-9_.-]+)\.rally-backup$/;

/**
 * Reads a backup's file name (as `fileName` in backup.ts writes it), or undefined for any other
 * name: `.partial` files, notes, a backup renamed by hand. Retention never touches those.
 */
export function parseBackupName(name: string): BackupName | undefined {
  const m = NAME.exec(name);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(2, 8).map(Number) as number[];
  const createdAt = new Date(
    Date.UTC(year as number, (month as number) - 1, day, hour, minute, second),
  );
  // 20261332T... parses as some other date: such a name was not written by us.
  if (
    createdAt.getUTCMonth() !== (month as number) - 1 ||
    createdAt.getUTCDate() !== day ||
    createdAt.getUTCHours() !== hour ||
    createdAt.getUTCMinutes() !== minute ||
    createdAt.getUTCSeconds() !== second
  ) {
    return undefined;
  }
  return { kind: m[1] as BackupName['kind'], createdAt, schemaVersion: m[8] as string };
}

/** The ISO 8601 week of a UTC instant, as `2026-W49` (weeks start on Monday; week 1 holds a Thursday). */
export function isoWeek(date: Date): string {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  // The Thursday of this week decides the week's year.
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

const PERIODS = {
  daily: (d: Date) => d.toISOString().slice(0, 10),
  weekly: isoWeek,
  monthly: (d: Date) => d.toISOString().slice(0, 7),
} as const;

/**
 * Which backups to keep, by the grandfather-father-son rule as restic's `forget --keep-daily N
 * --keep-weekly N --keep-monthly N` applies it: for each of the last N days (ISO weeks, months,
 * in UTC) that have a backup, the newest backup of that day is kept. The rules are independent:
 * one backup may be the day's, the week's and the month's. Also kept:
 *
 * - the newest backup, whatever the counts (0 everywhere keeps only it);
 * - the oldest backup when a rule found fewer periods than it asks for (restic 0.17 and borg do
 *   the same): in the first months of daily backups, the oldest is the only one that reaches back
 *   as far as the monthly rule intends;
 * - any backup dated after `now`: a clock that was wrong is not a reason to delete;
 * - every name that is not a backup's (`parseBackupName`): never ours to delete.
 *
 * Backups of PostgreSQL and of the embedded database are two series, each retained on its own
 * (as restic groups snapshots by host and path), so switching databases never prunes the other's.
 */
export function retain<T extends { name: string }>(
  items: readonly T[],
  keep: Keep,
  now: Date = new Date(),
): { keep: T[]; remove: T[] } {
  const kept = new Set<T>();
  const series = new Map<string, { item: T; createdAt: Date }[]>();
  for (const item of items) {
    const parsed = parseBackupName(item.name);
    if (!parsed || parsed.createdAt > now) {
      kept.add(item);
      continue;
    }
    const list = series.get(parsed.kind) ?? [];
    list.push({ item, createdAt: parsed.createdAt });
    series.set(parsed.kind, list);
  }
  for (const list of series.values()) {
    // Newest first; the name breaks ties so the decision does not depend on listing order.
    list.sort(
      (a, b) =>
        b.createdAt.getTime() - a.createdAt.getTime() || b.item.name.localeCompare(a.item.name),
    );
    kept.add((list[0] as (typeof list)[number]).item);
    for (const rule of ['daily', 'weekly', 'monthly'] as const) {
      let left = keep[rule];
      let last: string | undefined;
      for (const { item, createdAt } of list) {
        if (left === 0) break;
        const period = PERIODS[rule](createdAt);
        if (period === last) continue;
        kept.add(item);
        last = period;
        left -= 1;
      }
      if (left > 0) kept.add((list.at(-1) as (typeof list)[number]).item);
    }
  }
  return {
    keep: items.filter((i) => kept.has(i)),
    remove: items.filter((i) => !kept.has(i)),
  };
}
