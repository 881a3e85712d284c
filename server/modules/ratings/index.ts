export { ratingsRoutes } from './ratings.routes';
export { rerateFrom } from './ratings.service';
