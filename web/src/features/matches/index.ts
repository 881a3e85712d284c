export {
  useCancelMatch,
  useMatchContext,
  useMatchHistory,
  usePostponeMatch,
  useRefreshMatches,
} from './api';
export { formatMatchDate, matchTitle, STATUS_LABELS } from './labels';
export { CancelForm, PostponeForm } from './MatchChanges';
export { MatchHistory } from './MatchHistory';
