import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import type { AuthConfig } from '#domain/schemas/auth';
import type { Me } from '#domain/schemas/me';
import { apiFetch, isApiError, newIdempotencyKey } from '../../lib/api';
import { clearAllCachedData, isConfirmingRestoredData } from '../../lib/queryClient';

export const meQueryKey = ['me'] as const;

/** `GET /api/me`: the signed-in user, or an `ApiError` with status 401 when signed out. */
export const meQuery = queryOptions({
  queryKey: meQueryKey,
  queryFn: ({ signal }) => apiFetch<Me>('/api/me', { signal }),
  // Who is signed in, and how far onboarding went, is checked whenever a guarded page mounts.
  staleTime: 0,
  // But a 401 is not checked again each time something mounts: the re-check would clear the error
  // while it runs, the route guard would unmount the page for "Loading…", and a page reading `me`
  // would start the next re-check as it mounts again, in a loop (issue #10). A sign-in resets it.
  retryOnMount: false,
});

export function useMe() {
  return useQuery(meQuery);
}

/** The signed-in user once the server has confirmed them, or null (signed out or checking). */
export function confirmedUser(me: ReturnType<typeof useMe>): Me | null {
  if (!me.data || isSignedOut(me.error) || isConfirmingRestoredData(me)) return null;
  return me.data;
}

/** True when the `me` query says nobody is signed in. */
export function isSignedOut(error: unknown): boolean {
  return isApiError(error, 401);
}

export const authConfigQuery = queryOptions({
  queryKey: ['auth-config'] as const,
  queryFn: ({ signal }) => apiFetch<AuthConfig>('/api/auth/config', { signal }),
  staleTime: 5 * 60_000,
  // The sign-in options are only useful online: no point keeping them in IndexedDB.
  meta: { persist: false },
});

export function useAuthConfig() {
  return useQuery(authConfigQuery);
}

/** Builds the URL that starts the OpenID Connect sign-in; the browser navigates to it. */
export function oidcLoginUrl(returnTo: string): string {
  return `/api/auth/login?${new URLSearchParams({ returnTo }).toString()}`;
}

interface DemoSignInVariables {
  user: string;
  idempotencyKey: string;
}

/** Signs in as a demo user; once `me` is loaded the sign-in page moves on by itself. */
export function useDemoSignIn() {
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: ({ user, idempotencyKey }: DemoSignInVariables) =>
      apiFetch<undefined>('/api/auth/demo', { method: 'POST', body: { user }, idempotencyKey }),
    onSuccess: () => queryClient.resetQueries({ queryKey: meQueryKey }),
  });
  return {
    ...mutation,
    signIn: (user: string) => mutation.mutate({ user, idempotencyKey: newIdempotencyKey() }),
  };
}

/**
 * Signs out: ends the session on the server, then forgets every cached answer, in memory and in
 * IndexedDB, so the next person on this device sees nothing of the last one.
 */
export function useSignOut() {
  const navigate = useNavigate();
  const mutation = useMutation({
    mutationFn: async (idempotencyKey: string) => {
      try {
        await apiFetch<undefined>('/api/auth/logout', { method: 'POST', idempotencyKey });
      } catch (error) {
        // Already signed out (e.g. the session expired): the local clean-up is all that is left.
        if (!isSignedOut(error)) throw error;
      }
    },
    onSuccess: async () => {
      await clearAllCachedData();
      await navigate('/sign-in', { replace: true });
    },
  });
  return { ...mutation, signOut: () => mutation.mutate(newIdempotencyKey()) };
}
