import { useMutation, useQuery } from '@tanstack/react-query';
import type { Match } from '#domain/schemas/matches';
import type { MyMatch, ScheduleDraft, ScheduleSettings } from '#domain/schemas/schedule';
import { apiFetch } from '../../lib/api';
import { useRefreshMatches } from '../matches';

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
