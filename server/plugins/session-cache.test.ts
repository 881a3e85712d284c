import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../app';
import { Agent, startTestApp, type TestApp } from '../test/app';
import { buildLeague, signUp } from '../test/factories';
import { SESSION_COOKIE } from './session';
import { sessionsRepository } from './session.repository';

/** Asks again on every turn until `check()` holds, or fails after `ms`. */
async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`not so within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The same browser's cookies sent to another instance of the app. */
function sameBrowser(agent: Agent, app: FastifyInstance): Agent {
  const other = new Agent(app);
  for (const [name, value] of agent.cookies) other.cookies.set(name, value);
  return other;
}

/** The backend pids listening for session notices on this database. */
async function listeners(database: string): Promise<number[]> {
  const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ pid: number }>(
      `select pid from pg_stat_activity where datname = $1 and query ilike 'listen%'`,
      [database],
    );
    return rows.map((r) => r.pid);
  } finally {
    await admin.end();
  }
}

describe.runIf(process.env.TEST_DATABASE_URL)('sessions kept in memory on PostgreSQL', () => {
  let t: TestApp;
  let second: FastifyInstance;
  let database: string;
  beforeAll(async () => {
    t = await startTestApp('postgres', { env: { DEMO_MODE: 'true' } });
    // A second instance of the server on the same database, as behind a load balancer.
    second = await buildApp(t.config);
    database = new URL(t.config.databaseUrl as string).pathname.slice(1);
    await until(async () => (await listeners(database)).length === 2);
  });
  afterAll(async () => {
    await second?.close();
    await t?.close();
  });
  afterEach(() => vi.restoreAllMocks());

  it('looks a session up once, then answers from memory', async () => {
    const { agent } = await signUp(t.app, 'player', 'Kept Once');
    const elsewhere = sameBrowser(agent, second);
    const find = vi.spyOn(sessionsRepository, 'find');
    expect((await elsewhere.get('/api/me')).statusCode).toBe(200);
    expect((await elsewhere.get('/api/me')).statusCode).toBe(200);
    expect((await elsewhere.get('/api/me/teams')).statusCode).toBe(200);
    expect(find).toHaveBeenCalledTimes(1);
  });

  it('a sign-out holds at once on the same instance and, by the notice, on the other', async () => {
    const { agent } = await signUp(t.app, 'player', 'Signs Out');
    const elsewhere = sameBrowser(agent, second);
    expect((await elsewhere.get('/api/me')).statusCode).toBe(200);
    expect((await elsewhere.get('/api/me')).statusCode).toBe(200);
    const token = agent.cookies.get(SESSION_COOKIE) as string;

    expect((await agent.send('POST', '/api/auth/logout')).statusCode).toBe(204);
    const stale = new Agent(t.app);
    stale.cookies.set(SESSION_COOKIE, token);
    expect((await stale.get('/api/me')).statusCode).toBe(401);
    await until(async () => (await elsewhere.get('/api/me')).statusCode === 401);
  });

  it('a role chosen on one instance holds on the other once the notice arrives', async () => {
    const { agent } = await signUp(t.app, 'player', 'Changes Role');
    const elsewhere = sameBrowser(agent, second);
    // Kept there as a player's session, and a player may not create a league.
    expect((await elsewhere.get('/api/me')).statusCode).toBe(200);
    expect((await agent.send('PUT', '/api/me/role', { role: 'organizer' })).statusCode).toBe(200);
    const find = vi.spyOn(sessionsRepository, 'find');
    await until(async () => {
      expect((await elsewhere.get('/api/me')).statusCode).toBe(200);
      return find.mock.calls.length > 0;
    });
    expect((await elsewhere.send('POST', '/api/leagues', buildLeague())).statusCode).toBe(201);
  });

  it('keeps the session through a write that leaves it as it was, and forgets it at once when a role is chosen', async () => {
    const { agent } = await signUp(t.app, 'organizer', 'Keeps Writing');
    const find = vi.spyOn(sessionsRepository, 'find');
    // Kept: two requests a moment apart need no look-up (the sign-up's notices have arrived).
    await until(async () => {
      const before = find.mock.calls.length;
      expect((await agent.get('/api/me')).statusCode).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await agent.get('/api/me')).statusCode).toBe(200);
      return find.mock.calls.length === before;
    });
    const kept = find.mock.calls.length;
    expect((await agent.send('POST', '/api/leagues', buildLeague())).statusCode).toBe(201);
    expect((await agent.get('/api/me')).statusCode).toBe(200);
    expect(find).toHaveBeenCalledTimes(kept);

    expect((await agent.send('PUT', '/api/me/role', { role: 'captain' })).statusCode).toBe(200);
    expect((await agent.get('/api/me')).json()).toMatchObject({ role: 'captain' });
    expect(find.mock.calls.length).toBeGreaterThan(kept);
  });

  it('drops what it kept when the listening connection is lost, and keeps again once back', async () => {
    const { agent } = await signUp(t.app, 'player', 'Loses Listener');
    const elsewhere = sameBrowser(agent, second);
    expect((await elsewhere.get('/api/me')).statusCode).toBe(200);
    const before = await listeners(database);
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    try {
      await admin.query('select pg_terminate_backend(pid) from unnest($1::int[]) pid', [before]);
    } finally {
      await admin.end();
    }
    await until(async () => {
      const now = await listeners(database);
      return now.length === 2 && now.every((pid) => !before.includes(pid));
    });
    // The session kept before is read again once the listener is back, then kept again.
    const find = vi.spyOn(sessionsRepository, 'find');
    await until(async () => {
      const before = find.mock.calls.length;
      expect((await elsewhere.get('/api/me')).statusCode).toBe(200);
      return before > 0 && find.mock.calls.length === before;
    });
  });
});
