import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Invite, InviteInput, InvitePreview } from '#domain/schemas/invites';
import type { Team } from '#domain/schemas/teams';
import { apiFetch } from '../../lib/api';
import { myTeamsQueryKey, teamQueryKey } from '../teams';

const invitesQueryKey = (teamId: string) => ['team-invites', teamId] as const;
const previewQueryKey = (token: string) => ['invite', token] as const;

/** `GET /api/teams/:id/invites` (captains and organizers). */
export function useTeamInvites(teamId: string) {
  return useQuery({
    queryKey: invitesQueryKey(teamId),
    queryFn: ({ signal }) => apiFetch<Invite[]>(`/api/teams/${teamId}/invites`, { signal }),
  });
}

/**
 * `POST /api/teams/:id/invites`. The answer carries the invite's URL, which the server never
 * shows again: the caller keeps it on screen for copying.
 */
export function useCreateInvite(teamId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ input, idempotencyKey }: { input: InviteInput; idempotencyKey: string }) =>
      apiFetch<Invite>(`/api/teams/${teamId}/invites`, {
        method: 'POST',
        body: input,
        idempotencyKey,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: invitesQueryKey(teamId) }),
  });
}

/** `DELETE /api/teams/:id/invites/:inviteId`: the link stops working at once. */
export function useRevokeInvite(teamId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ inviteId, idempotencyKey }: { inviteId: string; idempotencyKey: string }) =>
      apiFetch<undefined>(`/api/teams/${teamId}/invites/${inviteId}`, {
        method: 'DELETE',
        idempotencyKey,
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: invitesQueryKey(teamId) }),
  });
}

/** `GET /api/invites/:token`: works signed out; 410 once expired, revoked, used up or declined. */
export function useInvitePreview(token: string) {
  return useQuery({
    queryKey: previewQueryKey(token),
    queryFn: ({ signal }) => apiFetch<InvitePreview>(`/api/invites/${token}`, { signal }),
    // The token is a secret and an invite's state changes: never keep it on the device.
    meta: { persist: false },
    staleTime: 0,
  });
}

/** `POST /api/invites/:token/accept`: joins the team; 409 when the roster is full. */
export function useAcceptInvite(token: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (idempotencyKey: string) =>
      apiFetch<Team>(`/api/invites/${token}/accept`, { method: 'POST', idempotencyKey }),
    onSuccess: async (team) => {
      queryClient.setQueryData(teamQueryKey(team.id), team);
      queryClient.removeQueries({ queryKey: previewQueryKey(token) });
      await queryClient.invalidateQueries({ queryKey: myTeamsQueryKey });
    },
  });
}

/** `POST /api/invites/:token/decline`. */
export function useDeclineInvite(token: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (idempotencyKey: string) =>
      apiFetch<undefined>(`/api/invites/${token}/decline`, { method: 'POST', idempotencyKey }),
    onSuccess: () => queryClient.removeQueries({ queryKey: previewQueryKey(token) }),
  });
}
