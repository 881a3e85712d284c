import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { clientConfigRoutes } from '../modules/client-config';
import { securityHeaders } from './security';
import { HttpProblem } from './problem';
import { SESSION_COOKIE } from './session';
import { startTestApp, type TestApp } from '../test/app';
import { signUp } from '../test/factories';
import { startSentryReceiver, type SentryReceiver } from '../test/sentry-receiver';

/** A player's name, e-mail address and invitation token: none may reach the error tracker. */
const NAME = 'Zelda Quixote-Marchetti';
const EMAIL = 'zelda.quixote@example.org';
const INVITE_TOKEN = 'inv1te-t0ken-9f8e7d';
const OIDC_STATE = 'st4te-from-the-provider';

describe('error tracking with SENTRY_DSN set (a real receiver in place of Sentry)', () => {
  let receiver: SentryReceiver;
  let t: TestApp;
  /** The last test closes the app (what closing sends); else it is closed after all. */
  let closed = false;

  beforeAll(async () => {
    receiver = await startSentryReceiver('7');
    t = await startTestApp('embedded', {
      env: { DEMO_MODE: 'true', SENTRY_DSN: receiver.dsn, SENTRY_ENVIRONMENT: 'staging' },
    });
    // An unexpected failure whose message quotes what the request carried.
    t.app.post('/api/test/crash/:teamId', async (request) => {
      const body = request.body as { email?: string };
      throw new Error(`could not save the profile of ${body.email ?? 'nobody'}`);
    });
    t.app.get('/api/test/late', async () => {
      throw new Error('failed just before the stop');
    });
    t.app.get('/api/test/forbidden', async () => {
      throw new HttpProblem(403, 'You are not allowed to do this.');
    });
    // A fresh migrated database: slow on a busy test machine.
  }, 180_000);
  afterAll(async () => {
    if (!closed) await t?.close();
    await receiver?.close();
  });

  it('reports a 500 once, tagged with the request id, route and method, without personal data', async () => {
    const { agent, id } = await signUp(t.app, 'player', NAME);
    const session = agent.cookies.get(SESSION_COOKIE);
    expect(session).toBeTruthy();
    const response = await agent.send(
      'POST',
      `/api/test/crash/team-17?token=${INVITE_TOKEN}&state=${OIDC_STATE}&page=2`,
      { displayName: NAME, email: EMAIL },
      { 'x-request-id': 'support-ticket-42' },
    );
    expect(response.statusCode).toBe(500);
    expect(response.headers['x-request-id']).toBe('support-ticket-42');

    const [event] = await receiver.waitForEvents(1);
    expect(receiver.events()).toHaveLength(1);
    expect(receiver.envelopes[0]?.project).toBe('7');
    expect(event).toMatchObject({
      environment: 'staging',
      release: expect.stringMatching(/^rally-connect@\d+\.\d+\.\d+/),
      tags: { request_id: 'support-ticket-42', route: '/api/test/crash/:teamId', method: 'POST' },
      user: { id },
      request: { method: 'POST' },
    });
    const exception = (event as { exception: { values: { value: string }[] } }).exception;
    expect(exception.values[0]?.value).toBe('could not save the profile of [email]');
    const url = (event as { request: { url: string } }).request.url;
    expect(url).toContain('/api/test/crash/team-17?');
    expect(url).toContain('token=[redacted]');
    expect(url).toContain('page=2');
    expect(Object.keys((event as { user: object }).user)).toEqual(['id']);

    // Nothing of it anywhere in what was sent, whatever the field.
    const sent = receiver.envelopes.map((e) => e.raw).join('\n');
    for (const secret of [EMAIL, NAME, INVITE_TOKEN, OIDC_STATE, session as string]) {
      expect(sent).not.toContain(secret);
    }
    expect(sent).not.toMatch(/cookie|x-csrf-token|authorization/i);
  });

  it('does not report client errors (4xx): only the next 500 arrives', async () => {
    expect((await t.app.inject('/api/test/forbidden')).statusCode).toBe(403);
    expect((await t.app.inject('/api/no-such-route')).statusCode).toBe(404);
    const { agent } = await signUp(t.app, null, 'Someone Else');
    const invalid = await agent.request({
      method: 'PUT',
      url: '/api/me/profile',
      payload: '{not json',
      headers: { 'content-type': 'application/json' },
    });
    expect(invalid.statusCode).toBe(400);
    expect((await agent.send('PUT', '/api/me/profile', { displayName: '' })).statusCode).toBe(400);
    const before = receiver.events().length;
    const crash = await agent.send(
      'POST',
      '/api/test/crash/team-18',
      {},
      { 'x-request-id': 'after-the-4xx' },
    );
    expect(crash.statusCode).toBe(500);
    const events = await receiver.waitForEvents(before + 1);
    // Reports are sent in the order they were made: a 4xx report would have come before this one.
    expect(events).toHaveLength(before + 1);
    expect(events.at(-1)).toMatchObject({ tags: { request_id: 'after-the-4xx' } });
  });

  it('tells the web app the public DSN, and lets it reach the DSN origin (CSP)', async () => {
    const response = await t.app.inject('/api/client-config');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      errorTracking: {
        dsn: receiver.dsn,
        environment: 'staging',
        release: expect.stringMatching(/^rally-connect@/),
      },
    });
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain(`connect-src 'self' ${receiver.origin};`);
  });

  it('sends the reports still queued when the app closes, before the close resolves', async () => {
    const before = receiver.events().length;
    expect((await t.app.inject('/api/test/late')).statusCode).toBe(500);
    closed = true;
    await t.close();
    // No waiting here: the close itself waited for the report to be delivered.
    expect(receiver.events()).toHaveLength(before + 1);
  });
});

describe('error tracking without SENTRY_DSN', () => {
  it('is off: the web app is told so and the CSP names no other origin', async () => {
    const config = loadConfig({ RALLY_DATA_DIR: 'memory://' });
    expect(config.errorTracking).toBeUndefined();
    expect(securityHeaders(config)['content-security-policy']).toContain("connect-src 'self';");
    const app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    await app.register(clientConfigRoutes, { config });
    try {
      expect((await app.inject('/api/client-config')).json()).toEqual({ errorTracking: null });
    } finally {
      await app.close();
    }
  });
});
