import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Proposal } from '#domain/schemas/proposals';
import { apiFetch } from '../../lib/api';

export const proposalsQueryKey = (matchId: string) => ['proposals', matchId] as const;

/** `GET /api/matches/:id/proposals`. */
export function useProposals(matchId: string, enabled = true) {
  return useQuery({
    queryKey: proposalsQueryKey(matchId),
    queryFn: ({ signal }) => apiFetch<Proposal[]>(`/api/matches/${matchId}/proposals`, { signal }),
    enabled,
  });
}

/** Proposals, every schedule view and the history, refreshed after a proposal changes. */
function useRefreshProposals(matchId: string) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: proposalsQueryKey(matchId) }),
      queryClient.invalidateQueries({ queryKey: ['matches'] }),
      queryClient.invalidateQueries({ queryKey: ['match-history'] }),
    ]);
}

/** `POST /api/matches/:id/proposals` (captains of either team). */
export function useProposeDate(matchId: string) {
  const onSuccess = useRefreshProposals(matchId);
  return useMutation({
    mutationFn: ({
      date,
      startTime,
      message,
      idempotencyKey,
    }: {
      date: string;
      startTime: string;
      message: string | null;
      idempotencyKey: string;
    }) =>
      apiFetch<Proposal>(`/api/matches/${matchId}/proposals`, {
        method: 'POST',
        body: { date, startTime, message },
        idempotencyKey,
      }),
    onSuccess,
  });
}

export type ProposalDecision = 'accept' | 'decline' | 'withdraw';

/** `POST /api/proposals/:id/accept|decline|withdraw`. */
export function useDecideProposal(matchId: string) {
  const onSuccess = useRefreshProposals(matchId);
  return useMutation({
    mutationFn: ({
      proposalId,
      decision,
      idempotencyKey,
    }: {
      proposalId: string;
      decision: ProposalDecision;
      idempotencyKey: string;
    }) =>
      apiFetch<unknown>(`/api/proposals/${proposalId}/${decision}`, {
        method: 'POST',
        idempotencyKey,
      }),
    onSuccess,
  });
}
