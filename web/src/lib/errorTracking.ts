import { ClientConfig } from '#domain/schemas/client-config';
import { apiFetch } from './api';

/** Errors reported before the SDK is loaded: sent once it is, dropped if tracking is off. */
const early: unknown[] = [];
/** At most this many are kept while the SDK loads: a render loop must not fill the memory. */
const MAX_EARLY = 10;
let report: ((error: unknown) => void) | undefined;
let off = false;

/**
 * Reports an error the app caught but did not expect (a page that failed to render). Does
 * nothing when the server has no `SENTRY_DSN`; errors nobody caught (`window.onerror`,
 * unhandled rejections) are reported by the SDK itself once it is loaded.
 */
export function reportError(error: unknown): void {
  if (report) report(error);
  else if (!off && early.length < MAX_EARLY) early.push(error);
}

/**
 * Starts error tracking if the server says where to report to (`GET /api/client-config`): the
 * DSN is learnt at run time because one built image serves many deployments. The SDK
 * (`@sentry/react`) is imported only then, so that it is a separate chunk the app downloads only
 * where tracking is on (decision 0019). Offline, or if the server cannot be asked, nothing starts
 * until the next page load.
 */
export async function startErrorTracking(): Promise<void> {
  let settings: ClientConfig['errorTracking'];
  try {
    settings = ClientConfig.parse(await apiFetch('/api/client-config')).errorTracking;
  } catch {
    settings = null;
  }
  if (!settings) {
    off = true;
    early.length = 0;
    return;
  }
  const Sentry = await import('./sentry');
  Sentry.init({
    dsn: settings.dsn,
    environment: settings.environment,
    release: settings.release,
    dataCollection: Sentry.NO_DATA_COLLECTION,
    // Errors only, and only what the rules allow: no performance tracing, no session pings on
    // every page load, no wrapping of timers and listeners, no console or click breadcrumbs (a
    // clicked element's label can be a person's name). What was fetched and navigated stays: it
    // tells what led to the error.
    defaultIntegrations: false,
    integrations: [
      Sentry.eventFiltersIntegration(),
      Sentry.globalHandlersIntegration(),
      Sentry.linkedErrorsIntegration(),
      Sentry.dedupeIntegration(),
      Sentry.httpContextIntegration(),
      Sentry.breadcrumbsIntegration({ dom: false, sentry: false }),
    ],
    beforeSend: (event, hint) => Sentry.prepareEvent(event, hint.originalException),
  });
  report = (error) => void Sentry.captureException(error);
  for (const error of early.splice(0)) report(error);
}
