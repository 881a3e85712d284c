import type { FastifyRequest } from 'fastify';
import { NO_DATA_COLLECTION, scrubErrorEvent } from '#domain/rules/error-reports';
import type { ErrorTrackingConfig } from '../config';
import { loggableUrl } from './logging';

/** What reports the server's unexpected failures to Sentry or GlitchTip (issue #13). */
export interface ErrorTracker {
  /** Reports a request's unexpected failure (a 500), tagged with its request id, route and method. */
  captureRequestError(error: unknown, request: FastifyRequest): void;
  /** Reports an error nothing caught: an uncaught exception or an unhandled rejection. */
  captureProcessError(error: unknown, kind: 'uncaughtException' | 'unhandledRejection'): void;
  /** Sends the reports still queued, waiting at most `timeoutMs`; false if some were not sent. */
  flush(timeoutMs: number): Promise<boolean>;
  /** Flushes (at most `timeoutMs`), then sends nothing more. */
  close(timeoutMs: number): Promise<boolean>;
}

/**
 * Starts error tracking with the official SDK (`@sentry/node`), loaded only here, so that a server
 * without `SENTRY_DSN` never loads it (decision 0019). Errors only: no performance tracing, and so
 * no instrumentation of modules, no `--import` preload and no cost per request; the SDK is called
 * when a request fails (server/plugins/errors.ts) or the process is about to crash (main.ts).
 *
 * The client has its own scope rather than the SDK's global one (`Sentry.init`), so that several
 * apps in one process (the tests) each report to their own DSN, and closing one ends only its own.
 * What leaves is decided by `scrubErrorEvent` (domain/rules/error-reports.ts) in `beforeSend`, on
 * top of collecting little in the first place: `NO_DATA_COLLECTION` (what `sendDefaultPii: false` was
 * before SDK 11), no breadcrumbs (they would
 * mix the requests of different users), no local variables, no request headers or bodies.
 */
export async function startErrorTracking(settings: ErrorTrackingConfig): Promise<ErrorTracker> {
  const Sentry = await import('@sentry/node');
  const client = new Sentry.NodeClient({
    dsn: settings.dsn,
    environment: settings.environment,
    release: settings.release,
    dataCollection: NO_DATA_COLLECTION,
    maxBreadcrumbs: 0,
    transport: Sentry.makeNodeTransport,
    stackParser: Sentry.defaultStackParser,
    // The SDK's defaults minus what costs on every request (http, fetch, console wrappers), what
    // changes how the process ends (its own uncaught-exception handlers) and what collects data
    // (local variables, request data).
    integrations: [
      Sentry.linkedErrorsIntegration(),
      Sentry.dedupeIntegration(),
      Sentry.nodeContextIntegration(),
      Sentry.contextLinesIntegration(),
    ],
    // No tracing, so no transactions or spans to scrub: only error events leave.
    beforeSend: (event) => scrubErrorEvent(event),
  });
  const scope = new Sentry.Scope();
  scope.setClient(client);
  client.init();

  return {
    captureRequestError(error, request) {
      const route = request.routeOptions.url;
      const requestScope = scope.clone();
      requestScope.setTags({
        request_id: request.id,
        method: request.method,
        ...(route ? { route } : {}),
      });
      if (request.user) requestScope.setUser({ id: request.user.id });
      requestScope.addEventProcessor((event) => {
        // The path and query as the logs keep them (tokens in the path redacted); the scrubber
        // then removes token-ish query parameters. No headers, no cookies, no body.
        event.request = { method: request.method, url: loggableUrl(request.url) };
        return event;
      });
      requestScope.captureException(error, {
        mechanism: { type: 'auto.http.fastify', handled: false },
      });
    },
    captureProcessError(error, kind) {
      const processScope = scope.clone();
      processScope.setTag('kind', kind);
      processScope.captureException(error, {
        mechanism: { type: `auto.node.${kind}`, handled: false },
      });
    },
    flush: async (timeoutMs) => client.flush(timeoutMs),
    close: async (timeoutMs) => client.close(timeoutMs),
  };
}
