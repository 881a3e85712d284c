import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  Agent,
  providerRedirect,
  startTestApp,
  type TestApp,
  NO_RATE_LIMITS,
} from '../../test/app';
import { TEST_DATABASES } from '../../test/databases';
import { startOidcProvider, type OidcProvider } from '../../test/oidc-provider';
import { keyedHash } from '../../plugins/tokens';
import { safeReturnTo } from './auth.service';

describe.each(TEST_DATABASES)('sign-in on %s', (kind) => {
  let oidc: OidcProvider;
  let t: TestApp;

  beforeAll(async () => {
    oidc = await startOidcProvider();
    // Sign-in is limited per client across its routes; here every test signs in, several times.
    t = await startTestApp(kind, {
      oidc,
      overrides: NO_RATE_LIMITS,
    });
  });
  afterAll(async () => {
    await t?.close();
    await oidc?.stop();
  });
  beforeEach(() => {
    oidc.signInAs({ sub: `user-${Math.random()}`, email: 'ana@example.com', email_verified: true });
  });

  it('a signed-out visitor gets 401 from /api/me', async () => {
    const response = await new Agent(t.app).get('/api/me');
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ status: 401, title: 'Unauthorized' });
  });

  it('login redirects to the provider with PKCE, state and nonce', async () => {
    const response = await new Agent(t.app).get('/api/auth/login');
    expect(response.statusCode).toBe(302);
    const url = new URL(response.headers.location as string);
    expect(url.origin + url.pathname).toBe(`${oidc.issuerUrl}/authorize`);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('state')).toBeTruthy();
    expect(url.searchParams.get('nonce')).toBeTruthy();
    expect(url.searchParams.get('redirect_uri')).toBe('http://127.0.0.1:4800/api/auth/callback');
    const flowCookie = response.cookies.find((c) => c.name === 'rally_oidc');
    expect(flowCookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/api/auth' });
  });

  it('a new user signs in through the provider and lands where they were going', async () => {
    const agent = new Agent(t.app);
    const callback = await agent.signInWithOidc('/onboarding/profile');
    expect(callback.statusCode).toBe(302);
    expect(callback.headers.location).toBe('/onboarding/profile');
    const session = callback.cookies.find((c) => c.name === 'rally_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(session?.secure).toBeFalsy();
    const me = await agent.get('/api/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      email: 'ana@example.com',
      role: null,
      onboarding: 'profile',
      profile: null,
      demo: false,
    });
  });

  it('signing in again as the same person finds the same account', async () => {
    oidc.signInAs({ sub: 'returning-user', email: 'old@example.com' });
    const first = new Agent(t.app);
    await first.signInWithOidc();
    const firstId = (await first.get('/api/me')).json().id;
    oidc.signInAs({ sub: 'returning-user', email: 'new@example.com' });
    const second = new Agent(t.app);
    await second.signInWithOidc();
    const me = (await second.get('/api/me')).json();
    expect(me.id).toBe(firstId);
    expect(me.email).toBe('new@example.com');
  });

  it('the session id rotates at sign-in and the old session stops working', async () => {
    const agent = new Agent(t.app);
    await agent.signInWithOidc();
    const before = agent.cookies.get('rally_session');
    const stolen = new Agent(t.app);
    stolen.cookies.set('rally_session', before as string);
    expect((await stolen.get('/api/me')).statusCode).toBe(200);

    await agent.signInWithOidc();
    expect(agent.cookies.get('rally_session')).not.toBe(before);
    expect((await agent.get('/api/me')).statusCode).toBe(200);
    expect((await stolen.get('/api/me')).statusCode).toBe(401);
  });

  it('refuses a callback whose state does not match, and signs nobody in', async () => {
    const agent = new Agent(t.app);
    const login = await agent.get('/api/auth/login');
    const callback = await providerRedirect(login.headers.location as string);
    callback.searchParams.set('state', 'forged-state');
    const response = await agent.get(callback.pathname + callback.search);
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/sign-in?error=state');
    expect(agent.cookies.has('rally_session')).toBe(false);
    expect((await agent.get('/api/me')).statusCode).toBe(401);
  });

  it('refuses an ID token whose nonce does not match', async () => {
    const agent = new Agent(t.app);
    const login = await agent.get('/api/auth/login');
    const callback = await providerRedirect(login.headers.location as string);
    oidc.tamper((payload) => {
      payload.nonce = 'some-other-nonce';
    });
    const response = await agent.get(callback.pathname + callback.search);
    expect(response.headers.location).toBe('/sign-in?error=provider');
    expect((await agent.get('/api/me')).statusCode).toBe(401);
  });

  it('refuses an ID token for another client (wrong audience)', async () => {
    const agent = new Agent(t.app);
    const login = await agent.get('/api/auth/login');
    const callback = await providerRedirect(login.headers.location as string);
    oidc.tamper((payload) => {
      payload.aud = 'somebody-else';
    });
    const response = await agent.get(callback.pathname + callback.search);
    expect(response.headers.location).toBe('/sign-in?error=provider');
  });

  it('refuses a reused authorization code', async () => {
    const agent = new Agent(t.app);
    const login = await agent.get('/api/auth/login');
    const callback = await providerRedirect(login.headers.location as string);
    const flowCookie = agent.cookies.get('rally_oidc') as string;
    const first = await agent.get(callback.pathname + callback.search);
    expect(first.headers.location).toBe('/');

    // Replaying the same redirect, even with the original flow cookie, signs nobody in.
    const attacker = new Agent(t.app);
    attacker.cookies.set('rally_oidc', flowCookie);
    const replay = await attacker.get(callback.pathname + callback.search);
    expect(replay.headers.location).toBe('/sign-in?error=expired');
    expect(attacker.cookies.has('rally_session')).toBe(false);
  });

  it('refuses a callback from a browser that did not start the sign-in', async () => {
    const starter = new Agent(t.app);
    const login = await starter.get('/api/auth/login');
    const callback = await providerRedirect(login.headers.location as string);
    const victim = new Agent(t.app);
    const response = await victim.get(callback.pathname + callback.search);
    expect(response.headers.location).toBe('/sign-in?error=expired');
  });

  it('reports a sign-in cancelled at the provider', async () => {
    const agent = new Agent(t.app);
    await agent.get('/api/auth/login');
    const response = await agent.get('/api/auth/callback?error=access_denied&state=x');
    expect(response.headers.location).toBe('/sign-in?error=denied');
  });

  it('never redirects off-site after sign-in', async () => {
    const agent = new Agent(t.app);
    const callback = await agent.signInWithOidc('//evil.example.com/steal');
    expect(callback.headers.location).toBe('/');
  });

  it('a return path that is not a plain same-origin path falls back to /, never a 500 or another site', async () => {
    for (const returnTo of [
      // Found by the probe: invalid in a Location header, so the callback answered 500.
      '/\u3002/evil.example',
      '\u007f',
      '/\u007f',
      '\u0100',
      '/\u0100',
      '/a\tb',
      // Open-redirect attempts.
      '//evil.example',
      '/\\evil.example',
      'https://evil.example',
      '/..//evil.example',
      '/%2e%2e//evil.example',
    ]) {
      const callback = await new Agent(t.app).signInWithOidc(returnTo);
      expect(callback.statusCode, JSON.stringify(returnTo)).toBe(302);
      expect(callback.headers.location, JSON.stringify(returnTo)).toBe('/');
      expect(callback.cookies.some((c) => c.name === 'rally_session')).toBe(true);
    }
  });

  it("the probe's raw query strings sign in and land on /", async () => {
    for (const query of ['/%E3%80%82/evil.example', '%7F', '/%7F', '%C4%80', '/%C4%80']) {
      const agent = new Agent(t.app);
      const login = await agent.get(`/api/auth/login?returnTo=${query}`);
      expect(login.statusCode, query).toBe(302);
      const callback = await providerRedirect(login.headers.location as string);
      const response = await agent.get(callback.pathname + callback.search);
      expect(response.statusCode, query).toBe(302);
      expect(response.headers.location, query).toBe('/');
    }
  });

  it('a same-origin return path is kept, percent-encoded in the Location header', async () => {
    const callback = await new Agent(t.app).signInWithOidc('/teams/a"b?tab=<roster>#top');
    expect(callback.headers.location).toBe('/teams/a%22b?tab=%3Croster%3E#top');
  });

  it('sign-out ends the session on the server', async () => {
    const agent = new Agent(t.app);
    await agent.signInWithOidc();
    const token = agent.cookies.get('rally_session') as string;
    const out = await agent.send('POST', '/api/auth/logout');
    expect(out.statusCode).toBe(204);
    expect((await agent.get('/api/me')).statusCode).toBe(401);
    const copy = new Agent(t.app);
    copy.cookies.set('rally_session', token);
    expect((await copy.get('/api/me')).statusCode).toBe(401);
  });

  it('the schedule read checks the session in its own query: 401 without one, and after sign-out', async () => {
    const agent = new Agent(t.app);
    expect((await agent.get('/api/me/matches')).statusCode).toBe(401);
    agent.cookies.set('rally_session', 'not-a-session');
    const unknown = await agent.get('/api/me/matches');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toMatchObject({ status: 401, title: 'Unauthorized' });
    await agent.signInWithOidc();
    const csrf = agent.cookies.get('rally_csrf');
    const mine = await agent.get('/api/me/matches');
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toEqual([]);
    // The CSRF cookie stays the one bound to the session.
    expect(agent.cookies.get('rally_csrf')).toBe(csrf);
    expect((await agent.send('POST', '/api/auth/logout')).statusCode).toBe(204);
    expect((await agent.get('/api/me/matches')).statusCode).toBe(401);
  });

  it('keeps a session alive past its half-life, on the schedule read as on any other', async () => {
    for (const url of ['/api/me', '/api/me/matches']) {
      const agent = new Agent(t.app);
      await agent.signInWithOidc();
      const id = keyedHash(
        t.app.config.sessionSecret,
        'session',
        agent.cookies.get('rally_session') as string,
      );
      const soon = new Date(Date.now() + 3_600_000);
      const session = t.app.db.owner.selectFrom('sessions').where('id', '=', id);
      await t.app.db.owner
        .updateTable('sessions')
        .set({ expiresAt: soon })
        .where('id', '=', id)
        .execute();
      const response = await agent.get(url);
      expect(response.statusCode, url).toBe(200);
      expect(response.cookies.find((c) => c.name === 'rally_session')?.maxAge, url).toBe(
        t.app.config.sessionTtlDays * 86_400,
      );
      const renewed = await session.select('expiresAt').executeTakeFirstOrThrow();
      expect(renewed.expiresAt.getTime(), url).toBeGreaterThan(soon.getTime());
      // Once renewed, the next read leaves the session and its cookie alone.
      const again = await agent.get(url);
      expect(
        again.cookies.find((c) => c.name === 'rally_session'),
        url,
      ).toBeUndefined();
    }
  });

  it('a session ends SESSION_MAX_DAYS after sign-in, however much it is used', async () => {
    const day = 86_400_000;
    const maxDays = t.app.config.sessionMaxDays;
    for (const url of ['/api/me', '/api/me/matches']) {
      const agent = new Agent(t.app);
      await agent.signInWithOidc();
      const id = keyedHash(
        t.app.config.sessionSecret,
        'session',
        agent.cookies.get('rally_session') as string,
      );
      const session = t.app.db.owner.selectFrom('sessions').where('id', '=', id);
      const setTimes = (createdAt: number, expiresAt: number) =>
        t.app.db.owner
          .updateTable('sessions')
          .set({ createdAt: new Date(createdAt), expiresAt: new Date(expiresAt) })
          .where('id', '=', id)
          .execute();

      // Two hours left before the absolute end: renewed up to it, not a whole TTL further.
      const createdAt = Date.now() - maxDays * day + 2 * 3_600_000;
      await setTimes(createdAt, Date.now() + 3_600_000);
      const renewed = await agent.get(url);
      expect(renewed.statusCode, url).toBe(200);
      const cookie = renewed.cookies.find((c) => c.name === 'rally_session');
      expect(cookie?.maxAge, url).toBeLessThanOrEqual(2 * 3600);
      expect(cookie?.maxAge, url).toBeGreaterThan(3600);
      const row = await session.select('expiresAt').executeTakeFirstOrThrow();
      expect(row.expiresAt.getTime(), url).toBe(createdAt + maxDays * day);

      // Past its absolute end, even a session whose sliding expiry is far ahead is refused.
      await setTimes(Date.now() - maxDays * day - 60_000, Date.now() + 10 * day);
      const refused = await agent.get(url);
      expect(refused.statusCode, url).toBe(401);
    }
  });

  it('sign-out without the CSRF token is refused', async () => {
    const agent = new Agent(t.app);
    await agent.signInWithOidc();
    const out = await agent.request({ method: 'POST', url: '/api/auth/logout', csrf: false });
    expect(out.statusCode).toBe(403);
    expect(out.json()).toMatchObject({ status: 403, type: 'urn:rally:problem:csrf' });
    expect((await agent.get('/api/me')).statusCode).toBe(200);
  });

  it('the CSRF token of one session does not work for another', async () => {
    const alice = new Agent(t.app);
    await alice.signInWithOidc();
    const bob = new Agent(t.app);
    await bob.signInWithOidc();
    const response = await bob.request({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { 'x-csrf-token': alice.cookies.get('rally_csrf') as string },
    });
    expect(response.statusCode).toBe(403);
  });

  it('demo sign-in is not offered when demo mode is off', async () => {
    const agent = new Agent(t.app);
    await agent.prime();
    const config = (await agent.get('/api/auth/config')).json();
    expect(config).toEqual({ oidcEnabled: true, demoMode: false, demoUsers: [] });
    const response = await agent.send('POST', '/api/auth/demo', { user: 'organizer' });
    expect(response.statusCode).toBe(404);
  });
});

