import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type {
  AvailabilityAnswer,
  AvailabilityGrid,
  Lineup,
  LineupLine,
} from '#domain/schemas/availability';
import { apiFetch } from '../../lib/api';
import { offlineWrite } from '../../lib/queryClient';

export const availabilityQueryKey = (matchId: string) => ['availability', matchId] as const;
export const lineupQueryKey = (matchId: string) => ['lineup', matchId] as const;

/** `GET /api/matches/:id/availability`: my team's grid for the match. */
export function useAvailability(matchId: string, enabled = true) {
  return useQuery({
    queryKey: availabilityQueryKey(matchId),
    queryFn: ({ signal }) =>
      apiFetch<AvailabilityGrid>(`/api/matches/${matchId}/availability`, { signal }),
    enabled,
  });
}

export interface AnswerAvailabilityVariables {
  matchId: string;
  answer: AvailabilityAnswer;
  idempotencyKey: string;
}

function answerAvailability({ matchId, answer, idempotencyKey }: AnswerAvailabilityVariables) {
  return apiFetch<AvailabilityGrid>(`/api/matches/${matchId}/availability`, {
    method: 'PUT',
    body: { answer },
    idempotencyKey,
  });
}

/** The team's grid as the server returned it, and my schedule, which carries my answer. */
function answered(client: QueryClient, matchId: string, grid: AvailabilityGrid) {
  client.setQueryData(availabilityQueryKey(matchId), grid);
  return client.invalidateQueries({ queryKey: ['matches', 'me'] });
}

/**
 * `PUT /api/matches/:id/availability`: my answer; the grid comes back. Can wait offline (DESIGN
 * §5), also across a reload.
 */
export const useAnswerAvailability = offlineWrite({
  key: 'answer-availability',
  mutationFn: answerAvailability,
  callbacks: (client) => ({
    onSuccess: (grid: AvailabilityGrid, variables: AnswerAvailabilityVariables) =>
      answered(client, variables.matchId, grid),
  }),
});

/** `GET /api/matches/:id/lineup`: my team's lineup. */
export function useLineup(matchId: string, enabled = true) {
  return useQuery({
    queryKey: lineupQueryKey(matchId),
    queryFn: ({ signal }) => apiFetch<Lineup>(`/api/matches/${matchId}/lineup`, { signal }),
    enabled,
  });
}

/** `PUT /api/matches/:id/lineup` (captains): replaces the team's lineup. */
export function useSaveLineup(matchId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ lines, idempotencyKey }: { lines: LineupLine[]; idempotencyKey: string }) =>
      apiFetch<Lineup>(`/api/matches/${matchId}/lineup`, {
        method: 'PUT',
        body: { lines },
        idempotencyKey,
      }),
    onSuccess: (lineup) => {
      queryClient.setQueryData(lineupQueryKey(matchId), lineup);
      // The score form on the match page prefills from a side's lineup (`['lineup', id, teamId]`).
      return queryClient.invalidateQueries({
        queryKey: lineupQueryKey(matchId),
        predicate: (query) => query.queryKey.length > 2,
      });
    },
  });
}
