import {
  useMutation,
  useQuery,
  useQueryClient,
  type MutationFunctionContext,
  type QueryClient,
} from '@tanstack/react-query';
import type { Venue, VenueInput } from '#domain/schemas/venues';
import { apiFetch } from '../../lib/api';
import { idInKey, offlineWrite, refreshOfWrite } from '../../lib/queryClient';

export const venuesQueryKey = (leagueId: string) => ['venues', leagueId] as const;

/** `GET /api/leagues/:id/venues`. */
export function useVenues(leagueId: string) {
  return useQuery({
    queryKey: venuesQueryKey(leagueId),
    queryFn: ({ signal }) => apiFetch<Venue[]>(`/api/leagues/${leagueId}/venues`, { signal }),
  });
}

function useRefreshVenues(leagueId: string) {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: venuesQueryKey(leagueId) });
}

/** The league's venues read again, the league's id from the write's key. */
const refreshVenuesOfWrite = (client: QueryClient) => refreshOfWrite(client, venuesQueryKey);

export interface CreateVenueVariables {
  input: VenueInput;
  idempotencyKey: string;
}

function createVenue(
  { input, idempotencyKey }: CreateVenueVariables,
  context: MutationFunctionContext,
) {
  return apiFetch<Venue>(`/api/leagues/${idInKey(context)}/venues`, {
    method: 'POST',
    body: input,
    idempotencyKey,
  });
}

/**
 * `POST /api/leagues/:id/venues` (organizers), the league's id after the key. Can wait offline
 * (DESIGN §5): queued and the tab reloaded, it is still sent in order.
 */
export const useCreateVenue = offlineWrite({
  key: 'create-venue',
  mutationFn: createVenue,
  callbacks: (client) => refreshVenuesOfWrite(client).onSuccess,
});

export interface UpdateVenueVariables {
  venueId: string;
  input: VenueInput;
  version: number;
  idempotencyKey: string;
}

function updateVenue({ venueId, input, version, idempotencyKey }: UpdateVenueVariables) {
  return apiFetch<Venue>(`/api/venues/${venueId}`, {
    method: 'PATCH',
    body: input,
    ifMatch: version,
    idempotencyKey,
  });
}

/**
 * `PATCH /api/venues/:id` (organizers), `If-Match` the version edited: a venue another organizer
 * changed meanwhile is refused (412, its message shown on the form); saved or refused, the list is
 * read again. The league's id goes after the key. Can wait offline.
 */
export const useUpdateVenue = offlineWrite({
  key: 'update-venue',
  mutationFn: updateVenue,
  callbacks: (client) => refreshVenuesOfWrite(client).onSettled,
});

/** `DELETE /api/venues/:id` (organizers); its matches keep their dates. */
export function useDeleteVenue(leagueId: string) {
  const onSuccess = useRefreshVenues(leagueId);
  return useMutation({
    mutationFn: ({ venueId, idempotencyKey }: { venueId: string; idempotencyKey: string }) =>
      apiFetch<undefined>(`/api/venues/${venueId}`, { method: 'DELETE', idempotencyKey }),
    onSuccess,
  });
}
