export { usePlayerPage, useTeamStats } from './api';
export { PlayerProfile } from './PlayerProfile';
export { RatingChart } from './RatingChart';
export { TeamStatsPanel } from './TeamStatsPanel';
