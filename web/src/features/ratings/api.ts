import { keepPreviousData, useQuery } from '@tanstack/react-query';
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
