import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Match, MatchEvent } from '#domain/schemas/matches';
import type { MyMatch, ScheduleDraft, ScheduleSettings } from '#domain/schemas/schedule';
import { apiFetch } from '../../lib/api';

export interface CalendarFeed {
  id: string;
  url: string;
}

export type When = 'upcoming' | 'past' | 'all';

export const myMatchesQueryKey = (when: When) => ['matches', 'me', when] as const;
export const divisionMatchesQueryKey = (divisionId: string) =>
  ['matches', 'division', divisionId] as const;
export const teamMatchesQueryKey = (teamId: string) => ['matches', 'team', teamId] as const;

/** `GET /api/me/matches?when=`: my schedule across all my teams and leagues. */
export function useMyMatches(when: When) {
  return useQuery({
    queryKey: myMatchesQueryKey(when),
    queryFn: ({ signal }) => apiFetch<MyMatch[]>(`/api/me/matches?when=${when}`, { signal }),
  });
}

/** `GET /api/divisions/:id/matches`. */
export function useDivisionMatches(divisionId: string) {
  return useQuery({
    queryKey: divisionMatchesQueryKey(divisionId),
    queryFn: ({ signal }) => apiFetch<Match[]>(`/api/divisions/${divisionId}/matches`, { signal }),
  });
}

/** `GET /api/teams/:id/matches`. */
export function useTeamMatches(teamId: string) {
  return useQuery({
    queryKey: teamMatchesQueryKey(teamId),
    queryFn: ({ signal }) => apiFetch<Match[]>(`/api/teams/${teamId}/matches`, { signal }),
  });
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
function useRefreshMatches() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['matches'] }),
      queryClient.invalidateQueries({ queryKey: ['match-history'] }),
    ]);
}

/** `POST /api/divisions/:id/schedule/draft`: nothing is saved. */
export function useDraftSchedule(divisionId: string) {
  return useMutation({
    mutationFn: (settings: ScheduleSettings) =>
      apiFetch<ScheduleDraft>(`/api/divisions/${divisionId}/schedule/draft`, {
        method: 'POST',
        body: settings,
      }),
  });
}

/** `POST /api/divisions/:id/schedule/publish` with the reviewed draft's hash. */
export function usePublishSchedule(divisionId: string) {
  const onSuccess = useRefreshMatches();
  return useMutation({
    mutationFn: ({
      settings,
      draftHash,
      idempotencyKey,
    }: {
      settings: ScheduleSettings;
      draftHash: string;
      idempotencyKey: string;
    }) =>
      apiFetch<{ created: number; moved: number; kept: number }>(
        `/api/divisions/${divisionId}/schedule/publish`,
        {
          method: 'POST',
          body: { ...settings, draftHash },
          idempotencyKey,
        },
      ),
    onSuccess,
  });
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

/** `POST /api/me/calendar` or `POST /api/teams/:id/calendar`: the URL is shown once. */
export function useCreateFeed(teamId?: string) {
  return useMutation({
    mutationFn: (idempotencyKey: string) =>
      apiFetch<CalendarFeed>(teamId ? `/api/teams/${teamId}/calendar` : '/api/me/calendar', {
        method: 'POST',
        idempotencyKey,
      }),
  });
}

/** `DELETE /api/calendar-feeds/:id`: the URL stops working. */
export function useRevokeFeed() {
  return useMutation({
    mutationFn: ({ feedId, idempotencyKey }: { feedId: string; idempotencyKey: string }) =>
      apiFetch<undefined>(`/api/calendar-feeds/${feedId}`, { method: 'DELETE', idempotencyKey }),
  });
}
