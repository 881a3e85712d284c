/**
 * What an error report (a Sentry or GlitchTip event, server's or web app's) may carry: no personal
 * data and no credentials (issue #13). Both SDKs run every event through `scrubErrorEvent` in
 * `beforeSend`, so that one set of rules decides, whichever side the error came from. The SDKs are
 * also configured not to collect most of it (`sendDefaultPii: false`, no request bodies, no local
 * variables); this is the last line, for what slips through in free text.
 */

/**
 * The SDKs' `dataCollection` option (Sentry JavaScript SDK 11, which replaced `sendDefaultPii` with
 * it and collects more by default): every category off, for the server and the web app alike.
 * Data set explicitly (the internal user id, the tags) is still sent.
 */
export const NO_DATA_COLLECTION = {
  userInfo: false,
  cookies: false,
  httpHeaders: false,
  httpBodies: [] as never[],
  urlQueryParams: false,
  graphQL: { document: false, variables: false },
  genAI: { inputs: false, outputs: false },
  mcp: { inputs: false, outputs: false },
  databaseQueryData: false,
  queues: false,
  stackFrameVariables: false,
} as const;

/**
 * A query parameter whose value is a credential: the sign-in callback's `code` and `state`, an
 * invitation or calendar `token`, and anything else named like a token, key, secret or password.
 */
const SECRET_PARAM =
  /^(code|state|session_state|id_token|access_token|refresh_token|token|invite|sig|signature|.*(token|secret|password|passwd|key|auth|csrf|session).*)$/i;

/**
 * A path segment that is a credential: an invitation's token (`/invites/<token>`, page and API) or
 * a calendar feed's (`/api/calendar/<token>.ics`), as server/plugins/logging.ts redacts them.
 */
const SECRET_SEGMENT = /(^|\/)(invites|calendar)\/[^/?#\s"'<>]+/gi;

/** An e-mail address anywhere in a text. */
const EMAIL =
  /[\w.%+-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}/gi;

/** A query parameter in a URL or query string: its separator and name, then its value. */
const QUERY_PARAM = /([?&][^=&#\s"'<>]+)=([^&#\s"'<>]*)/g;

/** Credentials of an HTTP `Authorization` header quoted in a text. */
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[\w.~+/=-]+/gi;

/** PostgreSQL's `Key (email)=(ana@example.com) already exists.`: the values are user data. */
const KEY_VALUES = /\)=\([^)]*\)/g;

/**
 * Keys whose value is personal data or a credential wherever they appear (headers, extra data,
 * contexts): removed, not scrubbed.
 */
const SECRET_KEY =
  /^(cookies?|set-cookie|authorization|proxy-authorization|x-csrf-token|csrf|password|secret|token|session|email|e-mail|displayname|phone|ip_address|ip|x-forwarded-for|x-real-ip|forwarded)$/i;

/** Fields of an event that are the SDK's own structure, not data: left as they are. */
const STRUCTURAL_KEY = new Set([
  'stacktrace',
  'debug_meta',
  'sdk',
  'modules',
  'sdkProcessingMetadata',
]);

/** The request headers a report keeps: the browser, for bugs of one browser. */
const KEPT_HEADERS = new Set(['user-agent']);

/** The breadcrumb data a report keeps: what was fetched or navigated, never bodies. */
const KEPT_BREADCRUMB_DATA = new Set(['method', 'url', 'status_code', 'from', 'to']);

/** One text without e-mail addresses, credentials in URLs or headers, or database key values. */
export function scrubText(text: string): string {
  return text
    .replace(EMAIL, '[email]')
    .replace(AUTH_SCHEME, '$1 [redacted]')
    .replace(KEY_VALUES, ')=([redacted])')
    .replace(SECRET_SEGMENT, '$1$2/<token>')
    .replace(QUERY_PARAM, (whole, name: string) =>
      SECRET_PARAM.test(name.slice(1)) ? `${name}=[redacted]` : whole,
    );
}

type Json = unknown;

/** Every string under `value` scrubbed, and every secret key removed, in place. */
function scrubDeep(value: Json, depth = 0): Json {
  if (typeof value === 'string') return scrubText(value);
  if (depth > 12 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = scrubDeep(value[i], depth + 1);
    return value;
  }
  const record = value as Record<string, Json>;
  for (const key of Object.keys(record)) {
    if (SECRET_KEY.test(key)) Reflect.deleteProperty(record, key);
    else if (!STRUCTURAL_KEY.has(key)) record[key] = scrubDeep(record[key], depth + 1);
  }
  return record;
}

/** The parts of an event `scrubErrorEvent` reads (of a Sentry event or transaction). */
interface ReportEvent {
  user?: { id?: string | number | undefined; [key: string]: unknown } | undefined;
  request?: Record<string, unknown> | undefined;
  breadcrumbs?: Record<string, unknown>[] | undefined;
  exception?: { values?: Record<string, unknown>[] | undefined } | undefined;
  [key: string]: unknown;
}

/**
 * The event as it may leave: the user known by internal id only; the request without cookies,
 * body, query string or headers other than `user-agent`; breadcrumbs reduced to what was fetched
 * or navigated; local variables gone from stack frames; and in every remaining text e-mail
 * addresses, credentials in URLs (token-ish query parameters, invitation and calendar tokens) and
 * `Authorization` values replaced. Changes `event` in place and returns it.
 */
export function scrubErrorEvent<E extends object>(given: E): E {
  const event = given as ReportEvent;
  const id = event.user?.id;
  if (id === undefined) delete event.user;
  else event.user = { id };

  const request = event.request;
  if (request) {
    delete request.cookies;
    delete request.data;
    delete request.query_string;
    delete request.env;
    const headers = request.headers as Record<string, unknown> | undefined;
    if (headers) {
      for (const name of Object.keys(headers)) {
        if (!KEPT_HEADERS.has(name.toLowerCase())) Reflect.deleteProperty(headers, name);
      }
    }
  }

  if (event.breadcrumbs) {
    event.breadcrumbs = event.breadcrumbs
      // What was written to the console may be anything a developer printed.
      .filter((crumb) => crumb.category !== 'console')
      .map((crumb) => {
        const data = crumb.data as Record<string, unknown> | undefined;
        if (data) {
          for (const key of Object.keys(data))
            if (!KEPT_BREADCRUMB_DATA.has(key)) Reflect.deleteProperty(data, key);
        }
        return crumb;
      });
  }

  for (const exception of event.exception?.values ?? []) {
    const frames = (exception.stacktrace as { frames?: Record<string, unknown>[] } | undefined)
      ?.frames;
    // Local variables hold whatever the function was working on: a user's profile, a request body.
    for (const frame of frames ?? []) delete frame.vars;
  }

  scrubDeep(event);
  return given;
}
