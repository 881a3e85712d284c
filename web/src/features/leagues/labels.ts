import type { LeagueSport, MatchFormat } from '#domain/schemas/leagues';
import { SPORT_LABELS } from '#domain/schemas/me';
import { pluralize } from '../../lib/forms';

/** The name of a league's sport, its own name for a custom one. */
export function sportName(sport: LeagueSport, customSport: string | null): string {
  if (sport === 'custom') return customSport ?? 'Other sport';
  return SPORT_LABELS[sport];
}

const WINNER_LABELS: Record<MatchFormat['teamMatchWinner'], string> = {
  lines: 'most lines',
  sets: 'most sets',
  games: 'most games',
};

/** One line of plain language for a match format, e.g. "2 singles + 3 doubles, best of 3 sets". */
export function formatSummary(format: MatchFormat): string[] {
  const lines = format.lines.map((group) => `${group.count} ${group.kind}`).join(' + ');
  const sets = format.bestOfSets === 1 ? '1 set' : `best of ${format.bestOfSets} sets`;
  const tiebreak =
    format.tiebreakAt === null
      ? 'no tiebreak: sets go on until two games clear'
      : `tiebreak at ${format.tiebreakAt} all`;
  return [
    `${lines} per team match`,
    `${sets} of ${pluralize(format.gamesPerSet, 'game')}, ${tiebreak}`,
    format.finalSet === 'match_tiebreak'
      ? 'Deciding set: a match tiebreak to 10'
      : 'Deciding set: a full set',
    format.noAd ? 'No-ad scoring' : 'Advantage scoring',
    `The team that wins the ${WINNER_LABELS[format.teamMatchWinner]} wins the team match`,
  ];
}

/** Levels as players know them: 3.0 rather than 3. */
function level(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

/** "Levels 3.0–3.5", "Level 3.0 and up", "Up to level 3.5", or null without a level band. */
export function levelBand(levelMin: number | null, levelMax: number | null): string | null {
  if (levelMin !== null && levelMax !== null) return `Levels ${level(levelMin)}–${level(levelMax)}`;
  if (levelMin !== null) return `Level ${level(levelMin)} and up`;
  if (levelMax !== null) return `Up to level ${level(levelMax)}`;
  return null;
}
