import { PersistQueryClientProvider } from '@tanstack/react-query-persist-client';
import { RouterProvider } from 'react-router/dom';
import { persistOptions, queryClient } from '../lib/queryClient';
import { router } from './router';

/**
 * Writes queued offline (paused mutations, DESIGN §5) are restored from IndexedDB with the rest of
 * the cache; once restored they are sent at once when the device is online, rather than at the
 * next "online" or focus event. `resumePausedMutations` does nothing offline (TanStack Query 5),
 * so the queue then waits for the connection as before; it replays in creation order (one scope).
 * A restored mutation keeps its key and variables, not its function, so only writes whose feature
 * declares as an `offlineWrite` (registered with `setMutationDefaults`) are stored (`persistOptions`), and all of them can
 * run here. Not awaited, so the app does not wait for the
 * queue to drain before it shows the cached pages; each write refreshes what it changes.
 */
function resumeRestoredWrites() {
  void queryClient.resumePausedMutations();
}

export function App() {
  return (
    <PersistQueryClientProvider
      client={queryClient}
      persistOptions={persistOptions}
      onSuccess={resumeRestoredWrites}
    >
      <RouterProvider router={router} />
    </PersistQueryClientProvider>
  );
}
