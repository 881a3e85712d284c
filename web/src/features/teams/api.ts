import {
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
  type MutationFunctionContext,
  type QueryClient,
} from '@tanstack/react-query';
import type { MemberStatus, MyTeam, Team, TeamInput, TeamSummary } from '#domain/schemas/teams';
import { apiFetch, isApiError } from '../../lib/api';
import { idInKey, offlineWrite } from '../../lib/queryClient';
import { leagueQueryKey } from '../leagues';

export const myTeamsQueryKey = ['my-teams'] as const;
export const teamQueryKey = (teamId: string) => ['team', teamId] as const;
export const divisionTeamsQueryKey = (divisionId: string) =>
  ['division-teams', divisionId] as const;

/** `GET /api/me/teams`: the signed-in user's teams, for the dashboard. */
export const myTeamsQuery = queryOptions({
  queryKey: myTeamsQueryKey,
  queryFn: ({ signal }) => apiFetch<MyTeam[]>('/api/me/teams', { signal }),
});

export function useMyTeams() {
  return useQuery(myTeamsQuery);
}

/** `GET /api/divisions/:id/teams`. */
export function useDivisionTeams(divisionId: string) {
  return useQuery({
    queryKey: divisionTeamsQueryKey(divisionId),
    queryFn: ({ signal }) =>
      apiFetch<TeamSummary[]>(`/api/divisions/${divisionId}/teams`, { signal }),
  });
}

/** `GET /api/teams/:id`, with its roster and what the user may do. */
export function useTeam(teamId: string) {
  return useQuery({
    queryKey: teamQueryKey(teamId),
    queryFn: ({ signal }) => apiFetch<Team>(`/api/teams/${teamId}`, { signal }),
  });
}

/** Everything that lists a team or its roster, refreshed after the team changes. */
function invalidateTeamLists(queryClient: QueryClient, team?: Team) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: myTeamsQueryKey }),
    team
      ? queryClient.invalidateQueries({ queryKey: divisionTeamsQueryKey(team.divisionId) })
      : null,
    // Team counts of divisions are shown on league pages.
    team ? queryClient.invalidateQueries({ queryKey: leagueQueryKey(team.leagueId) }) : null,
  ]);
}

/** A team's answer from any write: the cache takes it, lists refresh. */
function teamSaved(client: QueryClient) {
  return (team: Team) => {
    client.setQueryData(teamQueryKey(team.id), team);
    return invalidateTeamLists(client, team);
  };
}

export interface CreateTeamVariables {
  input: TeamInput;
  idempotencyKey: string;
}

function createTeam(
  { input, idempotencyKey }: CreateTeamVariables,
  context: MutationFunctionContext,
) {
  return apiFetch<Team>(`/api/divisions/${idInKey(context)}/teams`, {
    method: 'POST',
    body: input,
    idempotencyKey,
  });
}

/**
 * `POST /api/divisions/:id/teams`, the division's id after the key: the creator becomes captain.
 * Can wait offline (DESIGN §5), also across a reload.
 */
export const useCreateTeam = offlineWrite({
  key: 'create-team',
  mutationFn: createTeam,
  callbacks: (client) => ({ onSuccess: teamSaved(client) }),
});

export interface UpdateTeamVariables {
  teamId: string;
  input: Partial<TeamInput>;
  /** The version the form started from. */
  version: number;
  idempotencyKey: string;
}

function updateTeam({ teamId, input, version, idempotencyKey }: UpdateTeamVariables) {
  return apiFetch<Team>(`/api/teams/${teamId}`, {
    method: 'PATCH',
    body: input,
    ifMatch: version,
    idempotencyKey,
  });
}

/** The saved team goes into the cache; a stale edit (412) makes the team read again. */
function teamUpdateCallbacks(client: QueryClient) {
  return {
    onSuccess: teamSaved(client),
    onError: (error: unknown, variables: UpdateTeamVariables) => {
      if (isApiError(error, 412))
        return client.invalidateQueries({ queryKey: teamQueryKey(variables.teamId) });
    },
  };
}

/**
 * `PATCH /api/teams/:id` with the version the form started from; stale versions get 412. A write
 * that can wait: offline it is queued and sent when the connection is back, even after a reload.
 */
export const useUpdateTeam = offlineWrite({
  key: 'update-team',
  mutationFn: updateTeam,
  callbacks: teamUpdateCallbacks,
});

export function useDeleteTeam(team: Team) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (idempotencyKey: string) =>
      apiFetch<undefined>(`/api/teams/${team.id}`, { method: 'DELETE', idempotencyKey }),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: teamQueryKey(team.id) });
      await invalidateTeamLists(queryClient, team);
    },
  });
}

export interface MemberChange {
  userId: string;
  change: { role?: 'co_captain' | 'player'; status?: MemberStatus };
  idempotencyKey: string;
}

function updateMember(
  { userId, change, idempotencyKey }: MemberChange,
  context: MutationFunctionContext,
) {
  return apiFetch<Team>(`/api/teams/${idInKey(context)}/members/${userId}`, {
    method: 'PATCH',
    body: change,
    idempotencyKey,
  });
}

/**
 * `PATCH /api/teams/:id/members/:userId`, the team's id after the key: roster status, or
 * co-captain. Can wait offline (DESIGN §5), also across a reload.
 */
export const useUpdateMember = offlineWrite({
  key: 'update-member',
  mutationFn: updateMember,
  callbacks: (client) => ({ onSuccess: teamSaved(client) }),
});

/** `DELETE /api/teams/:id/members/:userId`: a captain removes a member, or a member leaves. */
export function useRemoveMember(team: Team) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, idempotencyKey }: { userId: string; idempotencyKey: string }) =>
      apiFetch<undefined>(`/api/teams/${team.id}/members/${userId}`, {
        method: 'DELETE',
        idempotencyKey,
      }),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: teamQueryKey(team.id) }),
        invalidateTeamLists(queryClient, team),
      ]),
  });
}

/** `POST /api/teams/:id/captain`: the old captain becomes co-captain. */
export function useTransferCaptaincy(teamId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, idempotencyKey }: { userId: string; idempotencyKey: string }) =>
      apiFetch<Team>(`/api/teams/${teamId}/captain`, {
        method: 'POST',
        body: { userId },
        idempotencyKey,
      }),
    onSuccess: teamSaved(queryClient),
  });
}
