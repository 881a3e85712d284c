export { authRoutes } from './auth.routes';
export { DEMO_ISSUER, DEMO_USERS, type DemoUser } from './demo-users';