describe.each(TEST_DATABASES)('demo mode on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { env: { DEMO_MODE: 'true' } });
  });
  afterAll(async () => t?.close());

  it('offers one demo user per role and a new player', async () => {
    const config = (await new Agent(t.app).get('/api/auth/config')).json();
    expect(config.oidcEnabled).toBe(false);
    expect(config.demoMode).toBe(true);
    expect(config.demoUsers.map((u: { role: string | null }) => u.role)).toEqual([
      'organizer',
      'captain',
      'player',
      null,
    ]);
  });

  it('signs in as the demo organizer, already onboarded', async () => {
    const agent = new Agent(t.app);
    await agent.prime();
    const response = await agent.send('POST', '/api/auth/demo', { user: 'organizer' });
    expect(response.statusCode).toBe(204);
    const me = (await agent.get('/api/me')).json();
    expect(me).toMatchObject({ role: 'organizer', onboarding: 'done', demo: true });
    expect(me.profile.displayName).toBe('Olivia Organizer');
  });

  it('a new demo player starts onboarding, and each one is a fresh account', async () => {
    const first = new Agent(t.app);
    await first.prime();
    await first.send('POST', '/api/auth/demo', { user: 'new' });
    const second = new Agent(t.app);
    await second.prime();
    await second.send('POST', '/api/auth/demo', { user: 'new' });
    const a = (await first.get('/api/me')).json();
    const b = (await second.get('/api/me')).json();
    expect(a.onboarding).toBe('profile');
    expect(a.id).not.toBe(b.id);
  });

  it('demo sign-in needs the CSRF cookie echoed, even before a session exists', async () => {
    const agent = new Agent(t.app);
    await agent.prime();
    const response = await agent.request({
      method: 'POST',
      url: '/api/auth/demo',
      payload: { user: 'player' },
      csrf: false,
    });
    expect(response.statusCode).toBe(403);
  });

  it('an unknown demo user is 404, and a malformed body is 400 naming the field', async () => {
    const agent = new Agent(t.app);
    await agent.prime();
    expect((await agent.send('POST', '/api/auth/demo', { user: 'nobody' })).statusCode).toBe(404);
    const bad = await agent.send('POST', '/api/auth/demo', { user: 42 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([{ field: 'user', message: expect.any(String) }]);
  });
});

