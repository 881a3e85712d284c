export {
  divisionMatchesQueryKey,
  myMatchesQueryKey,
  teamMatchesQueryKey,
  useDivisionMatches,
  useMyMatches,
  useTeamMatches,
  type When,
} from './api';
export { CalendarSubscribe } from './CalendarSubscribe';
export { formatMatchDate, matchTitle, STATUS_LABELS } from './labels';
export { MatchList } from './MatchList';
export { ScheduleBuilder } from './ScheduleBuilder';
export { ScheduleByRound } from './ScheduleByRound';
