export { scheduleRoutes } from './schedule.routes';
export { draftMatchRow, myMatches, teamMatches } from './schedule.service';
