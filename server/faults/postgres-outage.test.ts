import pg from 'pg';
import { buildApp } from '../app';
import { loadConfig } from '../config';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../test/databases';
import {
  HttpClient,
  killServers,
  startServer,
  waitFor,
  type ServerProcess,
} from '../test/server-process';
import { TcpProxy } from '../test/tcp-proxy';

afterAll(killServers);

const PROFILE = {
  displayName: 'Olivia Organizer',
  phone: null,
  cityOrClub: 'Riverside Racquet Club',
  sports: [{ sport: 'tennis', level: 'advanced' }],
};

type Phase = 'up' | 'down' | 'back';

interface Outcome {
  phase: Phase;
  /** The answer's status, or 0 when none came (connection error or the client's time-out). */
  status: number;
  contentType: string | null;
  retryAfter: string | null;
}

describe.runIf(TEST_DATABASES.includes('postgres'))('PostgreSQL restarted under load', () => {
  let database: TestDatabase | undefined;
  let proxy: TcpProxy | undefined;
  afterAll(async () => {
    await killServers();
    await proxy?.close();
    await database?.drop();
  });

  it('answers 503 with Retry-After while it is away, then recovers without a restart', async () => {
    database = await createTestDatabase('postgres');
    const direct = new URL(database.databaseUrl as string);
    proxy = await TcpProxy.start({ host: direct.hostname, port: Number(direct.port || 5432) });
    const viaProxy = new URL(direct);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const server: ServerProcess = await startServer({
      DATABASE_URL: viaProxy.href,
      DATABASE_OWNER_URL: database.databaseOwnerUrl as string,
      DEMO_MODE: 'true',
      SESSION_SECRET: 'outage-drill-session-secret-0123456789abcdef',
      RATE_LIMIT_PER_MINUTE: '1000000',
    });
    const ready = async () =>
      (await fetch(`${server.url}/ready`, { signal: AbortSignal.timeout(30_000) })).status;

    const clients = Array.from({ length: 3 }, () => new HttpClient(server.url, 20_000));
    for (const client of clients) await client.signInAsDemo('organizer');
    const leagues = (await clients[0]?.request('GET', '/api/leagues'))?.body as { id: string }[];
    const leagueId = leagues[0]?.id as string;

    // Reads and writes, one after another per client, until told to stop.
    const operations: [string, string, unknown?][] = [
      ['GET', '/api/me'],
      ['GET', `/api/leagues/${leagueId}`],
      ['PUT', '/api/me/profile', PROFILE],
    ];
    let phase: Phase = 'up';
    let stopped = false;
    const outcomes: Outcome[] = [];
    const loads = clients.map(async (client) => {
      for (let i = 0; !stopped; i++) {
        const at = phase;
        const [method, path, body] = operations[i % operations.length] as [string, string, unknown];
        try {
          const response = await client.request(method, path, body);
          outcomes.push({
            phase: at,
            status: response.status,
            contentType: response.headers.get('content-type'),
            retryAfter: response.headers.get('retry-after'),
          });
        } catch {
          outcomes.push({ phase: at, status: 0, contentType: null, retryAfter: null });
        }
      }
    });
    const count = (p: Phase, ok: (status: number) => boolean) =>
      outcomes.filter((o) => o.phase === p && ok(o.status)).length;

    await waitFor('load while the database is up', () => count('up', (s) => s === 200) >= 30);
    expect(await ready()).toBe(200);

    // A restart: the server ends every session (57P01), then refuses connections for a while.
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    try {
      phase = 'down';
      await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1',
        [direct.pathname.slice(1)],
      );
      proxy.cut();
    } finally {
      await admin.end();
    }
    await waitFor('/ready to answer 503', async () => (await ready()) === 503);
    await waitFor('requests to meet the outage', () => count('down', (s) => s === 503) >= 30);

    proxy.restore();
    phase = 'back';
    await waitFor('/ready to answer 200', async () => (await ready()) === 200);
    await waitFor('requests to succeed again', () => count('back', (s) => s === 200) >= 30);
    stopped = true;
    await Promise.all(loads);

    // Every request got an answer; none a 500; each refusal a problem document with Retry-After.
    expect(outcomes.filter((o) => o.status === 0 || (o.status >= 500 && o.status !== 503))).toEqual(
      [],
    );
    const refused = outcomes.filter((o) => o.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const o of refused) {
      expect(o.contentType).toMatch(/^application\/problem\+json/);
      expect(Number(o.retryAfter)).toBeGreaterThan(0);
    }
    // Once the database was back, before /ready said so, requests succeeded again.
    expect(outcomes.filter((o) => o.phase === 'back' && o.status !== 200)).toEqual([]);
    // No error storm: the outage is logged as warnings, not as one error per request.
    const errors = server.logs.filter((l) => l.level >= 50);
    expect(errors.map((l) => l.msg)).toEqual([]);
  }, 600_000);

  it('answers /ready within its time-out while the database hangs, and 503 while it refuses', async () => {
    const hung = await createTestDatabase('postgres');
    const direct = new URL(hung.databaseUrl as string);
    const partition = await TcpProxy.start({
      host: direct.hostname,
      port: Number(direct.port || 5432),
    });
    const viaProxy = new URL(direct);
    viaProxy.host = `127.0.0.1:${partition.port}`;
    const app = await buildApp({
      ...loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATABASE_URL: viaProxy.href,
        DATABASE_OWNER_URL: hung.databaseOwnerUrl,
        DEMO_MODE: 'false',
      }),
      webDir: '/nonexistent',
    });
    try {
      expect((await app.inject('/ready')).statusCode).toBe(200);
      // No answer and no error from the database: without a time-out, /ready would wait forever.
      partition.stall();
      const stalled = await app.inject('/ready');
      expect(stalled.statusCode).toBe(503);
      expect(stalled.headers['retry-after']).toBeDefined();
      partition.restore();
      await waitFor(
        '/ready to answer 200',
        async () => (await app.inject('/ready')).statusCode === 200,
      );

      // Refused outright, as while PostgreSQL restarts: a request fails at once, with a 503.
      partition.cut();
      const refused = await app.inject('/api/leagues');
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.headers['retry-after']).toBe('5');
      expect(refused.json()).toMatchObject({ type: 'urn:rally:problem:database-unavailable' });
      partition.restore();
      expect((await app.inject('/api/leagues')).statusCode).toBe(200);
    } finally {
      await app.close();
      await partition.close();
      await hung.drop();
    }
  }, 300_000);
});
