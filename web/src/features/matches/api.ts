import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { League } from '#domain/schemas/leagues';
import type { Match, MatchEvent } from '#domain/schemas/matches';
import { apiFetch } from '../../lib/api';
import { leagueQueryKey } from '../leagues';

/**
 * `GET /api/matches/:id`: the match as the schedule views show it. Under `['matches', …]`, so
 * whatever refreshes the schedules (a result, a postponement, an accepted date) refreshes it too.
 */
export const matchQueryKey = (matchId: string) => ['matches', 'one', matchId] as const;

/** The match itself and its league (for the format), for a match page. */
export function useMatchContext(matchId: string) {
  const match = useQuery({
    queryKey: matchQueryKey(matchId),
    queryFn: ({ signal }) => apiFetch<Match>(`/api/matches/${matchId}`, { signal }),
  });
  const leagueId = match.data?.leagueId;
  const league = useQuery({
    queryKey: leagueQueryKey(leagueId ?? ''),
    queryFn: ({ signal }) => apiFetch<League>(`/api/leagues/${leagueId}`, { signal }),
    enabled: Boolean(leagueId),
  });
  return { match, league };
}

/** `GET /api/matches/:id/history`, only fetched while the disclosure is open. */
export function useMatchHistory(matchId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['match-history', matchId],
    queryFn: ({ signal }) => apiFetch<MatchEvent[]>(`/api/matches/${matchId}/history`, { signal }),
    enabled,
  });
}

/** Every schedule view and history, refreshed after a match changes. */
export function useRefreshMatches() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['matches'] }),
      queryClient.invalidateQueries({ queryKey: ['match-history'] }),
    ]);
}

/** `POST /api/matches/:id/postpone` (organizers). */
export function usePostponeMatch() {
  const onSuccess = useRefreshMatches();
  return useMutation({
    mutationFn: ({
      matchId,
      date,
      startTime,
      idempotencyKey,
    }: {
      matchId: string;
      date: string;
      startTime: string;
      idempotencyKey: string;
    }) =>
      apiFetch<Match>(`/api/matches/${matchId}/postpone`, {
        method: 'POST',
        body: { date, startTime },
        idempotencyKey,
      }),
    onSuccess,
  });
}

/** `POST /api/matches/:id/cancel` (organizers). */
export function useCancelMatch() {
  const onSuccess = useRefreshMatches();
  return useMutation({
    mutationFn: ({
      matchId,
      reason,
      idempotencyKey,
    }: {
      matchId: string;
      reason: string;
      idempotencyKey: string;
    }) =>
      apiFetch<Match>(`/api/matches/${matchId}/cancel`, {
        method: 'POST',
        body: { reason },
        idempotencyKey,
      }),
    onSuccess,
  });
}
