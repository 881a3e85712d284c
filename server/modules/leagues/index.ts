export { leaguesRoutes } from './leagues.routes';
export { getLeague, getSeason, leagueToday, visibleDivision } from './leagues.service';