describe('rate limits on sign-in', () => {
  it('answers 429 with a problem document once the limit is passed', async () => {
    const t = await startTestApp('embedded', {
      env: { DEMO_MODE: 'true' },
      overrides: { rateLimits: { global: 1000, auth: 3 } },
    });
    try {
      const agent = new Agent(t.app);
      await agent.prime();
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push((await agent.send('POST', '/api/auth/demo', { user: 'player' })).statusCode);
      }
      expect(statuses).toEqual([204, 204, 204, 429, 429]);
      const limited = await agent.send('POST', '/api/auth/demo', { user: 'player' });
      expect(limited.headers['content-type']).toContain('application/problem+json');
      expect(limited.json()).toMatchObject({ status: 429, type: 'urn:rally:problem:rate-limited' });
      expect(limited.headers['retry-after']).toBeDefined();
    } finally {
      await t.close();
    }
  });
});

describe('the return path after sign-in', () => {
  it('keeps same-site paths and drops anything that could leave the site', () => {
    expect(safeReturnTo('/teams/1?tab=roster')).toBe('/teams/1?tab=roster');
    for (const bad of [
      '//evil.com',
      'https://evil.com',
      '/\\evil.com',
      '/..//evil.com',
      'javascript:x',
      '',
      42,
      '/a\nb',
      '/a\u007fb',
      '/\u3002/evil.example',
    ]) {
      expect(safeReturnTo(bad)).toBe('/');
    }
  });
});
