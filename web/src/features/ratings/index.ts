export { useLeaderboard } from './api';
export {
  formatDay,
  KIND_LABELS,
  percent,
  PROVISIONAL_BELOW,
  RELIABILITY_HELP,
  RELIABILITY_LABELS,
  ratingText,
  reliabilityOf,
  signed,
} from './labels';
export { Leaderboard } from './Leaderboard';
export { expectedPercent, sportLabel, whyMoved } from './why';
