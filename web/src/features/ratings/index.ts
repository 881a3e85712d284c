export { useLeaderboard, usePlayerPage, useTeamStats } from './api';
export { PROVISIONAL_BELOW, RELIABILITY_LABELS, ratingText, reliabilityOf, signed } from './labels';
export { Leaderboard } from './Leaderboard';
export { PlayerProfile } from './PlayerProfile';
export { RatingChart } from './RatingChart';
export { TeamStatsPanel } from './TeamStatsPanel';
export { sportLabel, whyMoved } from './why';
