import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app';
import { loadConfig } from './config';
import { Agent, startTestApp, type TestApp } from './test/app';
import { createTestDatabase, TEST_DATABASES } from './test/databases';

describe.each(TEST_DATABASES)('the platform on %s', (kind) => {
  let t: TestApp;
  const webDir = mkdtempSync(path.join(tmpdir(), 'rally-web-'));
  writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>Rally Connect</title>');

  beforeAll(async () => {
    t = await startTestApp(kind, { env: { DEMO_MODE: 'true' }, overrides: { webDir } });
    // Routes that make the database itself refuse, to check how its errors leave the server.
    t.app.get('/api/test/nul', async () => {
      await sql`select ${'a\u0000b'}::text`.execute(t.app.db.system);
    });
    t.app.get('/api/test/out-of-range', async () => {
      await sql`select ${'99999999999'}::integer`.execute(t.app.db.system);
    });
    t.app.get('/api/test/duplicate', async () => {
      await sql`insert into users (oidc_issuer, oidc_subject) values ('t', 'same'), ('t', 'same')`.execute(
        t.app.db.system,
      );
    });
    t.app.get('/api/test/crash', async () => {
      throw new Error('secret internal detail at /srv/app.ts:42');
    });
  });
  afterAll(async () => t?.close());

  it('/health answers without touching the database', async () => {
    const response = await t.app.inject('/health');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('/ready reports the database reachable and migrated', async () => {
    const response = await t.app.inject('/ready');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', database: kind });
  });

  it('serves the OpenAPI description and its browsable docs', async () => {
    const spec = await t.app.inject('/api/openapi.json');
    expect(spec.statusCode).toBe(200);
    const doc = spec.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/health',
        '/ready',
        '/api/me',
        '/api/me/profile',
        '/api/auth/login',
      ]),
    );
    const profileBody =
      doc.paths['/api/me/profile'].put.requestBody.content['application/json'].schema;
    expect(profileBody.required).toEqual(
      expect.arrayContaining(['displayName', 'cityOrClub', 'sports']),
    );
    const docs = await t.app.inject('/api/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });

  it('exposes Prometheus metrics by route pattern', async () => {
    await t.app.inject('/health');
    const response = await t.app.inject('/metrics');
    expect(response.statusCode).toBe(200);
    expect(response.body).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/health",status="200"\}/,
    );
    expect(response.body).toContain('process_cpu_user_seconds_total');
  });

  it('sends a strict Content-Security-Policy and the other security headers', async () => {
    const response = await t.app.inject('/api/auth/config');
    const csp = response.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('serves the API docs, their scripts and styles under the same strict policy', async () => {
    const app = (await t.app.inject('/api/auth/config')).headers['content-security-policy'];
    for (const url of [
      '/api/docs/',
      '/api/docs/static/swagger-initializer.js',
      '/api/docs/static/swagger-ui.css',
      '/api/docs/static/swagger-ui-bundle.js',
    ]) {
      const response = await t.app.inject(url);
      expect(response.statusCode, url).toBe(200);
      const csp = response.headers['content-security-policy'] as string;
      expect(csp, url).toBe(app);
      expect(csp, url).not.toMatch(/unsafe-inline|unsafe-eval|https:|validator\.swagger\.io/);
    }
  });

  it('gives every response a request id, and keeps a sane one sent by a proxy', async () => {
    const own = await t.app.inject('/health');
    expect(own.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const given = await t.app.inject({ url: '/health', headers: { 'x-request-id': 'lb-1234' } });
    expect(given.headers['x-request-id']).toBe('lb-1234');
  });

  it('a body over 1 MiB is 413', async () => {
    const agent = new Agent(t.app);
    await agent.prime();
    await agent.send('POST', '/api/auth/demo', { user: 'new' });
    const response = await agent.send('PUT', '/api/me/profile', {
      displayName: 'x'.repeat(1_100_000),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ status: 413, title: 'Content Too Large' });
  });

  it('broken JSON and prototype-poisoning keys are 400, a non-JSON body 415, all problem documents', async () => {
    const agent = new Agent(t.app);
    await agent.prime();
    await agent.send('POST', '/api/auth/demo', { user: 'new' });
    const broken = await agent.request({
      method: 'PUT',
      url: '/api/me/profile',
      payload: '{"displayName": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.headers['content-type']).toContain('application/problem+json');
    expect(broken.json().detail).toBe('The body is not valid JSON.');
    const poisoned = await agent.request({
      method: 'PUT',
      url: '/api/me/profile',
      payload: '{"displayName": "x", "__proto__": {"admin": true}}',
      headers: { 'content-type': 'application/json' },
    });
    expect(poisoned.statusCode).toBe(400);
    expect(poisoned.json().detail).toBe('The body is not valid JSON.');
    const xml = await agent.request({
      method: 'PUT',
      url: '/api/me/profile',
      payload: '<profile/>',
      headers: { 'content-type': 'application/xml' },
    });
    expect(xml.statusCode).toBe(415);
  });

  it('database data errors are 400 and unique violations 409, with no SQL in the answer', async () => {
    for (const [url, status] of [
      ['/api/test/nul', 400],
      ['/api/test/out-of-range', 400],
      ['/api/test/duplicate', 409],
    ] as const) {
      const response = await t.app.inject(url);
      expect(response.statusCode, url).toBe(status);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body).not.toMatch(/select|insert|users|oidc|constraint|integer/i);
    }
  });

  it('an unexpected failure is a 500 problem that gives nothing away', async () => {
    const response = await t.app.inject('/api/test/crash');
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'Something went wrong on our side. It has been logged.',
      instance: '/api/test/crash',
    });
  });

  it('an unknown API route is a 404 problem, while app pages get the web app', async () => {
    const api = await t.app.inject({ url: '/api/nothing-here', headers: { accept: 'text/html' } });
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toContain('application/problem+json');
    const page = await t.app.inject({
      url: '/onboarding/profile',
      headers: { accept: 'text/html' },
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>Rally Connect</title>');
    expect(page.headers['cache-control']).toBe('no-cache');
  });
});

describe('readiness when the database is gone', () => {
  it('/ready is 503 while /health stays 200', async () => {
    const t = await startTestApp('embedded');
    try {
      await t.app.ready();
      await t.app.db.close();
      const ready = await t.app.inject('/ready');
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({ status: 503, detail: 'The database does not answer.' });
      expect((await t.app.inject('/health')).statusCode).toBe(200);
    } finally {
      await t.app.close().catch(() => {});
    }
  });
});

describe.runIf(TEST_DATABASES.includes('postgres'))(
  'a database login role past row-level security',
  () => {
    it('makes /ready answer 503, and a production server refuse to start', async () => {
      const database = await createTestDatabase('postgres');
      // The setup before issue #10: the app connected as the superuser that owns everything.
      const superuser = new URL(process.env.TEST_DATABASE_URL as string);
      superuser.pathname = new URL(database.databaseUrl as string).pathname;
      const config = {
        ...loadConfig({
          NODE_ENV: 'test',
          LOG_LEVEL: 'silent',
          RALLY_DATA_DIR: 'memory://',
          DATABASE_URL: superuser.href,
        }),
        webDir: '/nonexistent',
      };
      try {
        const app = await buildApp(config);
        try {
          const ready = await app.inject('/ready');
          expect(ready.statusCode).toBe(503);
          expect(ready.json()).toMatchObject({
            detail:
              'The database login role can get past row-level security; the server log says why.',
          });
          expect(await app.db.loginRoleProblems()).toEqual(
            expect.arrayContaining([
              `The database login role ${superuser.username} is (or may become) a superuser.`,
              `The database login role ${superuser.username} owns (or may become the owner of) tables of the schema public.`,
            ]),
          );
        } finally {
          await app.close();
        }
        await expect(buildApp({ ...config, env: 'production' })).rejects.toMatchObject({
          name: 'ConfigError',
          message: expect.stringContaining('is (or may become) a superuser'),
        });
      } finally {
        await database.drop();
      }
    });
  },
);
