import { scrubErrorEvent } from '#domain/rules/error-reports';
import { ApiError } from './api';

/**
 * An event as it may leave the browser: tagged with the request id and status of the API call
 * that failed, when that is what the error was (`ApiError`), so that support finds the server's
 * log lines and report of the same failure; then scrubbed of personal data and credentials
 * (`scrubErrorEvent`, the same rules as the server's).
 */
export function prepareEvent<E extends object>(event: E, originalException: unknown): E {
  if (originalException instanceof ApiError) {
    const tagged = event as { tags?: Record<string, unknown> };
    tagged.tags = {
      ...tagged.tags,
      ...(originalException.requestId ? { request_id: originalException.requestId } : {}),
      status: String(originalException.status),
    };
  }
  return scrubErrorEvent(event);
}
