import Fastify from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database';
import packageJson from '../../package.json' with { type: 'json' };
import { TEST_DATABASES } from '../test/databases';
import { Agent, startTestApp, type TestApp } from '../test/app';
import { createLeagueWithDivision, createTeam, signUp } from '../test/factories';
import { idempotentWrite } from './idempotency';
import { parseIfMatch } from './preconditions';
import { needsCsrf } from './session';

interface Operation {
  security?: Record<string, string[]>[];
  parameters?: { in: string; name: string; required?: boolean }[];
  responses: Record<
    string,
    { content?: Record<string, unknown>; headers?: Record<string, unknown> }
  >;
}
interface OpenApiDocument {
  info: { version: string };
  components: { securitySchemes: Record<string, Record<string, string>> };
  paths: Record<string, Record<string, Operation>>;
}

/** Every operation of the document, as `GET /api/teams/{teamId}`. */
function operations(doc: OpenApiDocument) {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      operation,
      name: `${method.toUpperCase()} ${path}`,
    })),
  );
}

/** A URL for the path that gets past validation: ids of nothing, a feed file name, a sport. */
function sampleUrl(path: string): string {
  const url = path
    .replace('{file}', `${'a'.repeat(32)}.ics`)
    .replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
  return path === '/api/leaderboards' ? `${url}?sport=tennis` : url;
}

/** Whether every alternative of the operation's security includes the session cookie. */
const needsSession = (operation: Operation) =>
  (operation.security ?? []).length > 0 &&
  (operation.security ?? []).every((alternative) => 'session' in alternative);

/**
 * The OpenAPI document is the API's reference (`/api/docs`), so it must say what the server does
 * (issue #11, item 5): who needs a session, which requests need the CSRF header, what an error
 * answer is, and which version this is.
 */
