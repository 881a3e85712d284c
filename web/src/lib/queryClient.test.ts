import {
  dehydrate,
  hydrate,
  MutationObserver,
  onlineManager,
  QueryClient,
  type MutationKey,
} from '@tanstack/react-query';
import type * as QueryClientModule from './queryClient';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

/** Every key a feature registers with `setMutationDefaults`, in the order they are registered. */
const registeredKeys: MutationKey[] = [];
let app: typeof QueryClientModule;

beforeAll(async () => {
  // Defined by Vite for the app; the unit tests run without it.
  vi.stubGlobal('__APP_VERSION__', 'test');
  const setMutationDefaults = QueryClient.prototype.setMutationDefaults;
  vi.spyOn(QueryClient.prototype, 'setMutationDefaults').mockImplementation(function (
    this: QueryClient,
    ...args
  ) {
    registeredKeys.push(args[0]);
    setMutationDefaults.apply(this, args);
  });
  app = await import('./queryClient');
  await Promise.all(Object.values(import.meta.glob('../features/*/api.ts')).map((load) => load()));
  vi.restoreAllMocks();
});

afterEach(() => {
  onlineManager.setOnline(true);
  app.queryClient.clear();
});

/**
 * Starts a write offline: it is paused and waits in the cache. Its scope, if any, comes from the
 * defaults registered for its key.
 */
function writeOffline(
  client: QueryClient,
  mutationKey: MutationKey | undefined,
  variables: unknown,
) {
  onlineManager.setOnline(false);
  const observer = new MutationObserver<unknown, Error, unknown>(client, {
    ...(mutationKey ? { mutationKey } : {}),
    mutationFn: () => Promise.resolve(),
  });
  observer.mutate(variables).catch(() => undefined);
}

function persisted(client: QueryClient) {
  return dehydrate(client, app.persistOptions.dehydrateOptions).mutations;
}

describe('persistOptions: paused writes kept in IndexedDB', () => {
  it('registers the writes that can wait offline, each with a function in the offline scope', () => {
    expect(registeredKeys.map((key) => key[0])).toEqual(
      expect.arrayContaining([
        'update-team',
        'create-team',
        'update-member',
        'result-entry',
        'save-profile',
        'save-role',
        'answer-availability',
        'create-league',
        'update-league',
        'create-season',
        'update-season',
        'create-division',
        'create-venue',
        'update-venue',
      ]),
    );
    for (const key of registeredKeys) {
      const defaults = app.queryClient.getMutationDefaults(key);
      expect(defaults.mutationFn, String(key[0])).toBeTypeOf('function');
      expect(defaults.scope, String(key[0])).toBe(app.OFFLINE_WRITES);
    }
  });

  it('keeps no paused write whose key has no registered function', () => {
    writeOffline(app.queryClient, ['publish-schedule', 'division-1'], { draftHash: 'h' });
    writeOffline(app.queryClient, undefined, { step: 'confirm' });
    writeOffline(app.queryClient, ['update-league', 'league-1'], { version: 3 });

    expect(app.queryClient.getMutationCache().getAll()).toHaveLength(3);
    expect(persisted(app.queryClient).map((m) => m.mutationKey)).toEqual([
      ['update-league', 'league-1'],
    ]);
  });

  it('keeps no write that is not paused', () => {
    const observer = new MutationObserver<unknown, Error, unknown>(app.queryClient, {
      mutationKey: ['update-league', 'league-1'],
      mutationFn: () => Promise.resolve({ id: 'league-1' }),
    });
    return observer.mutate({ version: 3 }).then(() => {
      expect(persisted(app.queryClient)).toEqual([]);
    });
  });

  it('replays every registered write after a reload, with its variables, in creation order', async () => {
    const written = registeredKeys.flatMap((key, i) => [
      { key: [...key, `id-${i}`], variables: { n: 2 * i } },
      { key: [...key, `id-${i}`], variables: { n: 2 * i + 1 } },
    ]);
    // Interleaved so that creation order is not the order of the keys.
    written.reverse();
    for (const { key, variables } of written) writeOffline(app.queryClient, key, variables);

    const stored = JSON.parse(JSON.stringify(persisted(app.queryClient))) as ReturnType<
      typeof persisted
    >;
    expect(stored.map((m) => m.mutationKey)).toEqual(written.map((w) => w.key));

    // A new page load: a fresh client whose features registered the same keys.
    const sent: { key: unknown; variables: unknown }[] = [];
    const reloaded = new QueryClient();
    for (const key of registeredKeys) {
      reloaded.setMutationDefaults(key, {
        // The first written waits longest: only one queue keeps them in creation order.
        mutationFn: async (variables: { n: number }, { mutationKey }) => {
          await new Promise((resolve) => setTimeout(resolve, variables.n));
          sent.push({ key: mutationKey, variables });
        },
      });
    }
    hydrate(reloaded, { mutations: stored, queries: [] });
    onlineManager.setOnline(true);
    await reloaded.resumePausedMutations();

    expect(sent).toEqual(written);
  });
});
