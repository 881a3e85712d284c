import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import packageJson from '../../package.json' with { type: 'json' };
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE, needsCsrf, signInRequired } from './session';

/** What an operation asks for in OpenAPI terms: alternatives, each a set of schemes. */
type Security = Record<string, string[]>[];

/**
 * Reads whose handler answers 401 to a signed-out request (`requireUser`, or the session checked
 * in the query). The other reads answer signed out too, and show more to a session (private
 * leagues, one's own teams). `docs.test.ts` asks each read signed out and holds this list to it.
 */
const READS_NEEDING_SIGN_IN = new Set([
  '/api/me',
  '/api/me/teams',
  '/api/me/matches',
  '/api/me/calendar-feeds',
  '/api/organizer-invites',
  '/api/leagues/:leagueId/organizer-invites',
  '/api/teams/:teamId/invites',
  '/api/matches/:matchId/availability',
  '/api/matches/:matchId/lineup',
]);

/** Reads that never look at the session: sign-in itself, and calendar feeds (their URL is the key). */
const READS_WITHOUT_SESSION = new Set([
  '/api/auth/config',
  '/api/auth/login',
  '/api/auth/callback',
  '/api/calendar/:file',
]);

/**
 * The security of a route, as the session plugin applies it: writes need the CSRF header and,
 * unless `config.signIn` is `optional`, a session; reads need a session, may use one, or ignore
 * it. Routes outside `/api` (the probes) use neither.
 */
function securityOf(route: RouteOptions): Security | undefined {
  if (!route.url.startsWith('/api/') || READS_WITHOUT_SESSION.has(route.url)) return undefined;
  const method = Array.isArray(route.method) ? route.method[0] : route.method;
  if (method === undefined) return undefined;
  if (needsCsrf(method)) {
    return signInRequired(method, route.config ?? {})
      ? [{ session: [], csrf: [] }]
      : [{ session: [], csrf: [] }, { csrf: [] }];
  }
  return READS_NEEDING_SIGN_IN.has(route.url) ? [{ session: [] }] : [{ session: [] }, {}];
}

/** The JSON Schema of a route as `jsonSchemaTransform` gives it, the parts this file touches. */
interface RouteSchema {
  headers?: { type?: string; properties?: Record<string, object>; required?: string[] };
  response?: Record<string, object>;
}

const IDEMPOTENCY_KEY = {
  type: 'string',
  description:
    'Any 1 to 200 visible ASCII characters, new for each write (a UUID will do). A retry with ' +
    'the same key and the same request replays the first answer (`Idempotent-Replayed: true`) ' +
    'instead of writing twice; the same key with another request is 422.',
};

const IF_MATCH = {
  type: 'string',
  description:
    'The version you edited, as the `ETag` or `version` gave it (`"3"`). If the row changed ' +
    'since, nothing is written: 412, with the current row in `current`. Without it the write is ' +
    'unconditional.',
};

const ETAG = { type: 'string', description: 'The version of what is returned, e.g. `"3"`.' };

const BODY_ETAG = {
  type: 'string',
  description:
    'A tag of this answer that changes whenever the answer does; send it back as ' +
    '`If-None-Match` to get 304 while it is unchanged.',
};

const CACHE_CONTROL = {
  type: 'string',
  description:
    '`no-cache` (keep the answer, but ask again before using it), `private` when signed in. ' +
    'Answers vary on `Cookie`.',
};

const IF_NONE_MATCH = {
  type: 'string',
  description:
    'The `ETag` of an answer you kept: while the answer is unchanged it is 304 without a body.',
};

/**
 * Reads that send an `ETag` with the version of what they return (the value `If-Match` takes).
 * `docs.test.ts` reads each one and holds this list to it.
 */
const READS_WITH_ETAG = new Set(['/api/me', '/api/teams/:teamId', '/api/leagues/:leagueId']);

const NEXT_LINK = {
  type: 'string',
  description:
    "Sent when there is more: the next page's address, as RFC 8288 says, e.g. " +
    '`</api/leagues?q=club&after=W3RydWUsIlJp…>; rel="next"`. Follow it as it is; `after` is opaque.',
};

/** Paged reads that send the next page's address in a `Link` header. */
const READS_WITH_NEXT_LINK = new Set(['/api/leagues']);

