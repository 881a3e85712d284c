import { useQuery } from '@tanstack/react-query';
import type { Standings } from '#domain/schemas/standings';
import { apiFetch } from '../../lib/api';

export const standingsQueryKey = (divisionId: string) => ['standings', divisionId] as const;

/** `GET /api/divisions/:id/standings`: the table from final results, by the league's rules. */
export function useStandings(divisionId: string) {
  return useQuery({
    queryKey: standingsQueryKey(divisionId),
    queryFn: ({ signal }) =>
      apiFetch<Standings>(`/api/divisions/${divisionId}/standings`, { signal }),
  });
}
