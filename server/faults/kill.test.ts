import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../test/databases';
import {
  demoDivision,
  HttpClient,
  killServers,
  startServer,
  waitFor,
  type ServerProcess,
} from '../test/server-process';

afterAll(killServers);

const CLIENTS = 4;
/** Writes acknowledged before the kill: enough that the kill lands amid a stream of them. */
const ACKNOWLEDGED_BEFORE_KILL = 24;

interface Write {
  key: string;
  name: string;
  /** The created team's id once the server answered 201; absent if no answer came. */
  id?: string;
}

describe.each(TEST_DATABASES)('kill -9 under write load on %s', (kind) => {
  let database: TestDatabase | undefined;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rally-kill-'));
  afterAll(async () => {
    await killServers();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged write, whole, and starts again on the same data', async () => {
    database = kind === 'postgres' ? await createTestDatabase('postgres') : undefined;
    const env = {
      DEMO_MODE: 'true',
      RALLY_DATA_DIR: dataDir,
      SESSION_SECRET: 'kill-drill-session-secret-0123456789abcdef',
      RATE_LIMIT_PER_MINUTE: '1000000',
      // The drill is about durability, not load shedding (overload.test.ts): on a loaded test
      // machine a freshly started server's event loop lags past the 1 s default and sheds reads.
      LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
      ...(database?.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
      ...(database?.databaseOwnerUrl ? { DATABASE_OWNER_URL: database.databaseOwnerUrl } : {}),
    };
    let server: ServerProcess = await startServer(env);

    const clients = Array.from({ length: CLIENTS }, () => new HttpClient(server.url));
    for (const client of clients) await client.signInAsDemo('organizer');
    const divisionId = await demoDivision(clients[0] as HttpClient);

    // Each client creates teams one after another until the server stops answering.
    const writes: Write[] = [];
    const streams = clients.map(async (client, c) => {
      for (let i = 0; ; i++) {
        const write: Write = { key: `kill-${kind}-${c}-${i}`, name: `Drill ${c}-${i}` };
        writes.push(write);
        try {
          const response = await client.request(
            'POST',
            `/api/divisions/${divisionId}/teams`,
            { name: write.name },
            { 'idempotency-key': write.key },
          );
          if (response.status !== 201) {
            throw new Error(`answered ${response.status}: ${JSON.stringify(response.body)}`);
          }
          write.id = (response.body as { id: string }).id;
        } catch (error) {
          if (error instanceof Error && error.message.startsWith('answered')) throw error;
          return; // No answer: the server is gone.
        }
      }
    });
    await waitFor(
      'writes to be acknowledged',
      () => writes.filter((w) => w.id).length >= ACKNOWLEDGED_BEFORE_KILL,
    );
    await server.stop('SIGKILL');
    await Promise.all(streams);
    const acknowledged = writes.filter((w) => w.id);
    const unanswered = writes.filter((w) => !w.id);
    expect(unanswered.length).toBeGreaterThan(0);
    if (kind === 'embedded') {
      // The lock names the killed process: the restart must take it over.
      expect(readFileSync(path.join(dataDir, 'rally.lock'), 'utf8')).toBe(String(server.pid));
    }

    server = await startServer(env);
    for (const client of clients) client.baseUrl = server.url;
    const reader = clients[0] as HttpClient;
    // Sessions are kept in the database too: the same clients are still signed in.
    for (const write of acknowledged) {
      const team = await reader.request('GET', `/api/teams/${write.id}`);
      expect(team.status).toBe(200);
      expect(team.body).toMatchObject({
        name: write.name,
        members: [expect.objectContaining({ role: 'captain' })],
      });
    }
    // A write whose answer was lost is sent again with its key: created once, never twice.
    for (const write of unanswered) {
      const again = await reader.request(
        'POST',
        `/api/divisions/${divisionId}/teams`,
        { name: write.name },
        { 'idempotency-key': write.key },
      );
      expect(again.status).toBe(201);
    }
    await server.stop('SIGTERM');

    // Nothing half-written: every team has its captain on the roster, and no name twice.
    const db = await openDatabase({
      databaseUrl: database?.databaseUrl,
      databaseOwnerUrl: database?.databaseOwnerUrl,
      dataDir,
    });
    try {
      const { rows } = await sql<{ name: string; captains: number }>`
        select t.name, count(m.user_id)::int as captains
        from teams t left join team_members m on m.team_id = t.id and m.role = 'captain'
        where t.division_id = ${divisionId} and t.name like 'Drill %'
        group by t.id, t.name`.execute(db.owner);
      expect(rows.filter((r) => r.captains !== 1)).toEqual([]);
      const names = rows.map((r) => r.name).sort();
      expect(names).toEqual(writes.map((w) => w.name).sort());
    } finally {
      await db.close();
    }
  }, 300_000);
});
