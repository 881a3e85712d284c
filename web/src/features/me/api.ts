import type { QueryClient } from '@tanstack/react-query';
import type { Me, Profile, Role } from '#domain/schemas/me';
import { apiFetch, isApiError } from '../../lib/api';
import { offlineWrite } from '../../lib/queryClient';
import { meQueryKey } from '../auth';

export interface SaveProfileVariables {
  input: Profile;
  /** The profile version the form was filled from; null for the first save. */
  version: number | null;
  idempotencyKey: string;
}

function saveProfile({ input, version, idempotencyKey }: SaveProfileVariables) {
  return apiFetch<Me>('/api/me/profile', {
    method: 'PUT',
    body: input,
    ifMatch: version ?? undefined,
    idempotencyKey,
  });
}

/** A saved profile becomes `me`; a stale one (412) makes `me` read again, for the merge. */
function profileCallbacks(client: QueryClient) {
  return {
    onSuccess: (me: Me) => client.setQueryData(meQueryKey, me),
    onError: (error: unknown) => {
      if (isApiError(error, 412)) return client.invalidateQueries({ queryKey: meQueryKey });
    },
  };
}

/**
 * `PUT /api/me/profile`; the answer is the new `me`. A stale version fails with 412. A write that
 * can wait: offline it is queued and sent when the connection is back, even after a reload.
 */
export const useSaveProfile = offlineWrite({
  key: 'save-profile',
  mutationFn: saveProfile,
  callbacks: profileCallbacks,
});

export interface SaveRoleVariables {
  role: Role;
  idempotencyKey: string;
}

function saveRole({ role, idempotencyKey }: SaveRoleVariables) {
  return apiFetch<Me>('/api/me/role', { method: 'PUT', body: { role }, idempotencyKey });
}

/** The saved role comes back as the new `me`. */
function roleCallbacks(client: QueryClient) {
  return { onSuccess: (me: Me) => client.setQueryData(meQueryKey, me) };
}

/** `PUT /api/me/role`; the answer is the new `me`. Can wait offline, also across a reload. */
export const useSaveRole = offlineWrite({
  key: 'save-role',
  mutationFn: saveRole,
  callbacks: roleCallbacks,
});
