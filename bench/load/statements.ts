/**
 * `npm run bench:statements`: how many statements (round trips) each page's API call sends to
 * PostgreSQL (`DATABASE_URL`, with the scale set of scale.ts in it), as a signed-in player of the
 * scale set's first league: a probe counts `pg.Client.query` calls per request (`app.inject`,
 * one request at a time). Markdown on stdout. bench/load/README.md.
 */
import pg from 'pg';
import { sql } from 'kysely';
import { buildApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { CSRF_COOKIE, SESSION_COOKIE } from '../../server/plugins/session';
import { keyedHash, randomToken } from '../../server/plugins/tokens';
import { scaleId } from './scale';

if (!process.env.DATABASE_URL)
  throw new Error('set DATABASE_URL (bench:statements is PostgreSQL only)');
const config = {
  ...loadConfig({ ...process.env, LOG_LEVEL: 'silent', LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0' }),
  rateLimits: { global: 100_000, auth: 100_000 },
};
const app = await buildApp(config);
let count = 0;
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  count++;
  return query.apply(this, args);
} as typeof pg.Client.prototype.query;

try {
  const db = app.db;
  const id = async (key: string) =>
    (await sql<{ id: string }>`select ${scaleId(key)}::text as id`.execute(db.owner)).rows[0]
      ?.id as string;
  const [leagueId, divisionId, teamId, playerId, user] = await Promise.all(
    ['league:1', 'division:1', 'team:1:1', 'player:1:1:2', 'player:1:1:3'].map(id),
  );
  const token = randomToken();
  await db.owner
    .insertInto('sessions')
    .values({
      id: keyedHash(config.sessionSecret, 'session', token),
      userId: user as string,
      expiresAt: new Date(Date.now() + 3_600_000),
    })
    .execute();
  const cookie = `${SESSION_COOKIE}=${token}; ${CSRF_COOKIE}=${keyedHash(config.sessionSecret, 'csrf', token)}`;
  const urls = [
    `/api/divisions/${divisionId}/matches`,
    `/api/teams/${teamId}/matches`,
    `/api/teams/${teamId}/stats`,
    `/api/players/${playerId}`,
    `/api/leagues/${leagueId}`,
    `/api/divisions/${divisionId}/teams`,
    `/api/teams/${teamId}`,
  ];
  console.log('| route | status | statements |');
  console.log('| --- | ---: | ---: |');
  for (const url of urls) {
    await app.inject({ url, headers: { cookie } });
    count = 0;
    const res = await app.inject({ url, headers: { cookie } });
    console.log(`| GET ${url.replace(/[0-9a-f-]{36}/g, '{id}')} | ${res.statusCode} | ${count} |`);
  }
} finally {
  pg.Client.prototype.query = query as typeof pg.Client.prototype.query;
  await app.close();
}