describe.each(TEST_DATABASES)('the OpenAPI document (%s)', (kind) => {
  let t: TestApp;
  let doc: OpenApiDocument;

  beforeAll(async () => {
    t = await startTestApp(kind);
    doc = (await t.app.inject('/api/openapi.json')).json();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('takes its version from package.json', () => {
    expect(doc.info.version).toBe(packageJson.version);
  });

  it('describes the session cookie and the CSRF header as security schemes', () => {
    expect(doc.components.securitySchemes).toMatchObject({
      session: { type: 'apiKey', in: 'cookie', name: 'rally_session' },
      csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
    });
  });

  it('publishes every error answer as application/problem+json, and nothing else as one', () => {
    let errors = 0;
    for (const { name, operation } of operations(doc)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        const types = Object.keys(response.content ?? {});
        if (Number(status) >= 400) {
          errors += 1;
          expect(types, `${name} ${status}`).toEqual(['application/problem+json']);
        } else {
          expect(types, `${name} ${status}`).not.toContain('application/problem+json');
        }
      }
    }
    expect(errors).toBeGreaterThan(100);
  });

  it('marks every write with the CSRF header and leaves the probes and sign-in without security', () => {
    for (const { method, name, operation } of operations(doc)) {
      if (!needsCsrf(method)) continue;
      expect(operation.security, name).toBeDefined();
      for (const alternative of operation.security ?? []) {
        expect(alternative, name).toHaveProperty('csrf');
      }
    }
    for (const path of ['/health', '/ready', '/api/auth/config', '/api/auth/login']) {
      expect(doc.paths[path]?.get, path).toBeDefined();
      expect(doc.paths[path]?.get?.security, path).toBeUndefined();
    }
  });

  it('declares Idempotency-Key on the writes that honour it, and If-Match with its 412', () => {
    // `idempotentWrite` refuses a route without `config.idempotencyKey`, and `parseIfMatch` one
    // whose schema lacks the header (a 500 in that route's tests and in the fuzzer); the document
    // is made from the same config and schema.
    const header = (operation: Operation, name: string) =>
      operation.parameters?.find((p) => p.in === 'header' && p.name === name);
    const withKey = operations(doc).filter(({ operation }) => header(operation, 'idempotency-key'));
    expect(withKey.length).toBeGreaterThan(25);
    const withIfMatch = operations(doc).filter(({ operation }) => header(operation, 'if-match'));
    expect(withIfMatch.map(({ name }) => name)).toEqual(
      expect.arrayContaining([
        'PATCH /api/teams/{teamId}',
        'PATCH /api/leagues/{leagueId}',
        'PUT /api/me/profile',
        'POST /api/matches/{matchId}/result/confirm',
      ]),
    );
    for (const { method, name, operation } of operations(doc)) {
      if (header(operation, 'idempotency-key')) {
        expect(needsCsrf(method), name).toBe(true);
        expect(header(operation, 'idempotency-key')?.required, name).toBe(false);
      }
      const ifMatch = header(operation, 'if-match');
      expect(ifMatch?.required ?? false, name).toBe(false);
      // 412 is the answer to a stale If-Match and to nothing else.
      expect('412' in operation.responses, name).toBe(ifMatch !== undefined);
      if (ifMatch) {
        expect(operation.responses['412']?.content, name).toMatchObject({
          'application/problem+json': { schema: { properties: { current: {} } } },
        });
      }
    }
  });

  it('declares the ETag of the reads that send one, and the iCal feed as text/calendar', () => {
    for (const path of ['/api/me', '/api/teams/{teamId}', '/api/leagues/{leagueId}']) {
      expect(doc.paths[path]?.get?.responses['200']?.headers, path).toHaveProperty('etag');
    }
    for (const path of ['/api/divisions/{divisionId}/standings', '/api/leaderboards']) {
      const get = doc.paths[path]?.get;
      expect(get?.responses['200']?.headers, path).toHaveProperty('etag');
      expect(get?.responses, path).toHaveProperty('304');
      expect(
        get?.parameters?.map((p) => `${p.in} ${p.name}`),
        path,
      ).toContain('header if-none-match');
    }
    expect(doc.paths['/api/calendar/{file}']?.get?.responses['200']?.content).toEqual({
      'text/calendar': { schema: { type: 'string' } },
    });
  });

  it('declares the paged league list: its query, and the Link header to the next page', () => {
    const get = doc.paths['/api/leagues']?.get;
    expect(get?.responses['200']?.headers).toHaveProperty('link');
    expect(get?.responses['200']?.headers).toHaveProperty('etag');
    expect(get?.responses).toHaveProperty('400');
    expect(get?.parameters?.map((p) => `${p.in} ${p.name}`)).toEqual(
      expect.arrayContaining(['query q', 'query limit', 'query after']),
    );
  });

  it('asks for a session exactly where a signed-out request is answered 401', async () => {
    const agent = new Agent(t.app);
    await agent.prime();
    const all = operations(doc);
    expect(all.length).toBeGreaterThan(70);
    for (const { method, path, name, operation } of all) {
      const response = await agent.request({
        method: method as 'GET',
        url: sampleUrl(path),
        ...(needsCsrf(method) && { payload: {} }),
      });
      // A read answered 400 never reached its handler, which is where it would ask for a session.
      if (!needsCsrf(method)) expect(response.statusCode, name).not.toBe(400);
      expect(response.statusCode === 401, name).toBe(needsSession(operation));
    }
  });
});

/** Headers the handlers set themselves, held to the document with real rows to read. */
describe.each(TEST_DATABASES)('the OpenAPI document, read against real rows (%s)', (kind) => {
  let t: TestApp;
  let doc: OpenApiDocument;

  beforeAll(async () => {
    t = await startTestApp(kind, { env: { DEMO_MODE: 'true' } });
    doc = (await t.app.inject('/api/openapi.json')).json();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('declares an ETag on exactly the reads that send one', async () => {
    const { agent } = await signUp(t.app, 'organizer', 'Docs Organizer');
    const ids = await createLeagueWithDivision(agent);
    const teamId = await createTeam(agent, ids.divisionId, 'Docs Team');
    const known: Record<string, string> = { ...ids, teamId };
    let answered = 0;
    const tagged: string[] = [];
    for (const { method, path, name, operation } of operations(doc)) {
      if (method !== 'GET') continue;
      const url = sampleUrl(path.replace(/\{(\w+)\}/g, (all, id: string) => known[id] ?? all));
      const response = await agent.get(url);
      if (response.statusCode !== 200) continue;
      answered += 1;
      if ('etag' in response.headers) tagged.push(name);
      expect('etag' in response.headers, name).toBe(
        'etag' in (operation.responses['200']?.headers ?? {}),
      );
    }
    expect(answered).toBeGreaterThanOrEqual(15);
    // The row versions that If-Match takes, and the public reads the http-cache plugin tags.
    expect(tagged.sort()).toEqual([
      'GET /api/divisions/{divisionId}/matches',
      'GET /api/divisions/{divisionId}/standings',
      'GET /api/divisions/{divisionId}/teams',
      'GET /api/leaderboards',
      'GET /api/leagues',
      'GET /api/leagues/{leagueId}',
      'GET /api/leagues/{leagueId}/venues',
      'GET /api/me',
      'GET /api/teams/{teamId}',
      'GET /api/teams/{teamId}/matches',
      'GET /api/teams/{teamId}/stats',
    ]);
  });
});

/** What keeps the document and the handlers together: a handler cannot use an undeclared header. */
describe('the header helpers', () => {
  it('refuse a route that does not declare the header the document is made from', async () => {
    const app = Fastify().setValidatorCompiler(validatorCompiler);
    app.post('/undeclared-key', async (request, reply) =>
      idempotentWrite({} as Database, request, reply, 200, async () => null),
    );
    app.post('/undeclared-if-match', async (request) => ({ version: parseIfMatch(request) }));
    app.post(
      '/declared-if-match',
      { schema: { headers: z.object({ 'if-match': z.string().optional() }) } },
      async (request) => ({ version: parseIfMatch(request) ?? null }),
    );
    const post = (url: string) =>
      app.inject({ method: 'POST', url, headers: { 'if-match': '"3"' } });
    expect((await post('/undeclared-key')).json().message).toMatch(/config\.idempotencyKey/);
    expect((await post('/undeclared-if-match')).json().message).toMatch(/schema\.headers/);
    expect((await post('/declared-if-match')).json()).toEqual({ version: 3 });
    await app.close();
  });
});