/**
 * The headers and answers the handlers give that the Zod schemas cannot say: `Idempotency-Key`
 * where `config.idempotencyKey` (which `idempotentWrite` requires), `If-Match` and its 412 only
 * where the schema declares the header (which `parseIfMatch` requires), the `ETag` of reads that
 * send one, `If-None-Match` and 304 where `config.revalidate` (the http-cache plugin), the
 * `Link` of paged reads, and the iCal feed as `text/calendar`.
 */
function headersAndAnswers(route: RouteOptions, schema: RouteSchema): RouteSchema {
  const headers = {
    type: 'object',
    ...schema.headers,
    properties: { ...schema.headers?.properties },
  };
  const response = { ...schema.response };
  if (route.config?.idempotencyKey === true)
    headers.properties['idempotency-key'] = IDEMPOTENCY_KEY;
  if (headers.properties['if-match']) headers.properties['if-match'] = IF_MATCH;
  else delete response['412'];
  if (READS_WITH_ETAG.has(route.url) && response['200']) {
    response['200'] = { ...response['200'], headers: { etag: ETAG } };
  }
  if (route.config?.revalidate === true && response['200']) {
    headers.properties['if-none-match'] = IF_NONE_MATCH;
    response['200'] = {
      ...response['200'],
      headers: { etag: BODY_ETAG, 'cache-control': CACHE_CONTROL },
    };
    response['304'] = { description: 'Not modified: the answer is the one `If-None-Match` named.' };
  }
  if (READS_WITH_NEXT_LINK.has(route.url) && response['200']) {
    const ok = response['200'] as { headers?: object };
    response['200'] = { ...ok, headers: { ...ok.headers, link: NEXT_LINK } };
  }
  if (route.url === '/api/calendar/:file') {
    response['200'] = {
      description: 'The feed, an iCalendar (RFC 5545) document',
      content: { 'text/calendar': { schema: { type: 'string' } } },
    };
  }
  return {
    ...schema,
    ...(Object.keys(headers.properties).length > 0 && { headers }),
    ...(schema.response && { response }),
  };
}

/**
 * Every error answer is an RFC 9457 problem document sent as `application/problem+json` (the
 * errors plugin): the document says so instead of the `application/json` it gives by default.
 */
function problemContent<T extends { paths?: object }>(document: T): T {
  type Responses = Record<string, { content?: Record<string, unknown> }>;
  for (const item of Object.values(document.paths ?? {}) as Record<string, unknown>[]) {
    for (const operation of Object.values(item) as { responses?: Responses }[]) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const json = response.content?.['application/json'];
        if (Number(status) >= 400 && json) {
          response.content = { 'application/problem+json': json };
        }
      }
    }
  }
  return document;
}

/** OpenAPI generated from the routes' Zod schemas: `/api/openapi.json`, browsable at `/api/docs`. */
export const docsPlugin = fp(async (app: FastifyInstance) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Rally Connect API',
        version: packageJson.version,
        description:
          'Leagues, teams, schedules, results and ratings for amateur racket sports. Errors are ' +
          'RFC 9457 problem documents (`application/problem+json`). State-changing requests need ' +
          `the \`${CSRF_HEADER}\` header (the value of the \`${CSRF_COOKIE}\` cookie); most accept ` +
          'an `Idempotency-Key` header and updates take `If-Match` (each operation lists the ' +
          'headers it takes). Conventions and a worked `curl` session: docs/api.md.',
      },
      components: {
        securitySchemes: {
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: SESSION_COOKIE,
            description: 'The session cookie (httpOnly) that sign-in sets.',
          },
          csrf: {
            type: 'apiKey',
            in: 'header',
            name: CSRF_HEADER,
            description:
              `The value of the \`${CSRF_COOKIE}\` cookie, which every \`/api\` answer sets: ` +
              'required on POST, PUT, PATCH and DELETE, signed in or not (403 without it).',
          },
        },
      },
    },
    transform: (input) => {
      const transformed = jsonSchemaTransform(input);
      const security = securityOf(input.route);
      // Routes without a schema (the web app's files) have nothing to add to.
      const schema = transformed.schema
        ? headersAndAnswers(input.route, transformed.schema as RouteSchema)
        : transformed.schema;
      return { ...transformed, schema: { ...schema, ...(security && { security }) } };
    },
    transformObject: (document) =>
      'openapiObject' in document ? problemContent(document.openapiObject) : document.swaggerObject,
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  // No staticCSP: the plugin's own policy is weaker than the app's (styles and fonts from any
  // https origin, framing by the same origin); the docs load only their own files, so the app's
  // strict policy from the security plugin serves them too.
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
});
