export { healthRoutes, type Lifecycle } from './health.routes';
