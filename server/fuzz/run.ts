import { TEST_DATABASES } from '../test/databases';
import { numberFromEnv, startFuzzTarget } from './fuzz-app';
import { DEFAULT_BOUNDS, describeFailures, describeReport, runFuzz } from './openapi-fuzz';

/**
 * `npm run fuzz`: the OpenAPI fuzzer of `npm test`, far longer. FUZZ_CASES (default 50,000) cases
 * per database from FUZZ_SEED; FUZZ_MAX_MS is the stall bound per request. Prints the answers per
 * status and every broken rule; exits 1 when a rule broke or another user's data changed.
 */
const cases = numberFromEnv('FUZZ_CASES', 50_000);
const seed = numberFromEnv('FUZZ_SEED', 20261203);
const bounds = { ...DEFAULT_BOUNDS, maxMs: numberFromEnv('FUZZ_MAX_MS', DEFAULT_BOUNDS.maxMs) };
const out = (line: string) => process.stdout.write(line + '\n');

let failed = false;
for (const kind of TEST_DATABASES) {
  const target = await startFuzzTarget(kind);
  try {
    const before = JSON.stringify(await target.world.snapshotVictim());
    const started = performance.now();
    const report = await runFuzz({ app: target.t.app, ...target.world, cases, seed, bounds });
    const seconds = (performance.now() - started) / 1000;
    out(describeReport(`${kind} (seed ${seed}, ${seconds.toFixed(1)} s)`, report));
    out(`  ${report.covered.size} of ${target.world.operations.length} operations covered`);
    for (const line of describeFailures(report)) out(`  BROKEN ${line}`);
    const unchanged = JSON.stringify(await target.world.snapshotVictim()) === before;
    if (!unchanged) out("  BROKEN another user's data changed");
    failed ||= report.failures.size > 0 || !unchanged;
  } finally {
    await target.close();
  }
}
process.exitCode = failed ? 1 : 0;
