export { standingsRoutes } from './standings.routes';
