import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { Lineup } from '#domain/schemas/availability';
import {
  MatchResult as MatchResultSchema,
  type LineEntry,
  type MatchResult,
} from '#domain/schemas/results';
import { apiFetch, isApiError } from '../../lib/api';
import { offlineWrite } from '../../lib/queryClient';

export const resultQueryKey = (matchId: string) => ['result', matchId] as const;

/** `GET /api/matches/:id/result`: the result, its history and what the user may do now. */
export function useMatchResult(matchId: string) {
  return useQuery({
    queryKey: resultQueryKey(matchId),
    queryFn: ({ signal }) => apiFetch<MatchResult>(`/api/matches/${matchId}/result`, { signal }),
  });
}

/**
 * `GET /api/matches/:id/lineup?teamId=`: a side's lineup, to prefill the players of a score.
 * Captains only see their own team's lineup (organizers see both), so a 403 simply means "use the
 * roster instead".
 */
export function useSideLineup(matchId: string, teamId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['lineup', matchId, teamId],
    queryFn: ({ signal }) =>
      apiFetch<Lineup>(`/api/matches/${matchId}/lineup?teamId=${teamId}`, { signal }),
    enabled,
    retry: false,
    meta: { persist: false },
  });
}

/**
 * Everything a result feeds: the result itself, schedules (played matches), standings,
 * leaderboards, player pages and team stats.
 */
export function refreshAfterResult(client: QueryClient, matchId: string) {
  return Promise.all([
    client.invalidateQueries({ queryKey: resultQueryKey(matchId) }),
    client.invalidateQueries({ queryKey: ['matches'] }),
    client.invalidateQueries({ queryKey: ['standings'] }),
    client.invalidateQueries({ queryKey: ['leaderboard'] }),
    client.invalidateQueries({ queryKey: ['player'] }),
    client.invalidateQueries({ queryKey: ['team-stats'] }),
  ]);
}

/**
 * The server's copy of the result that came with a 412 (or 409), if the problem carries one; the
 * page then shows it at once instead of waiting for a refetch.
 */
export function serverCopy(error: unknown): MatchResult | null {
  if (!isApiError(error, 412) && !isApiError(error, 409)) return null;
  for (const key of ['current', 'result', 'serverCopy']) {
    const parsed = MatchResultSchema.safeParse(error.problem[key]);
    if (parsed.success) return parsed.data;
  }
  return null;
}

export interface EnterResultVariables {
  matchId: string;
  lines: LineEntry[];
  /** The version being replaced while pending (re-entry); absent for a first entry. */
  version?: number;
  idempotencyKey: string;
}

function enterResult({ matchId, lines, version, idempotencyKey }: EnterResultVariables) {
  return apiFetch<MatchResult>(`/api/matches/${matchId}/result`, {
    method: 'PUT',
    body: { lines },
    ifMatch: version && version > 0 ? version : undefined,
    idempotencyKey,
  });
}

/**
 * Declared once so a score queued offline can be sent after a reload (DESIGN §5): `App` resumes
 * the restored queue once the cache is restored.
 */
const useEnterResultWrite = offlineWrite({
  key: 'result-entry',
  mutationFn: enterResult,
  callbacks: (client) => ({
    onSuccess: (_data, variables) => refreshAfterResult(client, variables.matchId),
  }),
});

/**
 * `PUT /api/matches/:id/result` (a captain of either team): a write that can wait. Offline it is
 * paused and sent when the connection is back, with the same `Idempotency-Key`.
 */
export function useEnterResult(matchId: string) {
  const client = useQueryClient();
  return useEnterResultWrite(matchId, {
    onSuccess: (result) => {
      client.setQueryData(resultQueryKey(matchId), result);
      return refreshAfterResult(client, matchId);
    },
    onError: (error) => {
      const copy = serverCopy(error);
      if (copy) client.setQueryData(resultQueryKey(matchId), copy);
      if (isApiError(error, 409) || isApiError(error, 412))
        return refreshAfterResult(client, matchId);
    },
  });
}

export type ResultStep = 'confirm' | 'dispute' | 'settle' | 'correct';

export interface ResultStepVariables {
  step: ResultStep;
  /** The version the user saw, sent as `If-Match`: a stale step gets 412 and the server's copy. */
  version: number;
  /** Dispute and settle: `{ comment, lines }`; correct: `{ reason, lines }`; confirm: none. */
  body?: { comment?: string; reason?: string; lines: LineEntry[] };
  idempotencyKey: string;
}

/**
 * `POST /api/matches/:id/result/confirm|dispute|settle|correct`: steps that need a connection,
 * because the other side (or the standings) must learn the outcome at once.
 */
export function useResultStep(matchId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ step, version, body, idempotencyKey }: ResultStepVariables) =>
      apiFetch<MatchResult>(`/api/matches/${matchId}/result/${step}`, {
        method: 'POST',
        body,
        ifMatch: version,
        idempotencyKey,
      }),
    onSuccess: (result) => {
      client.setQueryData(resultQueryKey(matchId), result);
      return refreshAfterResult(client, matchId);
    },
    onError: (error) => {
      const copy = serverCopy(error);
      if (copy) client.setQueryData(resultQueryKey(matchId), copy);
      if (isApiError(error, 409) || isApiError(error, 412))
        return refreshAfterResult(client, matchId);
    },
  });
}
