export { matchesRoutes } from './matches.routes';
export type { MatchRow } from './matches.repository';
export {
  addMatches,
  assertOpen,
  assertSlotFree,
  divisionMatchRows,
  findMatch,
  lockDivision,
  lockVenue,
  markPlayed,
  matchesAtVenues,
  moveMatch,
  removeUnplayed,
  slotOf,
  teamMatchRows,
  toMatch,
  visibleMatch,
} from './matches.service';
