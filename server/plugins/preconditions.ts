import { badRequest } from './problem';

/**
 * `If-Match: "3"` (or `3`, or a weak `W/"3"`) as the row version the client edited; absent:
 * undefined (the write is unconditional).
 */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
  if (!match?.[1]) {
    throw badRequest('If-Match must be the version you last saw, e.g. "3".', [
      { field: 'If-Match', message: 'Not a version' },
    ]);
  }
  return Number(match[1]);
}
