import { createAsyncStoragePersister } from '@tanstack/query-async-storage-persister';
import {
  QueryClient,
  useMutation,
  useQueryClient,
  type MutationFunctionContext,
  type MutationKey,
  type MutationOptions,
  type QueryKey,
  type QueryMeta,
  type UseMutationResult,
} from '@tanstack/react-query';
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

/**
 * The id a hook puts after its write's key (`[...KEY, id]`, e.g. the league a venue is added to).
 * A write restored from IndexedDB keeps its key and variables but not the hook's closure, so the
 * function registered with `setMutationDefaults` reads the id here, as the hook's own call does.
 */
export function idInKey({ mutationKey }: Pick<MutationFunctionContext, 'mutationKey'>): string {
  const id = mutationKey?.[1];
  if (typeof id !== 'string')
    throw new Error(`No id in mutation key ${JSON.stringify(mutationKey)}`);
  return id;
}

/**
 * Callbacks of a write that read again the query of the id in its key (`idInKey`), such as the
 * league a season is added to: `onSuccess` once it succeeded, or `onSettled` once it succeeded or
 * was refused (a stale edit's 412 must show the newer copy). They read the id from the key, not
 * from a hook's closure, so they work for a write restored after a reload too.
 */
export function refreshOfWrite(client: QueryClient, queryKeyOf: (id: string) => QueryKey) {
  const refresh = (context: MutationFunctionContext) =>
    client.invalidateQueries({ queryKey: queryKeyOf(idInKey(context)) });
  return {
    onSuccess: {
      onSuccess: (
        _data: unknown,
        _variables: unknown,
        _result: unknown,
        context: MutationFunctionContext,
      ) => refresh(context),
    },
    onSettled: {
      onSettled: (
        _data: unknown,
        _error: unknown,
        _variables: unknown,
        _result: unknown,
        context: MutationFunctionContext,
      ) => refresh(context),
    },
  };
}

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

/** What decides whether a write is kept (any copy of TanStack's `Mutation` has it). */
interface ReplayCandidate {
  options: { mutationKey?: MutationKey };
  state: { isPaused: boolean };
}

/**
 * A paused write is kept only if it can be sent after a reload: its key has a function registered
 * with `setMutationDefaults`. Writes that need a connection have none, so none is ever stored only
 * to fail with "No mutationFn found" when the restored queue is resumed.
 */
export function canReplayAfterReload(client: QueryClient, mutation: ReplayCandidate): boolean {
  const key = mutation.options.mutationKey;
  return (
    mutation.state.isPaused &&
    key !== undefined &&
    client.getMutationDefaults(key).mutationFn !== undefined
  );
}

/**
 * `satisfies` rather than a type: the persister's copy of TanStack's types differs from the app's,
 * and the tests dehydrate with the app's.
 */
export const persistOptions = {
  persister,
  maxAge: DAY,
  buster: __APP_VERSION__,
  dehydrateOptions: {
    // Only settled answers are kept (as TanStack's default does); queries can also opt out with
    // `meta: { persist: false }`, e.g. the sign-in options.
    shouldDehydrateQuery: (query: { state: { status: string }; meta: QueryMeta | undefined }) =>
      query.state.status === 'success' && query.meta?.['persist'] !== false,
    shouldDehydrateMutation: (mutation: ReplayCandidate) =>
      canReplayAfterReload(queryClient, mutation),
  },
} satisfies Omit<PersistQueryClientOptions, 'queryClient'>;

/** What a finished write does to the cache. */
export type WriteCallbacks<TData, TVariables> = Pick<
  MutationOptions<TData, Error, TVariables>,
  'onSuccess' | 'onError' | 'onSettled'
>;

export interface OfflineWrite<TData, TVariables> {
  /** The write's name, the first part of its mutation key (`['create-venue', leagueId]`). */
  key: string;
  /**
   * The request, with its `Idempotency-Key` (and `If-Match`, for an edit). An id it needs beyond
   * its variables comes from the key (`idInKey`): a write restored after a reload has no closure.
   */
  mutationFn: (variables: TVariables, context: MutationFunctionContext) => Promise<TData>;
  /**
   * What a finished write does to the cache, for the client given: the same when the write is
   * replayed after a reload, so ids come from the variables or the key, not from a closure.
   */
  callbacks?: (client: QueryClient) => WriteCallbacks<TData, TVariables>;
}

/**
 * Declares a write that can wait offline (DESIGN §5). It is registered once with
 * `setMutationDefaults`, so that, queued and the tab reloaded, it is kept and still sent
 * (`canReplayAfterReload`), and it runs in the one ordered queue (`OFFLINE_WRITES`). Returns the
 * hook that makes the write: `id` goes after the key (e.g. the league a venue is added to), and a
 * hook's own `callbacks` replace the registered ones while the page that made the write is open.
 */
export function offlineWrite<TData, TVariables>({
  key,
  mutationFn,
  callbacks,
}: OfflineWrite<TData, TVariables>) {
  queryClient.setMutationDefaults([key], {
    mutationFn,
    scope: OFFLINE_WRITES,
    ...callbacks?.(queryClient),
  });
  return function useOfflineWrite(
    id?: string,
    own?: WriteCallbacks<TData, TVariables>,
  ): UseMutationResult<TData, Error, TVariables> {
    const client = useQueryClient();
    return useMutation({
      mutationKey: id === undefined ? [key] : [key, id],
      mutationFn,
      scope: OFFLINE_WRITES,
      ...callbacks?.(client),
      ...own,
    });
  };
}

/** Forgets everything the signed-in user saw: in memory and in IndexedDB. */
export async function clearAllCachedData(): Promise<void> {
  await queryClient.cancelQueries();
  queryClient.clear();
  await persister.removeClient();
}
