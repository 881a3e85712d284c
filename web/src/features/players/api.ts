import { useQuery } from '@tanstack/react-query';
import type { PlayerPage, TeamStats } from '#domain/schemas/players';
import { apiFetch } from '../../lib/api';

/** `GET /api/players/:id?sport=`: ratings, their history with explanations, and stats. */
export function usePlayerPage(playerId: string, sport: string | null) {
  return useQuery({
    queryKey: ['player', playerId, sport ?? ''],
    queryFn: ({ signal }) =>
      apiFetch<PlayerPage>(
        `/api/players/${playerId}${sport ? `?${new URLSearchParams({ sport }).toString()}` : ''}`,
        { signal },
      ),
  });
}

/** `GET /api/teams/:id/stats`: record, line positions, players and recent results. */
export function useTeamStats(teamId: string) {
  return useQuery({
    queryKey: ['team-stats', teamId],
    queryFn: ({ signal }) => apiFetch<TeamStats>(`/api/teams/${teamId}/stats`, { signal }),
  });
}
