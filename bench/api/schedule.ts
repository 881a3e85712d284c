/**
 * The hot read of the app, `GET /api/me/matches`, under load from many signed-in players, next to
 * a baseline: a bare Fastify route doing the same row-level-security transaction around one
 * indexed query. On embedded PGlite and on PostgreSQL.
 *
 *   npm run bench:api -- [--db embedded|postgres|both] [--seconds 10] [--connections 32]
 *                        [--writes 0]
 *
 * `--writes N`: while the load runs, N times a second one of the players changes their answer
 * for one of their matches (through `withUser`, as the API would), so that reads cannot all be
 * served from what was read before (`Database.cachedRead` on embedded PGlite).
 *
 * PostgreSQL: a scratch database on TEST_DATABASE_URL's server (default the local one).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Fastify from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '../../server/app';
import type { Database } from '../../server/db/database';
import { loadConfig } from '../../server/config';
import { demoPlayerIds } from '../../server/cli/seed';
import { CSRF_COOKIE, SESSION_COOKIE } from '../../server/plugins/session';
import { keyedHash, randomToken } from '../../server/plugins/tokens';

const run = promisify(execFile);
const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) {
  args.set(String(process.argv[i]).replace(/^--/, ''), String(process.argv[i + 1]));
}
const seconds = args.get('seconds') ?? '10';
const connections = args.get('connections') ?? '32';
const which = args.get('db') ?? 'both';
const writesPerSecond = Number(args.get('writes') ?? '0');
const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Result {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
  /** Microseconds of this process's CPU per request. */
  cpuPerRequest?: number;
  /** Writes made per second while the load ran (`--writes`). */
  writesPerSecond?: number;
}

/**
 * Answers availability, `writesPerSecond` times a second, as the players in turn (each for the
 * first match of theirs that it can see), until stopped; `stop` gives how many were written.
 */
async function startWriter(db: Database, users: { 'x-user': string }[]) {
  const answers = ['available', 'maybe', 'unavailable'] as const;
  let written = 0;
  let stopped = false;
  const loop = (async () => {
    for (let i = 0; !stopped; i++) {
      const userId = users[i % users.length]?.['x-user'] as string;
      await db.withUser(userId, async (tx) => {
        const mine = await sql<{ id: string; teamId: string }>`
          select m.id, tm.team_id from matches m join team_members tm
            on tm.team_id in (m.home_team_id, m.away_team_id) and tm.user_id = app_user_id()
          order by m.match_date limit 1`.execute(tx);
        const match = mine.rows[0];
        if (!match) return;
        await sql`insert into match_availability (match_id, team_id, user_id, answer)
          values (${match.id}, ${match.teamId}, app_user_id(), ${answers[i % 3]})
          on conflict (match_id, user_id) do update set answer = excluded.answer`.execute(tx);
        written++;
      });
      await new Promise((resolve) => setTimeout(resolve, 1000 / writesPerSecond));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return written;
    },
  };
}

async function load(url: string, users: Record<string, string>[]): Promise<Result> {
  const cpu = process.cpuUsage();
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, 'load.ts'), url, seconds, connections],
    { env: { ...process.env, BENCH_USERS: JSON.stringify(users) }, maxBuffer: 1 << 20 },
  );
  const result = JSON.parse(stdout.trim().split('\n').pop() as string) as Result;
  const used = process.cpuUsage(cpu);
  // CPU time of this process (the app, and on embedded PGlite the database too) per answered
  // request: less sensitive than req/s to other work on the machine.
  result.cpuPerRequest = (used.user + used.system) / Math.max(1, result.total);
  return result;
}

/**
 * Requests the load generator sent just before it stopped are still queued for the database:
 * let them finish before the next run starts or the database closes (else they fail with
 * "driver has already been destroyed").
 */
const drained = () => new Promise((resolve) => setTimeout(resolve, 1000));

async function scratchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `rally_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

async function bench(kind: 'embedded' | 'postgres') {
  const scratch = kind === 'postgres' ? await scratchDatabase() : undefined;
  const config = loadConfig({
    NODE_ENV: 'development',
    DEMO_MODE: 'true',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '1000000',
    RALLY_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'rally-bench-')),
    ...(scratch ? { DATABASE_URL: scratch.url } : {}),
  });
  const app = await buildApp(config);
  const baseline = Fastify({ logger: false });
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    // Sessions for the forty demo players, as if each had signed in.
    const players = await demoPlayerIds(app.db.system);
    const users: { cookie: string; 'x-user': string }[] = [];
    for (const playerId of players) {
      const token = randomToken();
      await app.db.system
        .insertInto('sessions')
        .values({
          id: keyedHash(config.sessionSecret, 'session', token),
          userId: playerId,
          // As if they had just signed in.
          expiresAt: new Date(Date.now() + config.sessionTtlDays * 86_400_000),
        })
        .execute();
      // Both cookies a browser sends once signed in: the session and its CSRF token.
      const csrf = keyedHash(config.sessionSecret, 'csrf', token);
      users.push({
        cookie: `${SESSION_COOKIE}=${token}; ${CSRF_COOKIE}=${csrf}`,
        'x-user': playerId,
      });
    }

    baseline.get('/baseline', async (request) => {
      const userId = request.headers['x-user'] as string;
      return app.db.withUser(userId, async (tx) => {
        const result = await sql`select m.id, m.match_date::text as date, m.start_time, m.status
          from matches m join team_members tm on tm.team_id in (m.home_team_id, m.away_team_id)
          where tm.user_id = app_user_id() and m.match_date >= current_date
          order by m.match_date limit 100`.execute(tx);
        return result.rows;
      });
    });
    await baseline.listen({ port: 0, host: '127.0.0.1' });

    const appAddress = app.server.address() as AddressInfo;
    const baseAddress = baseline.server.address() as AddressInfo;
    const base = await load(`http://127.0.0.1:${baseAddress.port}/baseline`, users);
    await drained();
    const writer = writesPerSecond > 0 ? await startWriter(app.db, users) : undefined;
    const api = await load(`http://127.0.0.1:${appAddress.port}/api/me/matches`, users);
    const writes = (await writer?.stop()) ?? 0;
    await drained();
    api.writesPerSecond = writes / Number(seconds);
    return { kind, base, api };
  } finally {
    await baseline.close();
    await app.close();
    await scratch?.drop();
  }
}

const kinds =
  which === 'both' ? (['embedded', 'postgres'] as const) : [which as 'embedded' | 'postgres'];
console.log(
  `# GET /api/me/matches, ${seconds} s, ${connections} connections, 40 signed-in players\n` +
    `# ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, Node ${process.version}\n`,
);
console.log(
  '| database | route | writes/s | req/s | p50 ms | p99 ms | errors | non-2xx | server CPU µs/req | ratio |',
);
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const kind of kinds) {
  const { base, api } = await bench(kind);
  const row = (name: string, r: Result, ratio: string) =>
    console.log(
      `| ${kind} | ${name} | ${(r.writesPerSecond ?? 0).toFixed(1)} | ${Math.round(r.requestsPerSecond)} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.non2xx} | ${Math.round(r.cpuPerRequest ?? 0)} | ${ratio} |`,
    );
  row('baseline (bare RLS query)', base, '1.00');
  row('GET /api/me/matches', api, (api.requestsPerSecond / base.requestsPerSecond).toFixed(2));
}
