import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OVERLOADED } from '../plugins/problem';
import { startTestApp, type TestApp } from '../test/app';
import { TEST_DATABASES } from '../test/databases';

/** Resolves once `condition()` holds, looking again on every turn of the event loop. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

/** The value of a metric (with its labels, if any) in the Prometheus text. */
function metric(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`no ${name} in /metrics`);
  return Number(line.slice(name.length + 1));
}

describe.each(TEST_DATABASES)('a full connection pool on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, {
      env: { DATABASE_POOL_SIZE: '1', DATABASE_POOL_TIMEOUT_MS: '1000' },
    });
    await t.app.ready();
  });
  afterAll(async () => t?.close());

  it('answers 503 overloaded with Retry-After after the bounded wait, and serves again once a connection is free', async () => {
    const db = t.app.db;
    // Start-up's own jobs (automatic confirmation, housekeeping) done: the pool is ours.
    await until(() => db.poolStats().inUse === 0 && db.poolStats().waiting === 0);
    const timeoutsBefore = db.poolStats().timeouts;

    // The only connection, held by a transaction until the test lets it go.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const transaction = db.withUser(null, async (tx) => {
      await sql`select 1`.execute(tx);
      holding();
      await released;
    });
    await held;

    try {
      const waiting = t.app.inject({ method: 'GET', url: '/api/leagues' });
      await until(() => db.poolStats().waiting === 1);
      // The gauges show it: one connection in use, one request waiting.
      const during = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(metric(during, 'rally_db_pool_connections{state="in_use"}')).toBe(1);
      expect(metric(during, 'rally_db_pool_connections{state="max"}')).toBe(1);
      expect(metric(during, 'rally_db_pool_waiting')).toBe(1);

      const response = await waiting;
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('2');
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.json()).toMatchObject({
        type: OVERLOADED,
        status: 503,
        detail: expect.stringMatching(/no database connection was free/),
      });
      const after = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(metric(after, 'rally_db_pool_timeouts_total')).toBe(timeoutsBefore + 1);
      expect(metric(after, 'rally_db_pool_waiting')).toBe(0);
    } finally {
      release();
      await transaction;
    }

    const again = await t.app.inject({ method: 'GET', url: '/api/leagues' });
    expect(again.statusCode).toBe(200);
    expect(db.poolStats()).toMatchObject({ inUse: 0, waiting: 0 });
  });
});

describe.each(TEST_DATABASES)('shedding on the queue for connections on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, {
      env: {
        DATABASE_POOL_SIZE: '1',
        DATABASE_POOL_TIMEOUT_MS: '60000',
        LOAD_SHED_MAX_DB_WAITING: '1',
      },
    });
    await t.app.ready();
  });
  afterAll(async () => t?.close());

  it('sheds new requests at once while more than LOAD_SHED_MAX_DB_WAITING wait for a connection', async () => {
    const db = t.app.db;
    await until(() => db.poolStats().inUse === 0 && db.poolStats().waiting === 0);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const transaction = db.withUser(null, async (tx) => {
      await sql`select 1`.execute(tx);
      holding();
      await released;
    });
    await held;
    // Two different reads: the same one twice would share a single read (cachedRead's single
    // flight, decision 0016) and wait for one connection, not two.
    const queued = [
      t.app.inject({ method: 'GET', url: '/api/leagues' }),
      t.app.inject({ method: 'GET', url: '/api/leaderboards?sport=tennis&kind=singles' }),
    ];
    try {
      await until(() => db.poolStats().waiting === 2 && t.app.isUnderPressure());
      // Not queued behind the two (they would wait up to a minute): answered at once.
      const shed = await t.app.inject({ method: 'GET', url: '/api/leagues' });
      expect(shed.statusCode).toBe(503);
      expect(shed.headers['retry-after']).toBe('5');
      expect(shed.json()).toMatchObject({
        type: OVERLOADED,
        detail: expect.stringMatching(/busy/),
      });
      expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    } finally {
      release();
      await transaction;
    }
    // The queued ones are served once the connection is free.
    for (const response of await Promise.all(queued)) expect(response.statusCode).toBe(200);
  });
});
