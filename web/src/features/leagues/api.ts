import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Division,
  DivisionInput,
  League,
  LeagueInput,
  LeagueSummary,
  Season,
  SeasonInput,
} from '../../../../domain/schemas/league';
import { apiFetch, isApiError } from '../../lib/api';

export const leaguesQueryKey = ['leagues'] as const;
export const leagueQueryKey = (leagueId: string) => ['league', leagueId] as const;

/** `GET /api/leagues`: public leagues, and private ones the user organizes or plays in. */
export const leaguesQuery = queryOptions({
  queryKey: leaguesQueryKey,
  queryFn: ({ signal }) => apiFetch<LeagueSummary[]>('/api/leagues', { signal }),
});

export function useLeagues() {
  return useQuery(leaguesQuery);
}

/** `GET /api/leagues/:id`, with its organizers, seasons and divisions. */
export function leagueQuery(leagueId: string) {
  return queryOptions({
    queryKey: leagueQueryKey(leagueId),
    queryFn: ({ signal }) => apiFetch<League>(`/api/leagues/${leagueId}`, { signal }),
  });
}

export function useLeague(leagueId: string) {
  return useQuery(leagueQuery(leagueId));
}

interface Write<T> {
  input: T;
  idempotencyKey: string;
}

/** `POST /api/leagues` (organizers only). */
export function useCreateLeague() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ input, idempotencyKey }: Write<LeagueInput>) =>
      apiFetch<League>('/api/leagues', { method: 'POST', body: input, idempotencyKey }),
    onSuccess: (league) => {
      queryClient.setQueryData(leagueQueryKey(league.id), league);
      return queryClient.invalidateQueries({ queryKey: leaguesQueryKey });
    },
  });
}

/** `PATCH /api/leagues/:id` with the version the form started from; stale versions get 412. */
export function useUpdateLeague(leagueId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      input,
      version,
      idempotencyKey,
    }: Write<Partial<LeagueInput>> & { version: number }) =>
      apiFetch<League>(`/api/leagues/${leagueId}`, {
        method: 'PATCH',
        body: input,
        ifMatch: version,
        idempotencyKey,
      }),
    onSuccess: (league) => {
      queryClient.setQueryData(leagueQueryKey(leagueId), league);
      return queryClient.invalidateQueries({ queryKey: leaguesQueryKey });
    },
    onError: (error) => {
      if (isApiError(error, 412))
        return queryClient.invalidateQueries({ queryKey: leagueQueryKey(leagueId) });
    },
  });
}

/** `POST /api/leagues/:id/organizers`: a co-organizer, by the e-mail they signed in with. */
export function useAddOrganizer(leagueId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ input, idempotencyKey }: Write<{ email: string }>) =>
      apiFetch<League>(`/api/leagues/${leagueId}/organizers`, {
        method: 'POST',
        body: input,
        idempotencyKey,
      }),
    onSuccess: (league) => queryClient.setQueryData(leagueQueryKey(leagueId), league),
  });
}

export function useRemoveOrganizer(leagueId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, idempotencyKey }: { userId: string; idempotencyKey: string }) =>
      apiFetch<League>(`/api/leagues/${leagueId}/organizers/${userId}`, {
        method: 'DELETE',
        idempotencyKey,
      }),
    onSuccess: (league) => queryClient.setQueryData(leagueQueryKey(leagueId), league),
  });
}

/** `POST /api/leagues/:id/seasons`. */
export function useCreateSeason(leagueId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ input, idempotencyKey }: Write<SeasonInput>) =>
      apiFetch<Season>(`/api/leagues/${leagueId}/seasons`, {
        method: 'POST',
        body: input,
        idempotencyKey,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: leagueQueryKey(leagueId) }),
  });
}

/** `PATCH /api/seasons/:id`, e.g. to open or close registration. */
export function useUpdateSeason(leagueId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      seasonId,
      input,
      version,
      idempotencyKey,
    }: Write<Partial<SeasonInput>> & { seasonId: string; version: number }) =>
      apiFetch<Season>(`/api/seasons/${seasonId}`, {
        method: 'PATCH',
        body: input,
        ifMatch: version,
        idempotencyKey,
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: leagueQueryKey(leagueId) }),
  });
}

/** `POST /api/seasons/:id/divisions`. */
export function useCreateDivision(leagueId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      seasonId,
      input,
      idempotencyKey,
    }: Write<DivisionInput> & { seasonId: string }) =>
      apiFetch<Division>(`/api/seasons/${seasonId}/divisions`, {
        method: 'POST',
        body: input,
        idempotencyKey,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: leagueQueryKey(leagueId) }),
  });
}

/** `DELETE /api/divisions/:id`: only a division without teams. */
export function useDeleteDivision(leagueId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ divisionId, idempotencyKey }: { divisionId: string; idempotencyKey: string }) =>
      apiFetch<undefined>(`/api/divisions/${divisionId}`, { method: 'DELETE', idempotencyKey }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: leagueQueryKey(leagueId) }),
  });
}

/** `DELETE /api/leagues/:id`: only a league without teams (409 otherwise). */
export function useDeleteLeague(leagueId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (idempotencyKey: string) =>
      apiFetch<undefined>(`/api/leagues/${leagueId}`, { method: 'DELETE', idempotencyKey }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: leaguesQueryKey }),
  });
}
