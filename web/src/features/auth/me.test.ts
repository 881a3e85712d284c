import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as AuthApi from './api';

let auth: typeof AuthApi;

beforeAll(async () => {
  // Defined by Vite for the app; the unit tests run without it.
  vi.stubGlobal('__APP_VERSION__', 'test');
  auth = await import('./api');
});

afterEach(() => {
  vi.unstubAllGlobals();
});

/** Waits until the observer's query is no longer fetching. */
function settled(observer: {
  getCurrentResult(): { fetchStatus: string };
  subscribe(listener: () => void): () => void;
}) {
  return new Promise<void>((resolve) => {
    const done = () => observer.getCurrentResult().fetchStatus === 'idle';
    if (done()) return resolve();
    const unsubscribe = observer.subscribe(() => {
      if (done()) {
        unsubscribe();
        resolve();
      }
    });
  });
}

describe('the me query of a signed-out visitor', () => {
  it('is not fetched again when another part of the page starts reading it', async () => {
    const fetch = vi.fn(
      async () =>
        new Response(
          JSON.stringify({ type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'x' }),
          { status: 401, headers: { 'content-type': 'application/problem+json' } },
        ),
    );
    vi.stubGlobal('fetch', fetch);
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const guard = new QueryObserver(client, auth.meQuery);
    const stopGuard = guard.subscribe(() => undefined);
    await settled(guard);
    expect(auth.isSignedOut(guard.getCurrentResult().error)).toBe(true);

    // A page under the guard mounts and reads `me` too. A refetch would clear the 401 while it
    // runs, the guard would show "Loading…" and unmount the page, and the page's next mount
    // would refetch again: issue #10, finding 6.
    const page = new QueryObserver(client, auth.meQuery);
    const stopPage = page.subscribe(() => undefined);
    await settled(page);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(auth.isSignedOut(guard.getCurrentResult().error)).toBe(true);
    stopPage();
    stopGuard();
    client.clear();
  });
});
