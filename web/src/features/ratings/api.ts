import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { PlayerPage, TeamStats } from '#domain/schemas/players';
import type { Leaderboard, LeaderboardQuery } from '#domain/schemas/ratings';
import { apiFetch } from '../../lib/api';

/** The query string of a leaderboard, without empty filters. */
export function leaderboardSearch(query: LeaderboardQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  return params.toString();
}

/** `GET /api/leaderboards?…`: players by rating in a sport, singles or doubles. */
export function useLeaderboard(query: LeaderboardQuery) {
  const search = leaderboardSearch(query);
  return useQuery({
    queryKey: ['leaderboard', search],
    queryFn: ({ signal }) => apiFetch<Leaderboard>(`/api/leaderboards?${search}`, { signal }),
    // While a filter changes, the previous rows stay instead of a spinner.
    placeholderData: keepPreviousData,
  });
}

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
