export { leaguesRoutes } from './leagues.routes';
export {
  getLeague,
  getSeason,
  leagueAccess,
  leagueToday,
  visibleDivision,
} from './leagues.service';
