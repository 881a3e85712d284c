import {
  useMutation,
  useQuery,
  useQueryClient,
  type MutationFunctionContext,
  type QueryClient,
} from '@tanstack/react-query';
import type { Venue, VenueInput } from '#domain/schemas/venues';
import { apiFetch } from '../../lib/api';
import {
  idInKey,
  OFFLINE_WRITES,
  queryClient as appQueryClient,
  refreshOfWrite,
} from '../../lib/queryClient';

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

const createVenueCallbacks = (client: QueryClient) => refreshVenuesOfWrite(client).onSuccess;

/**
 * The venue form's writes can wait offline (DESIGN §5): each is registered once so that, queued
 * and the tab reloaded, it is still sent in order. The hooks add the league's id to the key.
 */
const CREATE_VENUE_KEY = ['create-venue'] as const;
appQueryClient.setMutationDefaults(CREATE_VENUE_KEY, {
  mutationFn: createVenue,
  scope: OFFLINE_WRITES,
  ...createVenueCallbacks(appQueryClient),
});

/** `POST /api/leagues/:id/venues` (organizers). Can wait offline. */
export function useCreateVenue(leagueId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: [...CREATE_VENUE_KEY, leagueId],
    mutationFn: createVenue,
    scope: OFFLINE_WRITES,
    ...createVenueCallbacks(queryClient),
  });
}

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

/** Saved or refused (412), the list is read again. */
const updateVenueCallbacks = (client: QueryClient) => refreshVenuesOfWrite(client).onSettled;

const UPDATE_VENUE_KEY = ['update-venue'] as const;
appQueryClient.setMutationDefaults(UPDATE_VENUE_KEY, {
  mutationFn: updateVenue,
  scope: OFFLINE_WRITES,
  ...updateVenueCallbacks(appQueryClient),
});

/**
 * `PATCH /api/venues/:id` (organizers), `If-Match` the version edited: a venue another organizer
 * changed meanwhile is refused (412, its message shown on the form) and the list is read again.
 * Can wait offline.
 */
export function useUpdateVenue(leagueId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: [...UPDATE_VENUE_KEY, leagueId],
    mutationFn: updateVenue,
    scope: OFFLINE_WRITES,
    ...updateVenueCallbacks(queryClient),
  });
}

/** `DELETE /api/venues/:id` (organizers); its matches keep their dates. */
export function useDeleteVenue(leagueId: string) {
  const onSuccess = useRefreshVenues(leagueId);
  return useMutation({
    mutationFn: ({ venueId, idempotencyKey }: { venueId: string; idempotencyKey: string }) =>
      apiFetch<undefined>(`/api/venues/${venueId}`, { method: 'DELETE', idempotencyKey }),
    onSuccess,
  });
}
