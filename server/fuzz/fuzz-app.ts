import { startTestApp, type TestApp } from '../test/app';
import type { DatabaseKind } from '../test/databases';
import { startOidcProvider, type OidcProvider } from '../test/oidc-provider';
import { buildFuzzWorld, type FuzzWorld } from './world';

/** The real app in demo mode with a real OpenID Connect provider, and the fuzzer's world in it. */
export interface FuzzTarget {
  t: TestApp;
  world: FuzzWorld;
  close(): Promise<void>;
}

/**
 * Starts the app the fuzzer attacks. Rate limits are raised out of the way: every case comes from
 * one address, and a wall of 429s would hide what the routes themselves answer.
 */
export async function startFuzzTarget(kind: DatabaseKind): Promise<FuzzTarget> {
  let oidc: OidcProvider | undefined;
  let t: TestApp | undefined;
  try {
    oidc = await startOidcProvider();
    t = await startTestApp(kind, {
      env: { DEMO_MODE: 'true', RATE_LIMIT_PER_MINUTE: '1000000' },
      overrides: { rateLimits: { global: 1_000_000, auth: 1_000_000 } },
      oidc,
    });
    const world = await buildFuzzWorld(t.app);
    const [app, provider] = [t, oidc];
    return {
      t: app,
      world,
      async close() {
        await app.close();
        await provider.stop();
      },
    };
  } catch (error) {
    await t?.close();
    await oidc?.stop();
    throw error;
  }
}

/** A whole number from the environment, or the default. */
export function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a whole number`);
  return value;
}
