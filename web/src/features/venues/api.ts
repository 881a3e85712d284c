import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Venue, VenueInput } from '../../../../domain/schemas/match';
import { apiFetch } from '../../lib/api';

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

/** `POST /api/leagues/:id/venues` (organizers). */
export function useCreateVenue(leagueId: string) {
  const onSuccess = useRefreshVenues(leagueId);
  return useMutation({
    mutationFn: ({ input, idempotencyKey }: { input: VenueInput; idempotencyKey: string }) =>
      apiFetch<Venue>(`/api/leagues/${leagueId}/venues`, {
        method: 'POST',
        body: input,
        idempotencyKey,
      }),
    onSuccess,
  });
}

/**
 * `PATCH /api/venues/:id` (organizers), `If-Match` the version edited: a venue another organizer
 * changed meanwhile is refused (412, its message shown on the form) and the list is read again.
 */
export function useUpdateVenue(leagueId: string) {
  const onSuccess = useRefreshVenues(leagueId);
  return useMutation({
    mutationFn: ({
      venueId,
      input,
      version,
      idempotencyKey,
    }: {
      venueId: string;
      input: VenueInput;
      version: number;
      idempotencyKey: string;
    }) =>
      apiFetch<Venue>(`/api/venues/${venueId}`, {
        method: 'PATCH',
        body: input,
        ifMatch: version,
        idempotencyKey,
      }),
    onSettled: onSuccess,
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
