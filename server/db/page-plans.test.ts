import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateScale, scaleId } from '../../bench/load/scale';
import { createTestDatabase, type TestDatabase } from '../test/databases';
import { LARGE_TABLES, type PlanNode } from '../test/hot-reads';
import { openDatabase, type Database } from './database';

/** Every node of `plan`, depth first. */
const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];

/**
 * Migration 0017: the schedules' statement (`app_match_rows`) runs with one plan per connection,
 * not planned again for each call's values (bench:routes found a team's schedule 2.8 times as
 * slow with 1,000 leagues, its time spent planning). auto_explain shows the plans a session's calls ran: a generic plan has parameters
 * (`$2`) where a custom one has the values, such as the team's id.
 * PostgreSQL only: auto_explain needs a superuser to load it (`TEST_DATABASE_URL` is one).
 */
describe.runIf(process.env.TEST_DATABASE_URL)('schedule plans on PostgreSQL', () => {
  let target: TestDatabase;
  let db: Database;
  let client: pg.Client;
  const notices: string[] = [];
  const id = async (key: string) =>
    (await sql<{ id: string }>`select ${scaleId(key)}::text as id`.execute(db.owner)).rows[0]
      ?.id as string;

  beforeAll(async () => {
    target = await createTestDatabase('postgres');
    db = await openDatabase(target);
    await db.migrate();
    await generateScale(db.owner, { from: 1, to: 40 });
    const url = new URL(process.env.TEST_DATABASE_URL as string);
    url.pathname = new URL(target.databaseUrl as string).pathname;
    client = new pg.Client({ connectionString: url.href });
    await client.connect();
    client.on('notice', (notice) => notices.push(notice.message ?? ''));
    await client.query(`load 'auto_explain'`);
    await client.query(`set auto_explain.log_min_duration = 0`);
    await client.query(`set auto_explain.log_nested_statements = on`);
    await client.query(`set auto_explain.log_format = json`);
    await client.query(`set client_min_messages = log`);
    await client.query(`select set_config('app.user_id', $1, false)`, [await id('player:1:1:3')]);
  });
  afterAll(async () => {
    await client?.end();
    await db?.close();
    await target?.drop();
  });

  /** The plans of app_match_rows' statement over `calls` calls of `read` on one session. */
  const matchRowPlans = async (read: string, value: string, calls: number) => {
    notices.length = 0;
    for (let i = 0; i < calls; i++) await client.query(`select * from ${read}($1)`, [value]);
    return notices
      .map((n) => JSON.parse(n.slice(n.indexOf('{'))) as { 'Query Text': string; Plan: PlanNode })
      .filter((p) => p['Query Text'].trimStart().startsWith('select m.id, m.round'));
  };

  it.each([
    ['app_team_matches', 'team:1:1'],
    ['app_division_matches', 'division:1'],
  ])(
    '%s runs one generic plan that reads large tables by index on every call',
    async (read, key) => {
      const value = await id(key);
      // Past the five calls after which PostgreSQL weighs a generic plan against custom ones.
      const plans = await matchRowPlans(read, value, 8);
      expect(plans).toHaveLength(8);
      for (const { Plan } of plans) {
        expect(JSON.stringify(Plan)).not.toContain(value);
        expect(
          nodes(Plan).filter(
            (n) => LARGE_TABLES.has(n['Relation Name'] ?? '') && n['Node Type'] === 'Seq Scan',
          ),
        ).toEqual([]);
      }
    },
  );
});
