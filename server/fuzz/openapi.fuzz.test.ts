import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../test/databases';
import { numberFromEnv, startFuzzTarget, type FuzzTarget } from './fuzz-app';
import { DEFAULT_BOUNDS, describeFailures, runFuzz } from './openapi-fuzz';

/**
 * Issue #10, "Fuzzing from the OpenAPI document": a fixed seed and a budget that keeps `npm test`
 * fast. `npm run fuzz` runs the same fuzzer far longer (FUZZ_CASES, FUZZ_SEED).
 */
const CASES = numberFromEnv('FUZZ_TEST_CASES', 1500);
const SEED = numberFromEnv('FUZZ_SEED', 20261203);
const BOUNDS = { ...DEFAULT_BOUNDS, maxMs: numberFromEnv('FUZZ_MAX_MS', DEFAULT_BOUNDS.maxMs) };

describe.each(TEST_DATABASES)('the API under fuzzing from its OpenAPI document on %s', (kind) => {
  let target: FuzzTarget;
  // Migrations, the demo seed and the victim's data: slow on a busy two-core machine.
  beforeAll(async () => {
    target = await startFuzzTarget(kind);
  }, 180_000);
  afterAll(async () => target?.close());

  it('answers every hostile request with a bounded, well-formed answer and leaves other users’ data alone', async () => {
    const { world } = target;
    const before = await world.snapshotVictim();
    const report = await runFuzz({
      app: target.t.app,
      ...world,
      cases: CASES,
      seed: SEED,
      bounds: BOUNDS,
    });
    expect(describeFailures(report)).toEqual([]);
    expect(await world.snapshotVictim()).toEqual(before);
    expect(report.covered.size).toBe(world.operations.length);
  }, 240_000);
});
