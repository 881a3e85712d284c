export {
  divisionMatchesQueryKey,
  myMatchesQueryKey,
  teamMatchesQueryKey,
  useDivisionMatches,
  useMyMatches,
  useTeamMatches,
  type When,
} from './api';
export { MatchList } from './MatchList';
export { ScheduleBuilder } from './ScheduleBuilder';
export { ScheduleByRound } from './ScheduleByRound';
