import type { Match } from '#domain/schemas/matches';

const DAY = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

/** A `YYYY-MM-DD` date with its weekday, e.g. "Tue, 9 Mar 2027"; dates have no time zone. */
export function formatMatchDate(date: string): string {
  const parsed = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(parsed.getTime()) ? date : DAY.format(parsed);
}

/** The label of a match for buttons and lists: "Aces vs Baseliners". */
export function matchTitle(match: Pick<Match, 'homeTeam' | 'awayTeam'>): string {
  return `${match.homeTeam.name} vs ${match.awayTeam.name}`;
}

export const STATUS_LABELS: Record<Match['status'], string> = {
  scheduled: 'Scheduled',
  postponed: 'Moved',
  cancelled: 'Cancelled',
  played: 'Played',
};
