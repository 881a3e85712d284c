export { venuesRoutes } from './venues.routes';
export { listVenues } from './venues.service';
