export { standingsQueryKey, useStandings } from './api';
export {
  pointsRule,
  TIEBREAKER_LABELS,
  TIEBREAKER_NAMES,
  type TiebreakerName,
  wonLost,
} from './labels';
export { StandingsTable } from './StandingsTable';
