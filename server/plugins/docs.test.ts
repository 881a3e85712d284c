import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { TEST_DATABASES } from '../test/databases';
import { Agent, startTestApp, type TestApp } from '../test/app';
import { needsCsrf } from './session';

interface Operation {
  security?: Record<string, string[]>[];
  responses: Record<string, { content?: Record<string, unknown> }>;
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
