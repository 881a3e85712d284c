import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateScale, scaleId } from '../../../bench/load/scale';
import { openDatabase, type Database, type Tx } from '../../db/database';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../../test/databases';
import { ratingReadsRepository } from './ratings.repository';

type Options = Parameters<typeof ratingReadsRepository.leaderboard>[1];

/**
 * The leaderboard ranks only the top of the board it walks (issue #12). Its answers must be the
 * ones of ranking the whole narrowed board, which this reference does, under the same row-level
 * security: rank shared by equal ratings, then name, then id; `q` picks rows keeping their place.
 */
async function wholeBoard(tx: Tx, o: Options) {
  const scope =
    o.scope === null
      ? sql`true`
      : 'divisionId' in o.scope
        ? sql`pr.user_id in (select tm.user_id from team_members tm
            join teams t on t.id = tm.team_id where t.division_id = ${o.scope.divisionId})`
        : sql`pr.user_id in (select tm.user_id from team_members tm
            join teams t on t.id = tm.team_id join divisions d on d.id = t.division_id
            join seasons s on s.id = d.season_id where s.league_id = ${o.scope.leagueId})`;
  const pattern = o.q ? `%${o.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : '%';
  const { rows } = await sql<Record<string, unknown>>`
    select * from (
      select pr.user_id as "userId", p.display_name as "displayName", pr.rating, pr.reliability,
        pr.matches, pr.won, pr.lost, pr.last_played::text as "lastPlayed",
        (rank() over (order by pr.rating desc))::int as rank
      from player_ratings pr join people p on p.user_id = pr.user_id
      where pr.sport = ${o.sport} and pr.kind = ${o.kind} and pr.matches >= ${o.minMatches}
        and ${scope}) b
    where b."displayName" ilike ${pattern}
    order by b.rank, b."displayName", b."userId" limit ${o.limit}`.execute(tx);
  return rows;
}

describe.each(TEST_DATABASES)('the leaderboard walk on %s', (kind) => {
  let testDb: TestDatabase;
  let db: Database;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    db = await openDatabase(testDb);
    await db.migrate();
    // Ten leagues of the scale set (the tenth private), 1,000 players, singles ratings that
    // take only a few dozen values: ties everywhere, across every page boundary.
    await generateScale(db.owner, { from: 1, to: 10 });
    for (const key of ['player:1:1:3', 'player:10:2:3', 'league:1', 'league:10', 'division:3']) {
      ids[key] = (await sql<{ id: string }>`select ${scaleId(key)}::text as id`.execute(db.owner))
        .rows[0]?.id as string;
    }
  }, 300_000);

  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  const both = (user: string | null, o: Options) =>
    db.withUser(user, async (tx) => ({
      walked: await ratingReadsRepository.leaderboard(tx, o),
      whole: await wholeBoard(tx, o),
    }));
  const board = (o: Partial<Options>): Options => ({
    sport: 'tennis',
    kind: 'singles',
    scope: null,
    minMatches: 0,
    q: undefined,
    limit: 100,
    ...o,
  });

  it('gives every page the places of the whole board, where a tie crosses the limit', async () => {
    const user = ids['player:1:1:3'] ?? '';
    let crossings = 0;
    for (const limit of [1, 2, 7, 25, 50, 99, 100, 101, 250, 1000]) {
      for (const minMatches of [0, 4]) {
        const { walked, whole } = await both(user, board({ limit, minMatches }));
        expect(walked, `limit ${limit}, minMatches ${minMatches}`).toEqual(whole);
        const full = await db.withUser(user, (tx) =>
          wholeBoard(tx, board({ limit: limit + 1, minMatches })),
        );
        // The row after the page shares the last row's rating: names decide who is shown.
        if (full.length > limit && full[limit]?.rating === full[limit - 1]?.rating) crossings++;
      }
    }
    expect(crossings).toBeGreaterThan(5);
  });

  it('keeps each place on a name search, near the top of the board and far down it', async () => {
    const user = ids['player:1:1:3'] ?? '';
    for (const q of ['player-1-', 'player-7-3-', 'layer-4', '-9-1', 'nobody', '%']) {
      for (const limit of [3, 100]) {
        const { walked, whole } = await both(user, board({ q, limit }));
        expect(walked, `q ${q}, limit ${limit}`).toEqual(whole);
      }
    }
    const far = await both(user, board({ q: '-9-1', limit: 100 }));
    expect(far.walked.length).toBeGreaterThan(0);
    expect(far.walked.some((r) => r.rank > 100)).toBe(true);
  });

  it('ranks within a league or a division, and as each user may see', async () => {
    const scopes: Options['scope'][] = [
      null,
      { leagueId: ids['league:1'] ?? '' },
      { leagueId: ids['league:10'] ?? '' },
      { divisionId: ids['division:3'] ?? '' },
    ];
    for (const user of [ids['player:1:1:3'] ?? '', ids['player:10:2:3'] ?? '', null]) {
      for (const scope of scopes) {
        for (const limit of [5, 40]) {
          const { walked, whole } = await both(user, board({ scope, limit }));
          expect(walked, `${user} ${JSON.stringify(scope)} ${limit}`).toEqual(whole);
        }
      }
    }
    // The private tenth league: its players are on its own player's board only.
    const privateBoard = board({ scope: { leagueId: ids['league:10'] ?? '' } });
    expect((await both(ids['player:10:2:3'] ?? '', privateBoard)).walked).not.toEqual([]);
    expect((await both(ids['player:1:1:3'] ?? '', privateBoard)).walked).toEqual([]);
  });
});
