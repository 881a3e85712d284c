/**
 * `npm run bench:explain -- [--runs 3]`: the hot reads' plans on the configured database
 * (`DATABASE_URL`, or embedded PGlite in `RALLY_DATA_DIR`), as a player of the scale set's first
 * league (bench/load/scale.ts must have run): per read, the statements' execution and planning
 * time (best of `--runs`), the buffers they touched and every sequential scan. Markdown on
 * stdout. bench/load/README.md.
 */
import { sql } from 'kysely';
import { loadConfig } from '../../server/config';
import { openDatabase } from '../../server/db/database';
import { explainRead, HOT_READS, planNodes, type HotIds } from '../../server/test/hot-reads';
import { scaleId } from './scale';

const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 3;

const db = await openDatabase(loadConfig());
try {
  const id = async (key: string) =>
    (await sql<{ id: string }>`select ${scaleId(key)}::text as id`.execute(db.owner)).rows[0]
      ?.id as string;
  const ids: HotIds = {
    leagueId: await id('league:1'),
    divisionId: await id('division:1'),
    teamId: await id('team:1:1'),
    playerId: await id('player:1:1:2'),
  };
  const user = await id('player:1:1:3');
  const found = await sql`select 1 from teams where id = ${ids.teamId}`.execute(db.owner);
  if (found.rows.length === 0) throw new Error('no scale set here: run npm run bench:scale first');
  console.log('| read | statements | execution ms | planning ms | buffers | sequential scans |');
  console.log('| --- | ---: | ---: | ---: | ---: | --- |');
  for (const read of Object.keys(HOT_READS)) {
    let best: Awaited<ReturnType<typeof explainRead>> | undefined;
    for (let r = 0; r < runs; r++) {
      const plans = await explainRead(db, user, read, ids);
      const total = (list: typeof plans) => list.reduce((s, p) => s + p.executionMs, 0);
      if (!best || total(plans) < total(best)) best = plans;
    }
    const list = best ?? [];
    const sum = (f: (p: (typeof list)[number]) => number) => list.reduce((s, p) => s + f(p), 0);
    const scans = list
      .flatMap((p) => planNodes(p.plan))
      .filter((n) => n['Node Type'] === 'Seq Scan')
      .map(
        (n) =>
          `${n['Relation Name']} (${n['Actual Rows'] + (n['Rows Removed by Filter'] ?? 0)} rows × ${n['Actual Loops']})`,
      );
    console.log(
      `| ${read} | ${list.length} | ${sum((p) => p.executionMs).toFixed(2)} | ${sum((p) => p.planningMs).toFixed(2)} | ${sum((p) => p.buffers)} | ${scans.join(', ')} |`,
    );
  }
} finally {
  await db.close();
}
