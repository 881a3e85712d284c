export { teamsRoutes } from './teams.routes';
export { divisionTeams, getTeam, joinTeam, visibleTeam } from './teams.service';
