/**
 * `npm run bench:scale -- [--scale 1] [--from 1] [--demo]`: migrates the configured database (`DATABASE_URL`,
 * `DATABASE_OWNER_URL`, or embedded PGlite in `RALLY_DATA_DIR`, as the server does) and writes
 * the scale set of scale.ts into it; `--demo` loads the demo seed first. bench/load/README.md.
 */
import { loadConfig } from '../../server/config';
import { openDatabase } from '../../server/db/database';
import { seedDemo } from '../../server/cli/seed';
import { generateScale, LEAGUES } from './scale';
import { parseFlags } from './setup';

const flags = parseFlags(process.argv);
const scale = Number(flags.get('scale') ?? 1);
if (!Number.isFinite(scale) || scale <= 0) throw new Error('--scale must be a positive number');
// More leagues for a database that has some already: `--from 1001 --scale 1` adds 1,000 more.
const from = Number(flags.get('from') ?? 1);
if (!Number.isInteger(from) || from < 1) throw new Error('--from must be a whole number ≥ 1');

const config = loadConfig();
const db = await openDatabase(config);
try {
  await db.migrate();
  if (flags.has('demo')) await seedDemo(db);
  const started = performance.now();
  const leagues = { from, to: from + Math.max(1, Math.round(LEAGUES * scale)) - 1 };
  const report = await generateScale(db.owner, leagues, (line) => console.log(line));
  console.log(
    `${report.leagues} leagues on ${db.kind} in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
} finally {
  await db.close();
}
