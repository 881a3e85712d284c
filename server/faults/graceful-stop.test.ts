import { request as httpRequest, type IncomingMessage } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database';
import { CSRF_COOKIE, CSRF_HEADER } from '../plugins/session';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../test/databases';
import {
  demoDivision,
  HttpClient,
  killServers,
  startServer,
  waitFor,
} from '../test/server-process';

afterAll(killServers);

/**
 * Long enough for the test to see `/ready` turn 503 and a page still served on a loaded machine;
 * the test waits on states, never on this time.
 */
const SHUTDOWN_DELAY_MS = '5000';

/** Opens a POST whose body is sent in two halves; `finish` sends the second and reads the answer. */
function halfSentPost(url: string, headers: Record<string, string>, body: string) {
  const bytes = Buffer.from(body);
  const half = Math.floor(bytes.length / 2);
  const req = httpRequest(url, {
    method: 'POST',
    agent: false,
    headers: {
      ...headers,
      'content-type': 'application/json',
      'content-length': String(bytes.length),
    },
  });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res: IncomingMessage) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
  req.write(bytes.subarray(0, half));
  return { answer, finish: () => req.end(bytes.subarray(half)) };
}

describe.each(TEST_DATABASES)('stopping on SIGTERM on %s', (kind) => {
  let database: TestDatabase | undefined;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rally-stop-'));
  afterAll(async () => {
    await killServers();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('turns unready first, finishes the request in flight, then closes and exits 0', async () => {
    database = kind === 'postgres' ? await createTestDatabase('postgres') : undefined;
    const server = await startServer({
      DEMO_MODE: 'true',
      RALLY_DATA_DIR: dataDir,
      SESSION_SECRET: 'graceful-stop-session-secret-0123456789abcdef',
      RATE_LIMIT_PER_MINUTE: '1000000',
      // About stopping, not load shedding: a loaded test machine must not shed the probes.
      LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
      SHUTDOWN_DELAY_MS,
      ...(database?.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
      ...(database?.databaseOwnerUrl ? { DATABASE_OWNER_URL: database.databaseOwnerUrl } : {}),
    });
    const client = new HttpClient(server.url);
    await client.signInAsDemo('organizer');
    const divisionId = await demoDivision(client);
    expect((await client.request('GET', '/ready')).status).toBe(200);

    // A team created by a request whose body is still arriving when the signal comes.
    const inFlight = halfSentPost(
      `${server.url}/api/divisions/${divisionId}/teams`,
      {
        cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        [CSRF_HEADER]: client.cookies.get(CSRF_COOKIE) ?? '',
        'idempotency-key': 'graceful-stop-team',
      },
      JSON.stringify({ name: 'Signal Savers' }),
    );
    process.kill(server.pid, 'SIGTERM');

    // Unready first, while the app still serves everyone else.
    await waitFor('/ready to answer 503', async () => {
      const ready = await client.request('GET', '/ready');
      return ready.status === 503;
    });
    const ready = await client.request('GET', '/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 503, detail: 'The server is shutting down.' });
    expect((await client.request('GET', '/health')).status).toBe(200);
    expect((await client.request('GET', `/api/divisions/${divisionId}/teams`)).status).toBe(200);

    // Then no new connection is taken, while the half-sent request is still open.
    await waitFor('the server to stop listening', () =>
      server.logs.some((l) => l.msg === 'shutting down: finishing the requests in flight'),
    );
    await waitFor('new connections to be refused', () =>
      fetch(`${server.url}/health`).then(
        () => false,
        () => true,
      ),
    );
    expect(server.logs.some((l) => l.msg === 'stopped')).toBe(false);

    // The request in flight is answered whole, and only then does the process end, cleanly.
    inFlight.finish();
    const created = await inFlight.answer;
    expect(created.status).toBe(201);
    expect(JSON.parse(created.body)).toMatchObject({ name: 'Signal Savers' });
    await server.stop();
    expect(server.exitCode()).toBe(0);
    expect(server.logs.filter((l) => l.level >= 50)).toEqual([]);
    expect(server.logs.some((l) => l.msg === 'stopped')).toBe(true);

    // Committed: the team and its captain are in the database after the process ended.
    const db = await openDatabase({
      databaseUrl: database?.databaseUrl,
      databaseOwnerUrl: database?.databaseOwnerUrl,
      dataDir,
    });
    try {
      const { rows } = await sql<{ captains: number }>`
        select count(m.user_id)::int as captains
        from teams t join team_members m on m.team_id = t.id and m.role = 'captain'
        where t.division_id = ${divisionId} and t.name = 'Signal Savers'
        group by t.id`.execute(db.owner);
      expect(rows).toEqual([{ captains: 1 }]);
    } finally {
      await db.close();
    }
  }, 300_000);
});
