export { teamsRoutes } from './teams.routes';
export { divisionTeams, getTeam, joinTeam, memberIds, visibleTeam } from './teams.service';
