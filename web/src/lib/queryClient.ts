import { createAsyncStoragePersister } from '@tanstack/query-async-storage-persister';
import { QueryClient } from '@tanstack/react-query';
import type { PersistQueryClientOptions } from '@tanstack/react-query-persist-client';
import { del, get, set } from 'idb-keyval';
import { isApiError } from './api';

const DAY = 24 * 60 * 60 * 1000;
const PERSIST_KEY = 'rally-connect:query-cache';

/** Client errors will not change on retry; network and server errors may. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (isApiError(error) && error.status < 500 && error.status !== 429) return false;
  return failureCount < 2;
}

/** When this page load started: anything cached before it came from IndexedDB. */
const pageLoadedAt = Date.now();

/**
 * True while an answer restored from IndexedDB is being checked with the server. Online, the app
 * waits for that check before acting on data that decides where the user may go (a reload right
 * after a write can restore a copy older than the write); offline the fetch is paused and the
 * restored copy is used.
 */
export function isConfirmingRestoredData(query: {
  dataUpdatedAt: number;
  fetchStatus: 'fetching' | 'paused' | 'idle';
}): boolean {
  return query.dataUpdatedAt < pageLoadedAt && query.fetchStatus === 'fetching';
}

/**
 * The one queue of writes that can wait offline (DESIGN §5): mutations in this scope run one
 * after another, in the order they were made, also when replayed after a reload.
 */
export const OFFLINE_WRITES = { id: 'rally-offline-writes' };

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Kept for a day so that the persisted copy can serve reads at the courts with no signal.
      gcTime: DAY,
      // An answer restored from IndexedDB is shown at once but always checked again: after a
      // reload the user expects what changed meanwhile (a new player on the roster) to appear.
      staleTime: (query) => (query.state.dataUpdatedAt < pageLoadedAt ? 0 : 30_000),
      retry: shouldRetry,
    },
    mutations: { retry: false },
  },
});

/** The query cache lives in IndexedDB between visits (ready for offline reads). */
export const persister = createAsyncStoragePersister({
  storage: { getItem: get, setItem: set, removeItem: del },
  key: PERSIST_KEY,
});

export const persistOptions: Omit<PersistQueryClientOptions, 'queryClient'> = {
  persister,
  maxAge: DAY,
  buster: __APP_VERSION__,
  dehydrateOptions: {
    // Only settled answers are kept (as TanStack's default does); queries can also opt out with
    // `meta: { persist: false }`, e.g. the sign-in options.
    shouldDehydrateQuery: (query) =>
      query.state.status === 'success' && query.meta?.['persist'] !== false,
  },
};

/** Forgets everything the signed-in user saw: in memory and in IndexedDB. */
export async function clearAllCachedData(): Promise<void> {
  await queryClient.cancelQueries();
  queryClient.clear();
  await persister.removeClient();
}
