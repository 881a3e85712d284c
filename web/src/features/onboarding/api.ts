import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Me, Profile, Role } from '../../../../domain/schemas/profile';
import { apiFetch, isApiError } from '../../lib/api';
import { meQueryKey } from '../auth';

export interface SaveProfileVariables {
  input: Profile;
  /** The profile version the form was filled from; null for the first save. */
  version: number | null;
  idempotencyKey: string;
}

/** `PUT /api/me/profile`; the answer is the new `me`. A stale version fails with 412. */
export function useSaveProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ input, version, idempotencyKey }: SaveProfileVariables) =>
      apiFetch<Me>('/api/me/profile', {
        method: 'PUT',
        body: input,
        ifMatch: version ?? undefined,
        idempotencyKey,
      }),
    onSuccess: (me) => queryClient.setQueryData(meQueryKey, me),
    onError: (error) => {
      if (isApiError(error, 412)) return queryClient.invalidateQueries({ queryKey: meQueryKey });
    },
  });
}

export interface SaveRoleVariables {
  role: Role;
  idempotencyKey: string;
}

/** `PUT /api/me/role`; the answer is the new `me`. */
export function useSaveRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ role, idempotencyKey }: SaveRoleVariables) =>
      apiFetch<Me>('/api/me/role', { method: 'PUT', body: { role }, idempotencyKey }),
    onSuccess: (me) => queryClient.setQueryData(meQueryKey, me),
  });
}
