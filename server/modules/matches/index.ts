export { matchesRoutes } from './matches.routes';
export type { MatchRow } from './matches.repository';
export {
  addMatches,
  assertOpen,
  assertSlotFree,
  divisionMatchPage,
  divisionMatchRows,
  findMatch,
  lockDivision,
  lockVenue,
  markPlayed,
  matchesAtVenues,
  moveMatch,
  removeUnplayed,
  slotOf,
  teamMatchPage,
  toMatch,
  visibleMatch,
} from './matches.service';
