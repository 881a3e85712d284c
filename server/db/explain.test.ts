import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateScale, scaleId } from '../../bench/load/scale';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../test/databases';
import {
  explainRead,
  HOT_READS,
  LARGE_TABLES,
  planNodes,
  type ExplainedStatement,
  type HotIds,
} from '../test/hot-reads';
import { openDatabase, type Database } from './database';

/**
 * The plans of the hot reads (issue #12, decision 0003 "Read speed at scale"): a page costs what
 * it shows, not what the whole installation holds. Each read is explained as a player of the
 * first league with 2 leagues in the database, then again with 40; it must touch about as many
 * buffers the second time, and neither scan a large table from end to end nor run a subplan for
 * each of its rows.
 */
const SMALL = 2;
const LARGE = 40;
/**
 * Reads that walk an index in order and check each row they pass until the page is full, with
 * how many rows they may walk: the leaderboard (limit 50 in HOT_READS) checks the visibility of
 * the rows it walks, as many as it shows plus the hidden ones and the players tied with its last
 * row (their names decide which of them are shown; the scale set's ratings take a few dozen
 * values), whatever the size of the board. Its subplans may run that many times, and each row
 * costs about ten index look-ups (the visibility of the rating and of the name, five keys each,
 * up to the league), each a level deeper with 40 leagues than with 2: that much more slack. The
 * whole board, ranked as before, touched 56 times as many (733 and 41,037 buffers).
 */
const WALKS: Record<string, number> = { leaderboard: 6 * 50 };
/** More runs of one subplan than this in a read is a check of every row of something large. */
const PER_ROW = 100;

describe.each(TEST_DATABASES)('hot reads on %s', (kind) => {
  let testDb: TestDatabase;
  let db: Database;
  let user: string;
  let ids: HotIds;
  const small = new Map<string, ExplainedStatement[]>();
  const large = new Map<string, ExplainedStatement[]>();
  const reads = Object.keys(HOT_READS);

  const explainAll = async (into: Map<string, ExplainedStatement[]>) => {
    for (const read of reads) into.set(read, await explainRead(db, user, read, ids));
  };
  const buffers = (plans: ExplainedStatement[] | undefined) =>
    (plans ?? []).reduce((sum, p) => sum + p.buffers, 0);

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    db = await openDatabase(testDb);
    await db.migrate();
    const id = async (key: string) =>
      (await sql<{ id: string }>`select ${scaleId(key)}::text as id`.execute(db.owner)).rows[0]
        ?.id as string;
    ids = {
      leagueId: await id('league:1'),
      divisionId: await id('division:1'),
      teamId: await id('team:1:1'),
      playerId: await id('player:1:1:2'),
    };
    user = await id('player:1:1:3');
    await generateScale(db.owner, { from: 1, to: SMALL });
    await explainAll(small);
    await generateScale(db.owner, { from: SMALL + 1, to: LARGE });
    await explainAll(large);
  }, 600_000);

  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  it('reads what the pages show', () => {
    // The plans ran on data: the division's ten teams, its 90 matches, a full board page.
    const rows = (read: string) => large.get(read)?.[0]?.plan['Actual Rows'];
    expect(rows('division teams')).toBe(10);
    expect(rows('standings teams')).toBe(10);
    expect(rows('division matches')).toBe(90);
    // The first page of the tennis singles board, of some 1,600 rated players.
    expect(rows('leaderboard')).toBe(50);
  });

  it.each(reads)('%s touches no more buffers with 20 times the leagues', (read) => {
    const before = buffers(small.get(read));
    const after = buffers(large.get(read));
    expect(before).toBeGreaterThan(0);
    // Index look-ups get a level deeper as tables grow past a page: allow for that, not for
    // a read that works through other leagues' rows (20 times as many here).
    const deeper = 10 * (WALKS[read] ?? 0);
    expect(after, `${before} buffers with ${SMALL} leagues`).toBeLessThanOrEqual(
      before * 3 + 50 + deeper,
    );
  });

  it.each(reads)('%s scans no large table and runs no subplan per row', (read) => {
    const nodes = (large.get(read) ?? []).flatMap((p) => planNodes(p.plan));
    const scans = nodes
      .filter((n) => n['Node Type'] === 'Seq Scan' && LARGE_TABLES.has(n['Relation Name'] ?? ''))
      .map((n) => n['Relation Name']);
    expect(scans).toEqual([]);
    const perRow = nodes
      .filter(
        (n) =>
          n['Parent Relationship'] === 'SubPlan' && n['Actual Loops'] > (WALKS[read] ?? PER_ROW),
      )
      .map((n) => `${n['Subplan Name']} × ${n['Actual Loops']}`);
    expect(perRow).toEqual([]);
  });
});
