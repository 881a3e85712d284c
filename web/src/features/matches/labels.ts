import type { Match } from '#domain/schemas/matches';

export { formatMatchDate } from '../../lib/dates';

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
