/**
 * What error tracking needs once it is on, in one chunk that `errorTracking.ts` imports
 * dynamically, only where it is on: the parts of `@sentry/react` the web app uses, imported by
 * name so that the bundler leaves the rest (session replay, feedback, tracing) out, and the rules
 * of what an event may carry.
 */
export { NO_DATA_COLLECTION } from '#domain/rules/error-reports';
export { prepareEvent } from './errorEvents';
export {
  breadcrumbsIntegration,
  captureException,
  dedupeIntegration,
  eventFiltersIntegration,
  globalHandlersIntegration,
  httpContextIntegration,
  init,
  linkedErrorsIntegration,
} from '@sentry/react';
